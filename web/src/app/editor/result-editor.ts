import { CutoutError, isCancelled } from '../../shared/errors';
import type { Rect } from '../../shared/rect';
import { pixelBox, placeSubjectBox, type SubjectBox } from '../../shared/subject-box';
import type {
  Background,
  ComposeArgs,
  ResultFiles,
  Segmented,
  Unpacked,
} from '../../shared/worker-api';
import type { QueueItem } from '../batch-queue';
import { byId, saveBlob } from '../element';
import { isNoSubject } from '../hosted/client';
import { AlphaCanvas } from './alpha-canvas';
import { BoxTool, type BoxCorners } from './box-tool';
import { BrushTool } from './brush-tool';
import { defaultCropMargin, subjectBounds } from './crop';
import { parseHexColour } from './hex-colour';
import { Stage } from './stage';
import { blurRadius, drawBlurPreview } from './blur-preview';

export type Compose = (signal: AbortSignal, args: ComposeArgs) => Promise<Blob>;
/** Hands the edited cutout back to the queue (BatchQueue.replaceResult). */
export type KeepEdits = (item: QueueItem, png: Blob) => void;
/** Decodes a result in the worker (SegmentationClient.unpack). */
export type Unpack = (signal: AbortSignal, files: ResultFiles) => Promise<Unpacked>;
/**
 * Runs an item's photo again on a subject box, where the item was processed: in the worker, or
 * on the server for an item the person sent there.
 */
export type SegmentInBox = (
  signal: AbortSignal,
  item: QueueItem,
  box: SubjectBox,
) => Promise<Segmented>;

/** How the last subject box went, on the editor as `data-box-state` (the browser tests read it). */
type BoxState = 'running' | 'done' | 'no-subject' | 'failed' | 'cancelled';

interface Session {
  readonly item: QueueItem;
  readonly files: ResultFiles;
  readonly width: number;
  readonly height: number;
  readonly alpha: Uint8ClampedArray;
  readonly brush: BrushTool;
  readonly boxTool: BoxTool;
  /** The subject box being run; aborted by Esc, a new box, or closing. */
  boxRun: AbortController | undefined;
  readonly controller: AbortController;
  backgroundImage: Blob | undefined;
  backgroundUrl: string | undefined;
  /** Whether the blurred original has been drawn behind the cutout yet (on first use). */
  blurDrawn: boolean;
}

/**
 * Edits one finished result on a stage that zooms and pans: before/after divider, background
 * (transparent, colour and presets, blur of the original, picture), soft or hard erase/restore
 * brush and "Box the subject" with undo/redo, crop to subject, and export as PNG. The model's
 * result is left untouched; edits work on a copy of its alpha.
 */
export class ResultEditor {
  private readonly section = byId<HTMLElement>('editor');
  private readonly title = byId<HTMLElement>('editor-title');
  private readonly before = byId<HTMLCanvasElement>('before-canvas');
  private readonly after = byId<HTMLCanvasElement>('after-canvas');
  private readonly afterLayer = byId<HTMLElement>('after-layer');
  private readonly blurCanvas = byId<HTMLCanvasElement>('blur-canvas');
  private readonly cropOutline = byId<HTMLElement>('crop-outline');
  private readonly boxOutline = byId<HTMLElement>('box-outline');
  private readonly brushSize = byId<HTMLInputElement>('brush-size');
  private readonly brushHardness = byId<HTMLInputElement>('brush-hardness');
  private readonly stage = new Stage({
    stage: byId('editor-stage'),
    content: byId('stage-content'),
    afterLayer: byId('after-layer'),
    divider: byId('divider'),
    ring: byId('brush-ring'),
    zoomLevel: byId<HTMLOutputElement>('zoom-level'),
  });
  private readonly undoButton = byId<HTMLButtonElement>('undo');
  private readonly redoButton = byId<HTMLButtonElement>('redo');
  private readonly crop = byId<HTMLInputElement>('crop');
  private readonly colour = byId<HTMLInputElement>('bg-colour-value');
  private readonly backgroundFile = byId<HTMLInputElement>('bg-image-file');
  private readonly exportButton = byId<HTMLButtonElement>('editor-download');
  private readonly exportStatus = byId<HTMLElement>('editor-status');
  private session: Session | undefined;
  /** The item open or being opened, whichever it is. */
  private current: QueueItem | undefined;
  /** The decode of the item being opened; aborted when another is opened or the editor closes. */
  private opening: AbortController | undefined;
  /** What had the focus when the editor opened (the item's Edit button), to return it there. */
  private returnFocus: HTMLElement | undefined;

  constructor(
    private readonly compose: Compose,
    private readonly unpack: Unpack,
    private readonly segmentInBox: SegmentInBox,
    private readonly keepEdits: KeepEdits = () => {},
  ) {
    byId('zoom-in').addEventListener('click', () => this.stage.zoomIn());
    byId('zoom-out').addEventListener('click', () => this.stage.zoomOut());
    byId('zoom-fit').addEventListener('click', () => this.stage.fit());
    byId('zoom-100').addEventListener('click', () => this.stage.actualSize());
    for (const radio of this.section.querySelectorAll<HTMLInputElement>('input[name=tool]')) {
      radio.addEventListener('change', () => this.applyTool());
    }
    for (const radio of this.section.querySelectorAll<HTMLInputElement>('input[name=bg]')) {
      radio.addEventListener('change', () => this.applyBackground());
    }
    this.colour.addEventListener('input', () => this.selectBackground('colour'));
    for (const swatch of this.section.querySelectorAll<HTMLButtonElement>('.swatch')) {
      const colour = swatch.dataset['colour'] ?? '#ffffff';
      swatch.style.backgroundColor = colour;
      swatch.addEventListener('click', () => {
        this.colour.value = colour;
        this.selectBackground('colour');
      });
    }
    this.backgroundFile.addEventListener('change', () => this.pickBackgroundImage());
    this.brushSize.addEventListener('input', () => this.applyBrush());
    this.brushHardness.addEventListener('input', () => this.applyBrush());
    this.undoButton.addEventListener('click', () => this.session?.brush.undo());
    this.redoButton.addEventListener('click', () => this.session?.brush.redo());
    this.crop.addEventListener('change', () => this.applyCrop());
    this.exportButton.addEventListener('click', () => void this.export());
    byId('editor-close').addEventListener('click', () => this.close());
    document.addEventListener('keydown', (event) => this.shortcut(event));
  }

  /**
   * Opens a finished item. The worker decodes its pixels now, from the original and the result's
   * PNG: the queue keeps only the PNG of each result.
   */
  async open(item: QueueItem): Promise<void> {
    const result = item.result;
    if (!result) return;
    this.close();
    this.current = item;
    const opening = new AbortController();
    this.opening = opening;
    this.returnFocus =
      document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    this.title.textContent = `Edit ${item.source.name}`;
    this.exportStatus.textContent = 'Opening…';
    this.exportButton.disabled = true;
    delete this.section.dataset['box'];
    delete this.section.dataset['boxState'];
    this.section.hidden = false;
    this.title.focus({ preventScroll: true });
    const files: ResultFiles = { original: item.source, cutout: result.png };
    let unpacked: Unpacked;
    try {
      unpacked = await this.unpack(opening.signal, files);
    } catch (error) {
      if (!opening.signal.aborted) {
        this.exportStatus.textContent = `Cannot edit: ${CutoutError.from(error).message}`;
      }
      return;
    }
    if (opening.signal.aborted) return;
    this.opening = undefined;
    this.exportButton.disabled = false;
    const { width, height, pixels, alpha } = unpacked;
    const originalAlpha = new Uint8ClampedArray(width * height);
    for (let i = 0; i < originalAlpha.length; i++) originalAlpha[i] = pixels[i * 4 + 3]!;
    new AlphaCanvas(this.before, pixels, undefined, width, height);
    const view = new AlphaCanvas(this.after, pixels, alpha, width, height);
    const stage = this.stage;
    const mapping = {
      toImage: (x: number, y: number) => stage.toImage(x, y),
      get scale() {
        return stage.view.scale;
      },
    };
    const brush = new BrushTool(mapping, view, alpha, originalAlpha, () => this.edited());
    const boxTool = new BoxTool(this.after, this.boxOutline, (box) => {
      if (this.session?.boxTool === boxTool) void this.runBox(this.session, box);
    });
    this.stage.open(width, height);
    this.session = {
      item,
      files,
      width,
      height,
      alpha,
      brush,
      boxTool,
      boxRun: undefined,
      controller: new AbortController(),
      backgroundImage: undefined,
      backgroundUrl: undefined,
      blurDrawn: false,
    };
    this.blurCanvas.hidden = true;
    this.applyBrush();
    this.exportStatus.textContent = '';
    this.applyTool();
    this.applyBackground();
    this.applyCrop();
    this.edited();
    this.section.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  /**
   * The item's result is going away (removed, or redone with Quality): an editor open on it closes
   * without keeping its edits, since the stored file it reads is deleted with the result.
   */
  letGo(item: QueueItem): void {
    if (this.current?.id === item.id) this.close(false);
  }

  close(keepEdits = true): void {
    this.current = undefined;
    this.opening?.abort();
    this.opening = undefined;
    const wasOpen = !this.section.hidden;
    this.section.hidden = true;
    if (wasOpen && this.returnFocus?.isConnected) this.returnFocus.focus();
    this.returnFocus = undefined;
    this.stage.use(undefined, undefined);
    const session = this.session;
    if (!session) return;
    if (keepEdits && session.brush.history.canUndo) void this.keep(session);
    session.controller.abort();
    session.boxRun?.abort();
    session.brush.cancel();
    session.boxTool.detach();
    if (session.backgroundUrl) URL.revokeObjectURL(session.backgroundUrl);
    this.session = undefined;
  }

  private applyTool(): void {
    const tool = this.selected('tool');
    const s = this.session;
    const painting = tool === 'erase' || tool === 'restore';
    this.stage.comparing = tool === 'compare';
    if (!s) return;
    s.brush.mode = painting ? tool : undefined;
    if (tool !== 'box') s.boxTool.cancel();
    if (painting) this.stage.use(s.brush, s.brush.diameter);
    else this.stage.use(tool === 'box' ? s.boxTool : undefined, undefined);
  }

  private applyBrush(): void {
    const brush = this.session?.brush;
    if (!brush) return;
    brush.diameter = Number(this.brushSize.value);
    brush.hardness = Number(this.brushHardness.value) / 100;
    this.applyTool();
  }

  private selectBackground(kind: 'transparent' | 'colour' | 'image' | 'blur'): void {
    const radio = this.section.querySelector<HTMLInputElement>(`input[name=bg][value=${kind}]`);
    if (radio) radio.checked = true;
    this.applyBackground();
  }

  private applyBackground(): void {
    const kind = this.selected('bg');
    const style = this.afterLayer.style;
    const picture = kind === 'image' ? this.session?.backgroundUrl : undefined;
    // "Picture" before a picture is chosen stays transparent: an empty layer would show the
    // original photo underneath, as if the cutout were undone
    this.afterLayer.classList.toggle(
      'checkerboard',
      kind === 'transparent' || (kind === 'image' && !picture),
    );
    style.backgroundColor = kind === 'colour' ? this.colour.value : '';
    style.backgroundImage = picture ? `url("${picture}")` : '';
    style.backgroundSize = picture ? 'cover' : '';
    style.backgroundPosition = picture ? 'center' : '';
    for (const swatch of this.section.querySelectorAll<HTMLButtonElement>('.swatch')) {
      const chosen = kind === 'colour' && swatch.dataset['colour'] === this.colour.value;
      swatch.setAttribute('aria-pressed', String(chosen));
    }
    const s = this.session;
    this.blurCanvas.hidden = kind !== 'blur' || !s;
    if (kind === 'blur' && s && !s.blurDrawn) {
      drawBlurPreview(this.before, this.blurCanvas, blurRadius(s.width, s.height));
      s.blurDrawn = true;
    }
  }

  private pickBackgroundImage(): void {
    const file = this.backgroundFile.files?.[0];
    const session = this.session;
    if (!file || !session) return;
    if (session.backgroundUrl) URL.revokeObjectURL(session.backgroundUrl);
    session.backgroundImage = file;
    session.backgroundUrl = URL.createObjectURL(file);
    this.selectBackground('image');
  }

  private applyCrop(): void {
    const rect = this.cropRect();
    const outline = this.cropOutline;
    outline.hidden = !rect;
    if (!rect || !this.session) return;
    const { width, height } = this.session;
    outline.style.left = `${(100 * rect.x) / width}%`;
    outline.style.top = `${(100 * rect.y) / height}%`;
    outline.style.width = `${(100 * rect.width) / width}%`;
    outline.style.height = `${(100 * rect.height) / height}%`;
  }

  private cropRect(): Rect | undefined {
    const s = this.session;
    if (!s || !this.crop.checked) return undefined;
    return subjectBounds(s.alpha, s.width, s.height, defaultCropMargin(s.width, s.height));
  }

  /**
   * Runs the photo again on the box the person drew. The new mask replaces the editor's as one
   * undo step; a box without a subject, a failure or a cancellation leaves the mask as it was.
   * The editor stays usable meanwhile: a new box replaces this one's run.
   */
  private async runBox(s: Session, corners: BoxCorners): Promise<void> {
    s.boxRun?.abort();
    const box = pixelBox(corners.x1, corners.y1, corners.x2, corners.y2);
    try {
      placeSubjectBox(box, s.width, s.height); // too small: said at once, without a run
    } catch (error) {
      this.boxEnded(s, 'failed', `Box not used: ${CutoutError.from(error).message}`);
      return;
    }
    const run = new AbortController();
    s.boxRun = run;
    this.section.dataset['boxState'] = 'running';
    this.exportStatus.textContent = 'Finding the subject in the box…';
    try {
      const result = await this.segmentInBox(run.signal, s.item, box);
      if (!result.subject) {
        this.boxEnded(s, 'no-subject', 'No subject found in the box; the mask is unchanged.');
        return;
      }
      const next = await this.unpack(run.signal, {
        original: s.files.original,
        cutout: result.png,
      });
      if (run.signal.aborted) return;
      if (next.width !== s.width || next.height !== s.height) {
        throw new CutoutError('internal', 'the new mask does not fit the picture');
      }
      s.brush.replace(next.alpha);
      this.section.dataset['box'] = `${corners.x1},${corners.y1},${corners.x2},${corners.y2}`;
      this.boxEnded(s, 'done', '');
    } catch (error) {
      if (run.signal.aborted || isCancelled(error)) return;
      if (isNoSubject(error)) {
        this.boxEnded(s, 'no-subject', 'No subject found in the box; the mask is unchanged.');
      } else {
        this.boxEnded(s, 'failed', `Box not used: ${CutoutError.from(error).message}`);
      }
    } finally {
      if (s.boxRun === run) s.boxRun = undefined;
    }
  }

  /** Esc: drops the box being dragged, or stops the one being run. */
  private cancelBox(s: Session): boolean {
    if (s.boxTool.cancel()) return true;
    if (!s.boxRun) return false;
    s.boxRun.abort();
    s.boxRun = undefined;
    this.boxEnded(s, 'cancelled', 'Box cancelled; the mask is unchanged.');
    return true;
  }

  private boxEnded(s: Session, state: BoxState, message: string): void {
    if (this.session !== s) return;
    s.boxTool.show(undefined);
    this.section.dataset['boxState'] = state;
    this.exportStatus.textContent = message;
  }

  private edited(): void {
    const brush = this.session?.brush;
    this.undoButton.disabled = !brush?.history.canUndo;
    this.redoButton.disabled = !brush?.history.canRedo;
    if (this.crop.checked) this.applyCrop();
  }

  private background(): Background {
    const kind = this.selected('bg');
    if (kind === 'colour') return { kind: 'colour', rgb: parseHexColour(this.colour.value) };
    if (kind === 'blur' && this.session) {
      return { kind: 'blur', radius: blurRadius(this.session.width, this.session.height) };
    }
    if (kind === 'image' && this.session?.backgroundImage) {
      return { kind: 'image', image: this.session.backgroundImage };
    }
    return { kind: 'transparent' };
  }

  /**
   * Brush edits outlive the editor: the edited alpha over the original, transparent and uncropped
   * (background and crop are choices of one export), replaces the item's result, so the list and
   * the ZIP show what the person made, and opening it again starts from there.
   */
  private async keep(s: Session): Promise<void> {
    try {
      const png = await this.compose(new AbortController().signal, {
        ...s.files,
        width: s.width,
        height: s.height,
        alpha: s.alpha,
        background: { kind: 'transparent' },
        crop: undefined,
      });
      this.keepEdits(s.item, png);
    } catch (error) {
      this.exportStatus.textContent = `Edits not kept: ${CutoutError.from(error).message}`;
    }
  }

  private async export(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.exportButton.disabled = true;
    this.exportStatus.textContent = 'Encoding…';
    try {
      const png = await this.compose(s.controller.signal, {
        ...s.files,
        width: s.width,
        height: s.height,
        alpha: s.alpha,
        background: this.background(),
        crop: this.cropRect(),
      });
      saveBlob(png, s.item.outputName.replace(/\.cutout\.png$/, '.edited.png'));
      this.exportStatus.textContent = '';
    } catch (error) {
      this.exportStatus.textContent = CutoutError.from(error).message;
    } finally {
      this.exportButton.disabled = false;
    }
  }

  private shortcut(event: KeyboardEvent): void {
    if (!this.session) return;
    if (event.key === 'Escape') {
      // Esc first drops a box being dragged or run; with none, it closes the editor
      if (this.cancelBox(this.session)) event.preventDefault();
      else if (event.target instanceof Node && this.inEditorOrPage(event.target)) {
        event.preventDefault();
        this.close();
      }
      return;
    }
    if (!(event.ctrlKey || event.metaKey)) return;
    const key = event.key.toLowerCase();
    if (key === 'z' && !event.shiftKey) this.session.brush.undo();
    else if (key === 'y' || (key === 'z' && event.shiftKey)) this.session.brush.redo();
    else return;
    event.preventDefault();
  }

  /** Esc in a dialog or another part of the page with its own Esc is not the editor's. */
  private inEditorOrPage(target: Node): boolean {
    return this.section.contains(target) || target === document.body;
  }

  private selected(name: 'tool' | 'bg'): string {
    return this.section.querySelector<HTMLInputElement>(`input[name=${name}]:checked`)?.value ?? '';
  }
}
