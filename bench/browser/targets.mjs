// The two pages the bench can drive: Cutout's web app (an already running server) and the imgly
// page, which the driver serves itself from setup.sh's install.
import fs from 'node:fs';
import path from 'node:path';
import { selector } from '../../config/browser.mjs';
import { INSTALL_DIR } from './chromium.mjs';
import { startServer } from './serve.mjs';

/** File input and error indicator of each page (defaults of --input-selector / --error-selector). */
export const SELECTORS = {
  cutout: {
    input: selector('fileInput'),
    error: `${selector('queueItem')}[data-state="failed"], ${selector('engineError')}:not([hidden])`,
  },
  imgly: { input: '#file', error: '#status[data-error]' },
};

/** The @imgly/background-removal versions setup.sh installs (--imgly-version), newest first, and the models each accepts. */
export const IMGLY_VERSIONS = {
  '1.7.0': ['isnet_quint8', 'isnet_fp16', 'isnet', 'small', 'medium', 'large'],
  '1.4.5': ['small', 'medium'],
};

/**
 * Serves the imgly pages + what they load on `port` (0 = a free one); returns the server.
 * /imgly-<version>/: the page (setup.sh); /imgly-data/: the data package 1.4.5 (1.4.5's publicPath, and
 * the model chunks 1.7.0's index names); /imgly-data-1.7.0/: that index (1.7.0's publicPath);
 * /ort-1.21.0/: onnxruntime-web 1.21.0's dist/ (1.7.0's ONNX Runtime files).
 */
export async function startImglyServer(port) {
  const site = path.join(INSTALL_DIR, 'site');
  const nm = path.join(INSTALL_DIR, 'node_modules');
  const data = path.join(nm, '@imgly/background-removal-data/dist');
  const ort = path.join(nm, 'onnxruntime-web/dist');
  const needed = [...Object.keys(IMGLY_VERSIONS).map((v) => path.join(site, `imgly-${v}/main.js`)), path.join(data, 'resources.json'), path.join(site, 'imgly-data-1.7.0/resources.json')];
  const missing = needed.filter((f) => !fs.existsSync(f));
  if (missing.length) throw new Error(`missing under ${INSTALL_DIR}: ${missing.join(', ')}: run bench/browser/setup.sh`);
  return startServer({ port, mounts: [['/', site], ['/imgly-data/', data], ['/ort-1.21.0/', ort]] });
}

/** The imgly page of `version` on the driver's server, with `?model=` and `?device=` when given. */
export function imglyUrl(server, version, model, device) {
  const u = new URL(`http://127.0.0.1:${server.address().port}/imgly-${version}/`);
  if (model) u.searchParams.set('model', model);
  if (device) u.searchParams.set('device', device);
  return u.href;
}
