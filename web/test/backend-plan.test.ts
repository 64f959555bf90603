import { describe, expect, it } from 'vitest';
import catalogJson from '@catalog';
import { parseBackend, planFor, wasmFallback } from '../src/app/backend-plan';
import { parseCatalog } from '../src/shared/catalog';
import { CutoutError } from '../src/shared/errors';
import type { Capabilities } from '../src/shared/worker-api';

const catalog = parseCatalog(catalogJson);
const NO_GPU: Capabilities = { webgpu: false, shaderF16: false };
const GPU_F16: Capabilities = { webgpu: true, shaderF16: true };
const GPU_NO_F16: Capabilities = { webgpu: true, shaderF16: false };

const summary = (caps: Capabilities, requested?: string) => {
  const plan = planFor(catalog, caps, requested);
  return `${plan.model.id}@${plan.backend}`;
};

describe('planFor: default model per backend', () => {
  it('WASM defaults to uint8 (measured ~2x faster than fp16 on WASM)', () => {
    expect(summary(NO_GPU)).toBe('isnet-uint8@wasm');
  });

  it('WebGPU with shader-f16 defaults to fp16 on WebGPU', () => {
    expect(summary(GPU_F16)).toBe('isnet-fp16@webgpu');
  });

  it('WebGPU without shader-f16 never defaults to fp16', () => {
    expect(summary(GPU_NO_F16)).toBe('isnet-uint8@webgpu');
  });
});

describe('planFor: an explicit ?model=', () => {
  it('runs an explicitly picked fp16 on WASM when the adapter lacks shader-f16', () => {
    expect(summary(GPU_NO_F16, 'isnet-fp16')).toBe('isnet-fp16@wasm');
  });

  it('keeps the picked model on the best backend it can use', () => {
    expect(summary(GPU_F16, 'isnet-uint8')).toBe('isnet-uint8@webgpu');
    expect(summary(NO_GPU, 'isnet-fp16')).toBe('isnet-fp16@wasm');
    expect(planFor(catalog, NO_GPU, 'isnet-fp16').explicit).toBe(true);
    expect(planFor(catalog, NO_GPU, undefined).explicit).toBe(false);
  });

  it('rejects an unknown id with a typed error', () => {
    expect(() => planFor(catalog, NO_GPU, 'u2net')).toThrowError(
      expect.objectContaining({ code: 'model-unknown' }) as CutoutError,
    );
  });
});

describe('wasmFallback after a failed WebGPU run', () => {
  it('switches a default fp16 plan to the WASM default (uint8)', () => {
    const fallback = wasmFallback(catalog, planFor(catalog, GPU_F16, undefined));
    expect(`${fallback.model.id}@${fallback.backend}`).toBe('isnet-uint8@wasm');
  });

  it('keeps a model the person picked', () => {
    const fallback = wasmFallback(catalog, planFor(catalog, GPU_F16, 'isnet-fp16'));
    expect(`${fallback.model.id}@${fallback.backend}`).toBe('isnet-fp16@wasm');
  });
});

describe('planFor: a forced ?backend=', () => {
  it('forces WASM even where WebGPU with shader-f16 exists', () => {
    const plan = planFor(catalog, GPU_F16, undefined, 'wasm');
    expect(`${plan.model.id}@${plan.backend}`).toBe('isnet-uint8@wasm');
  });

  it('forces WebGPU for fp16 without shader-f16, for diagnosis (the fallback still guards it)', () => {
    const plan = planFor(catalog, GPU_NO_F16, 'isnet-fp16', 'webgpu');
    expect(`${plan.model.id}@${plan.backend}`).toBe('isnet-fp16@webgpu');
  });

  it('cannot force WebGPU where there is no adapter', () => {
    expect(planFor(catalog, NO_GPU, undefined, 'webgpu').backend).toBe('wasm');
  });

  it('parses only the two backend names', () => {
    expect(parseBackend('wasm')).toBe('wasm');
    expect(parseBackend('webgpu')).toBe('webgpu');
    expect(parseBackend('webnn')).toBeUndefined();
    expect(parseBackend(null)).toBeUndefined();
  });
});
