import { ViewTransform, type Point } from './view-transform';

/** A tool driven by one pointer on the picture (the brush, the subject box). */
export interface StageTool {
  down(event: PointerEvent): void;
  move(event: PointerEvent): void;
  up(event: PointerEvent): void;
  /** Drops what the pointer was doing (a second finger landed, the tool changed). */
  cancel(): void;
}

/** Factor per zoom button press. */
const ZOOM_STEP = 1.5;
/** Wheel zoom per pixel of scroll: plain wheels, and trackpad pinches (ctrl+wheel, finer deltas). */
const WHEEL_RATE = 0.0015;
const PINCH_WHEEL_RATE = 0.01;
/** The checkerboard's tile on screen, in CSS pixels, at every zoom. */
const TILE_CSS = 16;
/** The stage's height at most, as a share of the window's. */
const STAGE_HEIGHT_SHARE = 0.7;

export interface StageParts {
  readonly stage: HTMLElement;
  readonly content: HTMLElement;
  readonly afterLayer: HTMLElement;
  readonly divider: HTMLElement;
  readonly ring: HTMLElement;
  readonly zoomLevel: HTMLOutputElement;
}

/**
 * The editor's picture as a canvas to work on: zoom (wheel, trackpad or two-finger pinch,
 * buttons) and pan (drag with no tool, space+drag or the middle button with one, two fingers);
 * one pointer otherwise goes to the tool. The before/after divider is a handle on the stage,
 * dragged or moved with the arrow keys, and the after layer is clipped where it stands. A ring
 * shows the brush's footprint under the pointer.
 */
export class Stage {
  /** Where the picture lies; replaced for each picture opened. */
  view = new ViewTransform(1, 1);
  /** What one pointer does on the picture; none: it pans. */
  tool: StageTool | undefined;
  /** The brush's diameter on screen, for the ring; undefined hides it. */
  ringDiameter: number | undefined;
  /** Whether the divider is shown and clips the after layer (the Compare tool). */
  comparing = true;
  /** The divider's place, as a share of the stage's width. */
  private divide = 0.5;
  private readonly pointers = new Map<number, Point>();
  private gesture: 'none' | 'tool' | 'pan' | 'pinch' = 'none';
  private toolPointer: number | undefined;
  private pinch: { mid: Point; distance: number } | undefined;
  private spaceHeld = false;
  private hovering = false;
  private readonly resizeObserver = new ResizeObserver(() => this.layout());

  constructor(private readonly parts: StageParts) {
    const { stage, divider } = parts;
    stage.addEventListener('pointerdown', this.down);
    stage.addEventListener('pointermove', this.move);
    stage.addEventListener('pointerup', this.up);
    stage.addEventListener('pointercancel', this.up);
    stage.addEventListener('pointerenter', () => (this.hovering = true));
    stage.addEventListener('pointerleave', () => {
      this.hovering = false;
      this.parts.ring.hidden = true;
    });
    stage.addEventListener('wheel', this.wheel, { passive: false });
    divider.addEventListener('pointerdown', this.dividerDown);
    divider.addEventListener('pointermove', this.dividerMove);
    divider.addEventListener('keydown', this.dividerKey);
    document.addEventListener('keydown', this.spaceDown);
    document.addEventListener('keyup', this.spaceUp);
    this.resizeObserver.observe(stage);
  }

  /**
   * Hands the pointer to `tool` (none: dragging pans) and shows a ring of `ringDiameter` screen
   * pixels under the pointer (none: no ring). What the previous tool was doing is dropped.
   */
  use(tool: StageTool | undefined, ringDiameter: number | undefined): void {
    if (this.gesture === 'tool' && tool !== this.tool) {
      this.tool?.cancel();
      this.gesture = 'none';
      this.toolPointer = undefined;
    }
    this.tool = tool;
    this.ringDiameter = ringDiameter;
    if (ringDiameter === undefined) this.parts.ring.hidden = true;
    this.apply();
  }

  /** Shows a new picture of width × height, fitted. */
  open(width: number, height: number): void {
    const { content } = this.parts;
    this.view = new ViewTransform(width, height);
    content.style.width = `${width}px`;
    content.style.height = `${height}px`;
    this.pointers.clear();
    this.gesture = 'none';
    this.layout();
    this.view.fit();
    this.apply();
  }

  /** The image point (fractional pixels) under a pointer. */
  toImage(clientX: number, clientY: number): Point {
    return this.view.toImage(this.stagePoint(clientX, clientY));
  }

  zoomIn(): void {
    this.view.zoomBy(ZOOM_STEP);
    this.apply();
  }

  zoomOut(): void {
    this.view.zoomBy(1 / ZOOM_STEP);
    this.apply();
  }

  fit(): void {
    this.view.fit();
    this.apply();
  }

  actualSize(): void {
    this.view.zoomTo(1);
    this.apply();
  }

  /** Moves the transform, clip, divider, ring and zoom readout to the view's current state. */
  apply(): void {
    const { content, afterLayer, divider, stage, zoomLevel } = this.parts;
    const { scale, x, y } = this.view;
    content.style.transform = `translate(${x}px, ${y}px) scale(${scale})`;
    content.style.setProperty('--scale', String(scale));
    afterLayer.style.setProperty('--tile', `${TILE_CSS / scale}px`);
    const percent = Math.round(scale * 100);
    zoomLevel.value = `${percent}%`;
    stage.dataset['zoom'] = String(scale);
    divider.hidden = !this.comparing;
    if (this.comparing) {
      const at = this.divide * stage.clientWidth;
      const clip = Math.min(this.view.imageWidth, Math.max(0, (at - x) / scale));
      afterLayer.style.clipPath = `inset(0 0 0 ${clip}px)`;
      divider.style.left = `${at}px`;
      const value = Math.round(this.divide * 100);
      divider.setAttribute('aria-valuenow', String(value));
      divider.setAttribute('aria-valuetext', `${value}% before, ${100 - value}% after`);
    } else {
      afterLayer.style.clipPath = '';
    }
    stage.classList.toggle('grab', !this.tool || this.spaceHeld);
    stage.classList.toggle('painting', this.ringDiameter !== undefined);
  }

  /** Sizes the stage to the picture's shape within the window, and the view to the stage. */
  private layout(): void {
    const { stage } = this.parts;
    const { imageWidth, imageHeight } = this.view;
    const wide = stage.clientWidth;
    const tall = Math.min(
      window.innerHeight * STAGE_HEIGHT_SHARE,
      (wide * imageHeight) / imageWidth,
    );
    stage.style.height = `${Math.max(160, Math.round(tall))}px`;
    const refit = this.view.scale === this.view.fitScale;
    this.view.resize(stage.clientWidth, stage.clientHeight);
    if (refit) this.view.fit();
    this.apply();
  }

  private stagePoint(clientX: number, clientY: number): Point {
    const box = this.parts.stage.getBoundingClientRect();
    const { clientLeft, clientTop } = this.parts.stage;
    return { x: clientX - box.left - clientLeft, y: clientY - box.top - clientTop };
  }

  private readonly down = (event: PointerEvent) => {
    const { stage } = this.parts;
    this.pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    stage.setPointerCapture(event.pointerId);
    if (event.pointerType === 'touch' && this.pointers.size >= 2) {
      // a second finger: the first one's stroke or box was the start of a pinch, not an edit
      if (this.gesture === 'tool') this.tool?.cancel();
      this.toolPointer = undefined;
      this.gesture = 'pinch';
      this.pinch = this.pinchNow();
      event.preventDefault();
      return;
    }
    if (this.gesture !== 'none') return;
    const primary = event.button === 0;
    if (event.button === 1 || (primary && (this.spaceHeld || !this.tool))) {
      this.gesture = 'pan';
      event.preventDefault();
    } else if (primary && this.tool) {
      this.gesture = 'tool';
      this.toolPointer = event.pointerId;
      event.preventDefault();
      this.tool.down(event);
    }
  };

  private readonly move = (event: PointerEvent) => {
    this.showRing(event);
    const last = this.pointers.get(event.pointerId);
    if (!last) return;
    const now = { x: event.clientX, y: event.clientY };
    this.pointers.set(event.pointerId, now);
    if (this.gesture === 'pan') {
      this.view.panBy(now.x - last.x, now.y - last.y);
      this.apply();
    } else if (this.gesture === 'pinch') {
      const before = this.pinch;
      const after = this.pinchNow();
      if (!before || !after) return;
      this.view.panBy(after.mid.x - before.mid.x, after.mid.y - before.mid.y);
      if (before.distance > 0) this.view.zoomBy(after.distance / before.distance, after.mid);
      this.pinch = after;
      this.apply();
    } else if (this.gesture === 'tool' && event.pointerId === this.toolPointer) {
      this.tool?.move(event);
    }
  };

  private readonly up = (event: PointerEvent) => {
    if (!this.pointers.delete(event.pointerId)) return;
    const { stage } = this.parts;
    if (stage.hasPointerCapture(event.pointerId)) stage.releasePointerCapture(event.pointerId);
    if (this.gesture === 'tool' && event.pointerId === this.toolPointer) {
      this.toolPointer = undefined;
      if (event.type === 'pointercancel') this.tool?.cancel();
      else this.tool?.up(event);
    }
    // a pinch lasts until every finger is up: the last one alone neither paints nor pans
    if (this.pointers.size === 0) this.gesture = 'none';
    else if (this.gesture === 'tool' && this.toolPointer === undefined) this.gesture = 'none';
    this.pinch = this.gesture === 'pinch' ? this.pinchNow() : undefined;
  };

  /** The midpoint and spread of the first two pointers, in stage pixels. */
  private pinchNow(): { mid: Point; distance: number } | undefined {
    const [a, b] = [...this.pointers.values()];
    if (!a || !b) return undefined;
    const p = this.stagePoint(a.x, a.y);
    const q = this.stagePoint(b.x, b.y);
    return {
      mid: { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 },
      distance: Math.hypot(q.x - p.x, q.y - p.y),
    };
  }

  private readonly wheel = (event: WheelEvent) => {
    event.preventDefault();
    const lines = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? 16 : 1;
    const rate = event.ctrlKey ? PINCH_WHEEL_RATE : WHEEL_RATE;
    this.view.zoomBy(
      Math.exp(-event.deltaY * lines * rate),
      this.stagePoint(event.clientX, event.clientY),
    );
    this.apply();
  };

  private showRing(event: PointerEvent): void {
    const { ring } = this.parts;
    const diameter = this.ringDiameter;
    ring.hidden = diameter === undefined || this.gesture === 'pan' || this.gesture === 'pinch';
    if (diameter === undefined) return;
    const p = this.stagePoint(event.clientX, event.clientY);
    ring.style.width = ring.style.height = `${diameter}px`;
    ring.style.transform = `translate(${p.x - diameter / 2}px, ${p.y - diameter / 2}px)`;
  }

  private readonly dividerDown = (event: PointerEvent) => {
    if (event.button !== 0) return;
    event.stopPropagation();
    event.preventDefault();
    this.parts.divider.setPointerCapture(event.pointerId);
    this.parts.divider.focus();
  };

  private readonly dividerMove = (event: PointerEvent) => {
    if (!this.parts.divider.hasPointerCapture(event.pointerId)) return;
    this.moveDivider(
      this.stagePoint(event.clientX, event.clientY).x / this.parts.stage.clientWidth,
    );
  };

  private readonly dividerKey = (event: KeyboardEvent) => {
    const step = event.shiftKey ? 0.1 : 0.01;
    const moves: Record<string, number> = {
      ArrowLeft: this.divide - step,
      ArrowDown: this.divide - step,
      ArrowRight: this.divide + step,
      ArrowUp: this.divide + step,
      PageDown: this.divide - 0.1,
      PageUp: this.divide + 0.1,
      Home: 0,
      End: 1,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.moveDivider(to);
  };

  private moveDivider(share: number): void {
    this.divide = Math.min(1, Math.max(0, share));
    this.apply();
  }

  /** Space held over the picture turns a drag into a pan, as in image editors. */
  private readonly spaceDown = (event: KeyboardEvent) => {
    if (event.key !== ' ' || !this.hovering || this.parts.stage.closest('[hidden]')) return;
    event.preventDefault();
    if (this.spaceHeld) return;
    this.spaceHeld = true;
    this.apply();
  };

  private readonly spaceUp = (event: KeyboardEvent) => {
    if (event.key !== ' ' || !this.spaceHeld) return;
    this.spaceHeld = false;
    this.apply();
  };
}
