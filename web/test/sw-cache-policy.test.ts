import catalogJson from '@catalog';
import { describe, expect, it } from 'vitest';
import { ORT_VERSION } from '../src/shared/build-info';
import { parseCatalog } from '../src/shared/catalog';
import { modelCacheKey } from '../src/shared/constants';
import {
  catalogModelKeys,
  isOrtRuntime,
  isStaleShellCache,
  shellCacheName,
} from '../src/sw/cache-policy';

describe('service worker cache policy', () => {
  it('names the shell cache after the build version', () => {
    expect(shellCacheName).toBe('cutout-shell-test-version');
  });

  it('prunes older shell caches but never the models cache', () => {
    expect(isStaleShellCache('cutout-shell-0123456789abcdef')).toBe(true);
    expect(isStaleShellCache(shellCacheName)).toBe(false);
    expect(isStaleShellCache('cutout-models')).toBe(false);
    expect(isStaleShellCache('someone-elses-cache')).toBe(false);
  });

  it('keeps exactly the models the catalog lists, keyed by file and digest', () => {
    const keys = catalogModelKeys('https://cutout.test');
    const catalog = parseCatalog(catalogJson);
    expect(keys.size).toBe(catalog.models.length);
    for (const model of catalog.models) {
      expect(keys.has(modelCacheKey('https://cutout.test', model))).toBe(true);
    }
    expect(keys.has('https://cutout.test/models/isnet-uint8.onnx?sha256=' + '0'.repeat(64))).toBe(
      false,
    );
  });

  it('recognises the versioned ORT runtime path', () => {
    expect(isOrtRuntime(`/ort/${ORT_VERSION}/ort-wasm-simd-threaded.wasm`)).toBe(true);
    expect(isOrtRuntime('/ort/0.0.1/ort-wasm-simd-threaded.wasm')).toBe(false);
    expect(isOrtRuntime('/models/isnet-uint8.onnx')).toBe(false);
  });
});
