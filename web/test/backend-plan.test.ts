import { describe, expect, it } from 'vitest';
import catalogJson from '@catalog';
import {
  defaultModelId,
  mayRun,
  parseBackend,
  planFor,
  wasmFallback,
  WASM_FASTEST,
  type Device,
} from '../src/app/backend-plan';
import { findModel, parseCatalog } from '../src/shared/catalog';
import { CutoutError } from '../src/shared/errors';
import type { Backend, Capabilities } from '../src/shared/worker-api';

const catalog = parseCatalog(catalogJson);
const NO_GPU: Capabilities = { webgpu: false, shaderF16: false };
const GPU_F16: Capabilities = { webgpu: true, shaderF16: true };
const GPU_NO_F16: Capabilities = { webgpu: true, shaderF16: false };

const device = (caps: Capabilities, threads = 2, deviceMemory?: number): Device => ({
  caps,
  threads,
  deviceMemory,
});

const summary = (d: Device, requested?: string, forced?: Backend) => {
  const plan = planFor(catalog, d, requested, forced);
  return `${plan.model.id}@${plan.backend}`;
};

describe('planFor: WebGPU defaults', () => {
  it('with shader-f16: isnet-fp16 on WebGPU', () => {
    expect(summary(device(GPU_F16))).toBe('isnet-fp16@webgpu');
  });

  it('without shader-f16: isnet-fp32 on WebGPU, never fp16 (it returned zeros there)', () => {
    expect(summary(device(GPU_NO_F16))).toBe('isnet-fp32@webgpu');
    expect(summary(device(GPU_NO_F16, 16))).toBe('isnet-fp32@webgpu');
  });

  it('never puts a model on WebGPU whose catalog entry lacks webgpu (uint8 goes to WASM)', () => {
    expect(summary(device(GPU_F16), 'isnet-uint8')).toBe('isnet-uint8@wasm');
    expect(mayRun(findModel(catalog, 'isnet-uint8')!, 'webgpu', GPU_F16)).toBe(false);
  });

  it('runs a picked fp16 on WASM where the adapter lacks shader-f16', () => {
    expect(summary(device(GPU_NO_F16), 'isnet-fp16')).toBe('isnet-fp16@wasm');
  });

  it('runs picked fp32 and Lite on WebGPU when there is an adapter', () => {
    expect(summary(device(GPU_NO_F16), 'isnet-fp32')).toBe('isnet-fp32@webgpu');
    expect(summary(device(GPU_NO_F16), 'u2netp')).toBe('u2netp@webgpu');
  });
});

describe('planFor: WASM default by thread count (measured table)', () => {
  it('2 threads: isnet-uint8 (~2x faster than fp16 there)', () => {
    expect(summary(device(NO_GPU, 2))).toBe('isnet-uint8@wasm');
    expect(summary(device(NO_GPU, 1))).toBe('isnet-uint8@wasm');
  });

  it('8 threads and more: isnet-fp16 (3.05 s vs 3.32 s on 8 threads, 2.04 vs 2.30 s on 16)', () => {
    expect(summary(device(NO_GPU, 8))).toBe('isnet-fp16@wasm');
    expect(summary(device(NO_GPU, 16))).toBe('isnet-fp16@wasm');
    expect(summary(device(NO_GPU, 64))).toBe('isnet-fp16@wasm');
  });

  it('4 threads, and 5-7 (not measured), keep uint8 (2.66 s vs 3.44 s on 4 threads)', () => {
    expect(summary(device(NO_GPU, 4))).toBe('isnet-uint8@wasm');
    expect(summary(device(NO_GPU, 7))).toBe('isnet-uint8@wasm');
  });

  it('never defaults to isnet-fp32 on WASM, whatever the threads', () => {
    expect(WASM_FASTEST.map((r) => r.modelId)).not.toContain('isnet-fp32');
    for (const threads of [1, 2, 4, 8, 16, 32, 128]) {
      expect(planFor(catalog, device(NO_GPU, threads), undefined).model.id).not.toBe('isnet-fp32');
    }
  });

  it('runs isnet-fp32 on WASM only when picked', () => {
    expect(summary(device(NO_GPU), 'isnet-fp32')).toBe('isnet-fp32@wasm');
  });
});

describe('planFor: small memory', () => {
  it('reports of 4 GiB or less default to Lite, offering the usual model', () => {
    const plan = planFor(catalog, device(NO_GPU, 2, 4), undefined);
    expect(`${plan.model.id}@${plan.backend}`).toBe('u2netp@wasm');
    expect(plan.lowMemoryOffer?.id).toBe('isnet-uint8');
    expect(plan.explicit).toBe(false);
    const gpu = planFor(catalog, device(GPU_F16, 2, 0.5), undefined);
    expect(`${gpu.model.id}@${gpu.backend}`).toBe('u2netp@webgpu');
    expect(gpu.lowMemoryOffer?.id).toBe('isnet-fp16');
  });

  it('more memory, or none reported, keeps the usual default and offers nothing', () => {
    expect(planFor(catalog, device(NO_GPU, 2, 8), undefined).lowMemoryOffer).toBeUndefined();
    expect(summary(device(NO_GPU, 2, 8))).toBe('isnet-uint8@wasm');
    expect(summary(device(NO_GPU, 2, undefined))).toBe('isnet-uint8@wasm');
  });

  it('a pick beats the memory rule', () => {
    const plan = planFor(catalog, device(NO_GPU, 2, 2), 'isnet-fp16');
    expect(`${plan.model.id}@${plan.backend}`).toBe('isnet-fp16@wasm');
    expect(plan.lowMemoryOffer).toBeUndefined();
  });

  it('the default id follows the same rules', () => {
    expect(defaultModelId(catalog, device(NO_GPU, 2, 4))).toBe('u2netp');
    expect(defaultModelId(catalog, device(GPU_NO_F16, 2))).toBe('isnet-fp32');
  });
});

describe('planFor: an explicit pick', () => {
  it('is marked explicit; a default is not', () => {
    expect(planFor(catalog, device(NO_GPU), 'isnet-fp16').explicit).toBe(true);
    expect(planFor(catalog, device(NO_GPU), undefined).explicit).toBe(false);
  });

  it('rejects an unknown id with a typed error', () => {
    expect(() => planFor(catalog, device(NO_GPU), 'u2net')).toThrowError(
      expect.objectContaining({ code: 'model-unknown' }) as CutoutError,
    );
  });
});

describe('wasmFallback after a failed WebGPU session or run', () => {
  it('switches a default plan to the WASM default for the threads', () => {
    const d = device(GPU_NO_F16, 2);
    const fallback = wasmFallback(catalog, planFor(catalog, d, undefined), d);
    expect(`${fallback.model.id}@${fallback.backend}`).toBe('isnet-uint8@wasm');
    const many = device(GPU_NO_F16, 16);
    expect(wasmFallback(catalog, planFor(catalog, many, undefined), many).model.id).toBe(
      'isnet-fp16',
    );
  });

  it('keeps a model the person picked', () => {
    const d = device(GPU_F16);
    const fallback = wasmFallback(catalog, planFor(catalog, d, 'isnet-fp32'), d);
    expect(`${fallback.model.id}@${fallback.backend}`).toBe('isnet-fp32@wasm');
    expect(fallback.explicit).toBe(true);
  });

  it('falls back to Lite on a small-memory device', () => {
    const d = device(GPU_F16, 2, 2);
    const plan = { ...planFor(catalog, d, undefined), model: findModel(catalog, 'isnet-fp16')! };
    expect(wasmFallback(catalog, plan, d).model.id).toBe('u2netp');
  });
});

describe('planFor: a forced ?backend=', () => {
  it('forces WASM even where WebGPU with shader-f16 exists', () => {
    expect(summary(device(GPU_F16), undefined, 'wasm')).toBe('isnet-uint8@wasm');
  });

  it('forces WebGPU past the rules, for diagnosis (the session check and fallback guard it)', () => {
    expect(summary(device(GPU_NO_F16), 'isnet-fp16', 'webgpu')).toBe('isnet-fp16@webgpu');
    expect(summary(device(GPU_NO_F16), 'isnet-uint8', 'webgpu')).toBe('isnet-uint8@webgpu');
  });

  it('cannot force WebGPU where there is no adapter', () => {
    expect(planFor(catalog, device(NO_GPU), undefined, 'webgpu').backend).toBe('wasm');
  });

  it('parses only the two backend names', () => {
    expect(parseBackend('wasm')).toBe('wasm');
    expect(parseBackend('webgpu')).toBe('webgpu');
    expect(parseBackend('webnn')).toBeUndefined();
    expect(parseBackend(null)).toBeUndefined();
  });
});
