import type { ModelEntry } from '../shared/catalog';
import type { CutoutError } from '../shared/errors';
import type { PngEncoderKind, Probe, SegmentTimings } from '../shared/worker-api';
import { LOW_MEMORY_GIB, type Plan } from './backend-plan';
import { byId } from './element';
import type { EngineStatus } from './segmentation-client';
import { downloadPercent, formatBytes, formatMs } from './units';

const PHASE_TEXT = {
  verify: 'Verifying model file (SHA-256)…',
  session: 'Setting up the inference session…',
  warmup: 'Warming up…',
} as const;

/** The engine line (model, backend, threads), the download bar and the timings panel. */
export class StatusView {
  private readonly engine = byId<HTMLElement>('engine');
  private readonly phase = byId<HTMLElement>('phase');
  private readonly bar = byId<HTMLProgressElement>('download-progress');
  private readonly error = byId<HTMLElement>('engine-error');
  private readonly notice = byId<HTMLElement>('engine-notice');
  private readonly timings = byId<HTMLElement>('timings');
  private readonly offerLine = byId<HTMLElement>('model-offer');
  private readonly offerText = byId<HTMLElement>('model-offer-text');
  private readonly offerButton = byId<HTMLButtonElement>('model-offer-accept');
  private offered: (() => void) | undefined;

  constructor() {
    this.offerButton.addEventListener('click', () => this.offered?.());
  }

  /**
   * The memory rule chose Lite: say so, and offer the model the device would otherwise run.
   * `undefined` hides the line.
   */
  offer(model: ModelEntry | undefined, accept: (modelId: string) => void): void {
    this.offerLine.hidden = model === undefined;
    if (!model) {
      this.offered = undefined;
      return;
    }
    this.offerText.textContent = `This device reports ${LOW_MEMORY_GIB} GB of memory or less, so the Lite model runs. `;
    this.offerButton.textContent = `Use ${model.label} instead (${formatBytes(model.bytes)})`;
    this.offerButton.dataset['model'] = model.id;
    this.offered = () => accept(model.id);
  }

  show(status: EngineStatus, probe: Probe | undefined): void {
    this.error.hidden = true;
    switch (status.state) {
      case 'starting':
        this.phase.textContent = 'Starting…';
        break;
      case 'preparing': {
        this.describe(status.plan, probe, undefined);
        const p = status.progress;
        if (p.phase === 'download') {
          const percent = downloadPercent(p.loaded, p.total);
          this.bar.hidden = false;
          this.bar.max = Math.max(p.total, 1);
          this.bar.value = p.loaded;
          this.phase.textContent = `Downloading model: ${formatBytes(p.loaded)} of ${formatBytes(p.total)} (${percent}%)`;
        } else {
          this.bar.hidden = true;
          this.phase.textContent = PHASE_TEXT[p.phase];
        }
        break;
      }
      case 'ready': {
        this.bar.hidden = true;
        this.describe(status.plan, probe, status.prepared.threads);
        this.engine.dataset['leanWeights'] = String(status.prepared.leanWeights);
        this.phase.textContent = 'Ready';
        const t = status.prepared.timings;
        this.setTiming(
          'download',
          status.prepared.fromCache ? 'from cache' : formatMs(t.downloadMs),
        );
        this.setTiming('verify', status.prepared.fromCache ? '—' : formatMs(t.verifyMs));
        this.setTiming('runtime', formatMs(t.runtimeMs));
        this.setTiming('session', formatMs(t.sessionMs));
        this.setTiming('warmup', formatMs(t.warmupMs));
        break;
      }
      case 'failed':
        this.bar.hidden = true;
        if (status.plan) this.describe(status.plan, probe, undefined);
        this.phase.textContent = 'Not ready';
        this.error.hidden = false;
        this.error.textContent = status.error.message;
        this.error.dataset['code'] = status.error.code;
        break;
    }
  }

  fellBack(reason: CutoutError): void {
    this.notice.hidden = false;
    this.notice.dataset['code'] = reason.code;
    this.notice.textContent = `WebGPU failed (${reason.message}); switched to WebAssembly.`;
  }

  imageTimings(t: SegmentTimings, encoder: PngEncoderKind): void {
    this.setTiming('decode', formatMs(t.decodeMs));
    this.setTiming('preprocess', formatMs(t.preprocessMs));
    this.setTiming('inference', formatMs(t.inferenceMs));
    const postprocess = this.setTiming('postprocess', formatMs(t.postprocessMs + t.encodeMs));
    if (postprocess) postprocess.dataset['pngEncoder'] = encoder;
  }

  private describe(plan: Plan, probe: Probe | undefined, threads: number | undefined): void {
    const backend = plan.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly (SIMD)';
    const threadText =
      plan.backend === 'wasm' && threads !== undefined
        ? ` · ${threads} thread${threads === 1 ? '' : 's'}`
        : '';
    const isolation = probe && !probe.crossOriginIsolated ? ' · not cross-origin isolated' : '';
    this.engine.textContent = `${plan.model.label} (${plan.model.id}) on ${backend}${threadText}${isolation}`;
    this.engine.dataset['backend'] = plan.backend;
    this.engine.dataset['model'] = plan.model.id;
    if (threads !== undefined) this.engine.dataset['threads'] = String(threads);
  }

  /** Writes one timing cell and returns it (undefined if the page has none of that name). */
  private setTiming(name: string, text: string): HTMLElement | undefined {
    const cell = this.timings.querySelector<HTMLElement>(`[data-timing="${name}"]`) ?? undefined;
    if (cell) cell.textContent = text;
    return cell;
  }
}
