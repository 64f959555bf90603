/** A rectangle of whole pixels: the editor's crop, sent to the worker with the export. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}
