import catalogJson from '@catalog';
import { describe, expect, it } from 'vitest';
import { findModel, isPinned, parseCatalog } from '../src/shared/catalog';
import { modelCacheKey, modelDownloadPath } from '../src/shared/constants';
import { CutoutError } from '../src/shared/errors';

const clone = (): Record<string, any> => structuredClone(catalogJson) as Record<string, any>;

function expectInvalid(json: unknown, pattern: RegExp): void {
  try {
    parseCatalog(json);
  } catch (error) {
    expect(error).toBeInstanceOf(CutoutError);
    expect((error as CutoutError).code).toBe('catalog-invalid');
    expect((error as CutoutError).message).toMatch(pattern);
    return;
  }
  throw new Error('parseCatalog accepted an invalid catalog');
}

describe('the shared catalog (core/src/main/resources/dev/cutout/core/catalog.json)', () => {
  const catalog = parseCatalog(catalogJson);

  it('offers every tier in the browser, each with its own input size', () => {
    expect(catalog.models.map((m) => m.id).sort()).toEqual([
      'isnet-fp16',
      'isnet-fp32',
      'isnet-uint8',
      'u2netp',
    ]);
    expect(catalog.models.map((m) => [m.id, m.inputSize])).toEqual([
      ['isnet-fp16', 1024],
      ['isnet-uint8', 1024],
      ['isnet-fp32', 1024],
      ['u2netp', 320],
    ]);
  });

  it('describes the ISNet files with the contract input/output', () => {
    for (const model of catalog.models.filter((m) => m.id.startsWith('isnet-'))) {
      expect(model.inputScale).toBe('255');
      expect(model.outputScaling).toBe('none');
      expect(model.input).toEqual({ name: 'input', shape: [1, 3, 1024, 1024] });
      expect(model.output).toEqual({ name: 'output', shape: [1, 1, 1024, 1024] });
      expect(model.mean).toEqual([0.5, 0.5, 0.5]);
      expect(model.std).toEqual([1, 1, 1]);
    }
  });

  it('labels fp16 "Quality" and uint8 "Fast"', () => {
    expect(findModel(catalog, 'isnet-fp16')?.label).toBe('Quality');
    expect(findModel(catalog, 'isnet-fp16')?.precision).toBe('fp16');
    expect(findModel(catalog, 'isnet-uint8')?.label).toBe('Fast');
    expect(findModel(catalog, 'isnet-uint8')?.precision).toBe('uint8');
    expect(findModel(catalog, 'nope')).toBeUndefined();
  });

  it('brings U²-Netp with its own contract: 320², ImageNet mean/std, image-max in, min-max out', () => {
    const lite = findModel(catalog, 'u2netp')!;
    expect(lite.label).toBe('Lite');
    expect(lite.input).toEqual({ name: 'input.1', shape: [1, 3, 320, 320] });
    expect(lite.output).toEqual({ name: '1959', shape: [1, 1, 320, 320] });
    expect(lite.inputScale).toBe('image-max');
    expect(lite.outputScaling).toBe('min-max');
  });

  it('keeps the dynamically quantised uint8 off WebGPU (its ConvInteger runs on the CPU there)', () => {
    expect(findModel(catalog, 'isnet-uint8')!.backends).toEqual(['native', 'wasm']);
    expect(findModel(catalog, 'isnet-fp16')!.backends).toEqual(['native', 'wasm', 'webgpu']);
    expect(findModel(catalog, 'isnet-fp32')!.backends).toEqual(['native', 'wasm', 'webgpu']);
  });

  it('leaves out the models that no browser backend may run', () => {
    const json = clone();
    json['models'][3].backends = ['native'];
    const ids = parseCatalog(json).models.map((m) => m.id);
    expect(ids).not.toContain('u2netp');
    expect(ids).toHaveLength(3);
  });
});

describe('parseCatalog', () => {
  it('treats placeholder digests as not pinned, real ones as pinned', () => {
    const json = clone();
    json['models'][0].sha256 = 'TO_BE_PINNED';
    json['models'][0].bytes = 0;
    json['models'][1].sha256 = 'AB'.repeat(32);
    json['models'][1].bytes = 44342436;
    const catalog = parseCatalog(json);
    expect(isPinned(catalog.models[0]!)).toBe(false);
    expect(isPinned(catalog.models[1]!)).toBe(true);
    expect(catalog.models[1]!.sha256).toBe('ab'.repeat(32)); // normalised to lower case
  });

  it('rejects a catalog without models', () => {
    const json = clone();
    json['models'] = [];
    expectInvalid(json, /non-empty/);
  });

  it('rejects a file name that is a path', () => {
    const json = clone();
    json['models'][0].file = '../etc/passwd';
    expectInvalid(json, /plain file name/);
  });

  it('accepts any square input size, with the output at the same size', () => {
    const json = clone();
    json['models'][0].input.shape = [1, 3, 512, 512];
    json['models'][0].output.shape = [1, 1, 512, 512];
    expect(parseCatalog(json).models[0]!.inputSize).toBe(512);
  });

  it('rejects a non-square input and an output of another size', () => {
    const a = clone();
    a['models'][0].input.shape = [1, 3, 512, 256];
    expectInvalid(a, /input\.shape must be \[1, 3, N, N\]/);
    const b = clone();
    b['models'][0].input.shape = [1, 3, 512, 512];
    expectInvalid(b, /output\.shape must be \[1, 1, 512, 512\]/);
  });

  it('rejects unknown inputScale, outputScaling and backend names', () => {
    const a = clone();
    a['models'][0].inputScale = '65535';
    expectInvalid(a, /inputScale/);
    const b = clone();
    b['models'][0].outputScaling = 'sigmoid';
    expectInvalid(b, /outputScaling/);
    const c = clone();
    c['models'][0].backends = ['wasm', 'webnn'];
    expectInvalid(c, /backends/);
  });

  it('defaults an entry without the new fields to 255, none and every backend (as Java does)', () => {
    const json = clone();
    delete json['models'][0].backends;
    const model = parseCatalog(json).models[0]!;
    expect(model.backends).toEqual(['native', 'wasm', 'webgpu']);
    expect(model.inputScale).toBe('255');
    expect(model.outputScaling).toBe('none');
  });

  it('rejects duplicate ids', () => {
    const json = clone();
    json['models'][1].id = json['models'][0].id;
    expectInvalid(json, /unique/);
  });

  it('rejects an unknown precision and a zero std', () => {
    const a = clone();
    a['models'][0].precision = 'int4';
    expectInvalid(a, /precision/);
    const b = clone();
    b['models'][0].std = [1, 0, 1];
    expectInvalid(b, /std/);
  });

  it('rejects non-objects', () => {
    expectInvalid(null, /catalog must be an object/);
    expectInvalid([], /catalog must be an object/);
  });
});

describe('model URLs', () => {
  const entry = { file: 'isnet-uint8.onnx', sha256: 'c0ffee'.padEnd(64, '0') };

  it('downloads from /models/<file> on the same origin', () => {
    expect(modelDownloadPath(entry)).toBe('/models/isnet-uint8.onnx');
  });

  it('caches under a key that contains the digest', () => {
    const key = modelCacheKey('https://cutout.example', entry);
    expect(key).toBe(`https://cutout.example/models/isnet-uint8.onnx?sha256=${entry.sha256}`);
  });
});
