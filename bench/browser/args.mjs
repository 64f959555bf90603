// The driver's command line (README.md has the table of options).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_PATH } from './chromium.mjs';
import { IMGLY_VERSIONS, SELECTORS } from './targets.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');

export function parseArgs(argv) {
  const o = {
    target: 'imgly',
    url: null,
    model: null,
    warmup: 1,
    warmupImage: null,
    limit: Infinity,
    timeoutS: 600,
    out: null,
    port: 0,
    inputSelector: null,
    errorSelector: null,
    chromium: CHROMIUM_PATH,
    quietWaitS: Number(process.env.CUTOUT_BENCH_QUIET_WAIT_S || 0),
    quietPct: 15,
    versus: null,
    versusModel: null,
    versusUrl: null,
    imglyVersion: '1.7.0',
    imglyDevice: null,
    rounds: null,
    images: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--target': o.target = next(); break;
      case '--url': o.url = next(); break;
      case '--model': o.model = next(); break;
      case '--warmup': o.warmup = Number(next()); break;
      case '--warmup-image': o.warmupImage = next(); break;
      case '--limit': o.limit = Number(next()); break;
      case '--timeout-s': o.timeoutS = Number(next()); break;
      case '--out': o.out = next(); break;
      case '--port': o.port = Number(next()); break;
      case '--input-selector': o.inputSelector = next(); break;
      case '--error-selector': o.errorSelector = next(); break;
      case '--chromium': o.chromium = next(); break;
      case '--quiet-wait': o.quietWaitS = Number(next()); break;
      case '--quiet-pct': o.quietPct = Number(next()); break;
      case '--versus': o.versus = next(); break;
      case '--versus-model': o.versusModel = next(); break;
      case '--versus-url': o.versusUrl = next(); break;
      case '--rounds': o.rounds = Number(next()); break;
      case '--imgly-version': o.imglyVersion = next(); break;
      case '--imgly-device': o.imglyDevice = next(); break;
      case '-h':
      case '--help':
        console.log(fs.readFileSync(path.join(HERE, 'README.md'), 'utf8').split('\n## ')[1] ?? '');
        process.exit(0);
      default:
        if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
        o.images.push(path.resolve(a));
    }
  }
  if (!['imgly', 'cutout'].includes(o.target)) throw new Error(`--target must be imgly or cutout`);
  const imglyModels = IMGLY_VERSIONS[o.imglyVersion];
  if (!imglyModels) throw new Error(`--imgly-version must be one of ${Object.keys(IMGLY_VERSIONS).join(', ')}`);
  const checkImglyModel = (flag, m) => {
    if (m != null && !imglyModels.includes(m)) throw new Error(`${flag} for imgly ${o.imglyVersion} must be one of ${imglyModels.join(', ')}`);
  };
  if (o.imglyDevice != null) {
    if (o.imglyVersion === '1.4.5') throw new Error(`--imgly-device needs --imgly-version 1.7.0 (1.4.5 has no device option)`);
    if (!['cpu', 'gpu'].includes(o.imglyDevice)) throw new Error(`--imgly-device must be cpu or gpu`);
  }
  if (o.target === 'imgly') checkImglyModel('--model', o.model);
  if (o.versus != null) {
    if (!['imgly', 'cutout'].includes(o.versus)) throw new Error(`--versus must be imgly or cutout`);
    if (o.target !== 'cutout') throw new Error(`--versus needs --target cutout (page A = Cutout, page B = imgly or another Cutout)`);
    if (o.versus === 'imgly') {
      checkImglyModel('--versus-model', o.versusModel);
      if (o.versusUrl != null) throw new Error(`--versus-url needs --versus cutout`);
    } else {
      if (o.versusUrl == null) throw new Error(`--versus cutout needs --versus-url (the baseline Cutout page)`);
      if (o.versusModel != null) throw new Error(`--versus-model needs --versus imgly (put ?model= in --versus-url)`);
    }
    o.rounds ??= 1;
    if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error(`--rounds must be a whole number >= 1`);
  } else {
    if (o.versusModel != null) throw new Error(`--versus-model needs --versus imgly`);
    if (o.versusUrl != null) throw new Error(`--versus-url needs --versus cutout`);
    if (o.rounds != null) throw new Error(`--rounds needs --versus`);
  }
  if (o.imglyDevice != null && o.target !== 'imgly' && o.versus !== 'imgly') throw new Error(`--imgly-device needs an imgly page (--target imgly or --versus imgly)`);
  if (o.images.length === 0) {
    const dir = path.join(REPO, 'testdata/composites/images');
    o.images = fs.readdirSync(dir).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)).sort().map((f) => path.join(dir, f));
  }
  o.images = o.images.slice(0, o.limit);
  if (!o.warmupImage) o.warmupImage = o.images[0];
  if (o.target === 'cutout') {
    o.url ??= `http://127.0.0.1:8080/?model=${encodeURIComponent(o.model ?? 'isnet-uint8')}`;
    if (o.model && !new URL(o.url).searchParams.has('model')) {
      const u = new URL(o.url);
      u.searchParams.set('model', o.model);
      o.url = u.href;
    }
    o.inputSelector ??= SELECTORS.cutout.input;
    o.errorSelector ??= SELECTORS.cutout.error;
  } else {
    o.inputSelector ??= SELECTORS.imgly.input;
    o.errorSelector ??= SELECTORS.imgly.error;
  }
  return o;
}
