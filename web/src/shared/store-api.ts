import type { MethodSpec } from './bridge';

/**
 * The messages between the page and the result store worker (src/worker/result-store-worker.ts):
 * finished cutouts go to the Origin Private File System, so that a batch of hundreds holds
 * thumbnails in memory and the PNGs on disk, and the ZIP is written there too, off the main thread.
 */
// A type alias, not an interface, so it satisfies ApiSpec's index signature.
export type ResultStoreApi = {
  /** Makes this page's folder, deleting those of pages that are gone. */
  open: MethodSpec<void, StoreOpened>;
  /** Writes one result and makes its thumbnail. */
  keep: MethodSpec<KeepArgs, Kept>;
  /** Deletes one result (removed, redone, or replaced by an edit). */
  drop: MethodSpec<{ readonly key: string }, void>;
  /** Packs results into one ZIP; progress counts the entries written. */
  zip: MethodSpec<{ readonly entries: readonly ZipEntry[] }, Blob, ZipProgress>;
};

export interface StoreOpened {
  /** Where results live: 'disk' (the Origin Private File System) or 'memory' (no OPFS here). */
  readonly where: 'disk' | 'memory';
  /** Why the results stay in memory, for the page to say. */
  readonly reason?: string;
  /** Folders of earlier pages deleted now. */
  readonly cleared: number;
}

export interface KeepArgs {
  /** A file name unique within this page, e.g. "12-1.png": one per version of one item. */
  readonly key: string;
  readonly png: Blob;
  readonly width: number;
  readonly height: number;
}

export interface Kept {
  /** The PNG as it is now kept: a File read from disk, or the same Blob where disk is unavailable. */
  readonly png: Blob;
  readonly where: 'disk' | 'memory';
  /** A small image for the list (at most THUMBNAIL_SIDE pixels a side); absent if none could be made. */
  readonly thumbnail?: Blob;
}

/** The list shows 96×72 CSS pixels: twice that covers 2x screens. */
export const THUMBNAIL_SIDE = 192;

export interface ZipEntry {
  readonly name: string;
  readonly png: Blob;
}

export interface ZipProgress {
  readonly written: number;
  readonly total: number;
}
