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

  it('describes both ISNet files with the contract input/output', () => {
    expect(catalog.inputSize).toBe(1024);
    expect(catalog.models.map((m) => m.id).sort()).toEqual(['isnet-fp16', 'isnet-uint8']);
    for (const model of catalog.models) {
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

  it('leaves out the models that no browser backend may run', () => {
    const native = (catalogJson as { models: { id: string; backends?: string[] }[] }).models.filter(
      (m) => m.backends && !m.backends.includes('wasm') && !m.backends.includes('webgpu'),
    );
    expect(native.map((m) => m.id)).toEqual(['isnet-fp32', 'u2netp']);
    expect(findModel(catalog, 'u2netp')).toBeUndefined();
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

  it('rejects an input shape that does not match inputSize', () => {
    const json = clone();
    json['models'][0].input.shape = [1, 3, 512, 512];
    expectInvalid(json, /input\.shape/);
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
