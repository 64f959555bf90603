import type { ModelCatalog } from '../shared/catalog';
import { findModel } from '../shared/catalog';

/** The part of `Storage` a remembered pick needs (localStorage in the page, a map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'cutout.model';

/**
 * The person's model pick, remembered across visits. Picking the model this device would choose by
 * itself forgets the pick, so the device's default (which may change with a new browser or GPU)
 * applies again; a remembered id the catalog no longer has is forgotten too.
 */
export class ModelPreference {
  constructor(
    private readonly store: KeyValueStore | undefined,
    private readonly catalog: ModelCatalog,
  ) {}

  /** The remembered pick, if any and still in the catalog. */
  get(): string | undefined {
    const id = this.read();
    if (id === undefined) return undefined;
    if (findModel(this.catalog, id)) return id;
    this.forget();
    return undefined;
  }

  /** Remembers `modelId`, or forgets the pick when it is `defaultId`. Returns whether it is kept. */
  pick(modelId: string, defaultId: string): boolean {
    if (modelId === defaultId || !findModel(this.catalog, modelId)) {
      this.forget();
      return false;
    }
    try {
      this.store?.setItem(KEY, modelId);
    } catch {
      // Storage full or disabled (private mode): the pick holds for this visit only.
    }
    return true;
  }

  forget(): void {
    try {
      this.store?.removeItem(KEY);
    } catch {
      // nothing was stored
    }
  }

  private read(): string | undefined {
    try {
      return this.store?.getItem(KEY) ?? undefined;
    } catch {
      return undefined;
    }
  }
}

/** localStorage, or nothing where the browser refuses it (sandboxed frames throw on access). */
export function browserStore(): KeyValueStore | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}
