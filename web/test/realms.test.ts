import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The realms' boundaries are the build's, not a convention: each realm is a TypeScript project
 * that lists only its own files and references src/shared, so importing another realm's file
 * (or using a global its lib lacks) fails `npm run typecheck`. These tests break each boundary in
 * a copy of src/ and build it with the real tsconfig files; the working tree is never written.
 */

const web = resolve(import.meta.dirname, '..');
const tsc = join(web, 'node_modules/typescript/bin/tsc');
let copy: string;

beforeAll(() => {
  const root = mkdtempSync(join(tmpdir(), 'cutout-realms-'));
  copy = join(root, 'web');
  cpSync(join(web, 'src'), join(copy, 'src'), { recursive: true });
  cpSync(join(web, 'tsconfig.base.json'), join(copy, 'tsconfig.base.json'));
  // The catalog sits outside web/ (core's resources); keep it at the same relative place.
  const base = JSON.parse(readFileSync(join(web, 'tsconfig.base.json'), 'utf8'));
  for (const target of Object.values<string[]>(base.compilerOptions.paths ?? {}).flat()) {
    mkdirSync(dirname(join(copy, target)), { recursive: true });
    cpSync(join(web, target), join(copy, target));
  }
  // Packages are linked one by one so that the copy's build output (node_modules/.cache) is its
  // own and never touches the real one.
  mkdirSync(join(copy, 'node_modules'));
  for (const name of readdirSync(join(web, 'node_modules'))) {
    if (name !== '.cache')
      symlinkSync(join(web, 'node_modules', name), join(copy, 'node_modules', name));
  }
});

afterAll(() => {
  if (copy) rmSync(dirname(copy), { recursive: true, force: true });
});

/** Adds `source` to the copy as `file`, builds `realm` with tsc -b, and takes the file out again. */
function buildWith(realm: string, file: string, source: string) {
  const path = join(copy, file);
  writeFileSync(path, source);
  try {
    const run = spawnSync(process.execPath, [tsc, '-b', '--pretty', 'false', `src/${realm}`], {
      cwd: copy,
      encoding: 'utf8',
    });
    return { status: run.status, output: run.stdout + run.stderr };
  } finally {
    rmSync(path, { force: true });
  }
}

describe('realm boundaries', { timeout: 120_000 }, () => {
  it('let a realm import src/shared', () => {
    const run = buildWith(
      'app',
      'src/app/boundary-probe.ts',
      "import { CutoutError } from '../shared/errors';\nexport const probe = CutoutError;\n",
    );
    expect(run.output).toBe('');
    expect(run.status).toBe(0);
  });

  it.each([
    {
      boundary: 'app ↛ worker',
      realm: 'app',
      file: 'src/app/boundary-probe.ts',
      source: "import { Segmenter } from '../worker/segmenter';\nexport const probe = Segmenter;\n",
      error:
        /src\/worker\/segmenter\.ts' is not listed within the file list of project '.*\/src\/app\/tsconfig\.json'/,
    },
    {
      boundary: 'worker ↛ DOM',
      realm: 'worker',
      file: 'src/worker/boundary-probe.ts',
      source: 'export const probe = document.title;\n',
      error: /src\/worker\/boundary-probe\.ts\(1,22\): error TS\d+: Cannot find name 'document'/,
    },
    {
      boundary: 'sw ↛ app',
      realm: 'sw',
      file: 'src/sw/boundary-probe.ts',
      source: "import { catalog } from '../app/catalog';\nexport const probe = catalog;\n",
      error:
        /src\/app\/catalog\.ts' is not listed within the file list of project '.*\/src\/sw\/tsconfig\.json'/,
    },
    {
      boundary: 'sw ↛ worker',
      realm: 'sw',
      file: 'src/sw/boundary-probe.ts',
      source:
        "import { decodeImage } from '../worker/image-codec';\nexport const probe = decodeImage;\n",
      error:
        /src\/worker\/image-codec\.ts' is not listed within the file list of project '.*\/src\/sw\/tsconfig\.json'/,
    },
  ])('make $boundary a build error', ({ realm, file, source, error }) => {
    const run = buildWith(realm, file, source);
    expect(run.output).toMatch(error);
    expect(run.status).not.toBe(0);
  });
});
