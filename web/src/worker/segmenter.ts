import type { ModelEntry } from '../shared/catalog';
import { CutoutError } from '../shared/errors';
import type { Backend } from '../shared/worker-api';
import { cpuPlacement } from './ep-placement';
import { captureLog } from './log-tap';
import type { OrtModule } from './ort-runtime';
import { inspectMask, scaleOutput } from './pixels/postprocess';
import { release } from './pixels/release';

type Session = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>;

/** ONNX Runtime's graph transformer that turns fp16 weights feeding fp32 nodes into fp32 copies. */
const FP16_WIDENING = 'FuseFp16InitializerToFp32NodeTransformer';

/** One ONNX Runtime session for one catalogued model on one backend. */
export class Segmenter {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Session,
    readonly model: ModelEntry,
    readonly backend: Backend,
  ) {}

  static async create(
    ort: OrtModule,
    bytes: Uint8Array,
    model: ModelEntry,
    backend: Backend,
    leanWeights = false,
  ): Promise<Segmenter> {
    let created: { value: Session; lines: string[] };
    try {
      created = await captureLog(() =>
        ort.InferenceSession.create(bytes, {
          executionProviders: [backend],
          graphOptimizationLevel: 'all',
          // ONNX Runtime's parallel executor frees each activation after its last reader; the
          // sequential one's planned arena holds ~190 MiB more at ISNet's peak in WebAssembly, at
          // the same speed (measured in Chromium with 2 threads; docs/benchmarks.md).
          executionMode: 'parallel',
          // On WebGPU the verbose log is where ORT says which nodes it put on the CPU.
          ...(backend === 'webgpu' ? { logSeverityLevel: 0 as const } : {}),
          // On WASM, ORT widens an fp16 file's weights to fp32 copies when the session is created
          // (this transformer): Quality then holds 176 MB of fp32 weights. Lean, they stay fp16
          // and each run casts them as it goes: in the app, isnet-fp16 on 2 threads, renderer
          // peak 916 -> 774 MiB, each run ~9% slower (the casts are single-threaded); so only
          // where memory is short (docs/benchmarks.md). Files without fp16 weights are unaffected.
          ...(leanWeights
            ? { extra: { optimization: { disable_specified_optimizers: FP16_WIDENING } } }
            : {}),
        }),
      );
    } catch (error) {
      throw new CutoutError(
        'session-failed',
        `could not create a ${backend} session for ${model.id}: ${String(error)}`,
      );
    }
    const session = created.value;
    if (backend === 'webgpu') {
      // Kernels WebGPU lacks run on the CPU with a GPU round trip each (isnet-uint8's ConvInteger
      // and DynamicQuantizeLinear: 2x slower than plain WASM on an H200, DESIGN.md §5). Such a
      // session is refused, so the page falls back to WASM instead of running it slowly.
      const cpu = cpuPlacement(created.lines);
      if (cpu.compute > 0) {
        await session.release();
        const ops = [...cpu.computeOps].map(([op, n]) => `${n} ${op}`).join(', ');
        throw new CutoutError(
          'webgpu-cpu-fallback',
          `${cpu.compute} nodes of ${model.id} would run on the CPU, not WebGPU (${ops})`,
        );
      }
    }
    return new Segmenter(ort, session, model, backend);
  }

  /**
   * One run on a neutral input, so the first image does not pay for kernel compilation and
   * buffer allocation. A NaN result means the backend is broken; an all-zero mask is plausible
   * for an empty picture and is only refused on real images.
   */
  async warmUp(): Promise<void> {
    const input = new Float32Array(this.inputLength());
    const mask = await this.run(input).finally(() => release(input));
    const verdict = inspectMask(mask);
    release(mask);
    if (verdict === 'nan') {
      throw new CutoutError('invalid-mask', `${this.backend} warm-up produced NaN`);
    }
  }

  /**
   * Runs the model and returns its probabilities (the output scaled as the catalog entry says),
   * refusing all-zero or NaN masks.
   */
  async segment(tensor: Float32Array): Promise<Float32Array> {
    const mask = scaleOutput(await this.run(tensor), this.model.outputScaling);
    const verdict = inspectMask(mask);
    if (verdict !== 'ok') {
      throw new CutoutError(
        'invalid-mask',
        `${this.model.id} on ${this.backend} returned a mask that is ${verdict === 'nan' ? 'NaN' : 'all zeros'}`,
      );
    }
    return mask;
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private inputLength(): number {
    return this.model.input.shape.reduce((a, b) => a * b, 1);
  }

  private async run(tensor: Float32Array): Promise<Float32Array> {
    const input = new this.ort.Tensor('float32', tensor, [...this.model.input.shape]);
    try {
      // Fetch only `output`: the graph has six side outputs we would otherwise copy back.
      const results = await this.session.run({ [this.model.input.name]: input }, [
        this.model.output.name,
      ]);
      const output = results[this.model.output.name];
      if (!output || !(output.data instanceof Float32Array)) {
        throw new Error(`no float32 "${this.model.output.name}" in the results`);
      }
      const data = output.data;
      output.dispose();
      return data;
    } catch (error) {
      throw CutoutError.from(error, 'inference-failed');
    } finally {
      input.dispose();
    }
  }
}
