import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { identityModel } from '../src/worker/runtime-warmup';

describe('the runtime warm-up model', () => {
  it('is a valid ONNX model that ONNX Runtime Web runs as y = x', async () => {
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(identityModel(), {
      executionProviders: ['wasm'],
    });
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([0.25]), [1]) });
    expect(Array.from(out['y']!.data as Float32Array)).toEqual([0.25]);
    await session.release();
  });
});
