import catalogJson from '@catalog';
import { describe, expect, it } from 'vitest';
import { ModelPreference, type KeyValueStore } from '../src/app/model-preference';
import { parseCatalog } from '../src/shared/catalog';

const catalog = parseCatalog(catalogJson);

function memoryStore(): KeyValueStore & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
  };
}

describe('ModelPreference (the person’s pick, remembered across visits)', () => {
  it('remembers a pick for the next visit', () => {
    const store = memoryStore();
    expect(new ModelPreference(store, catalog).pick('u2netp', 'isnet-uint8')).toBe(true);
    expect(new ModelPreference(store, catalog).get()).toBe('u2netp');
  });

  it('forgets the pick when the person chooses the device’s default again', () => {
    const store = memoryStore();
    const preference = new ModelPreference(store, catalog);
    preference.pick('isnet-fp16', 'isnet-uint8');
    expect(preference.pick('isnet-uint8', 'isnet-uint8')).toBe(false);
    expect(preference.get()).toBeUndefined();
    expect(store.items.size).toBe(0);
  });

  it('forgets a remembered id the catalog no longer has', () => {
    const store = memoryStore();
    store.setItem('cutout.model', 'isnet-int4');
    expect(new ModelPreference(store, catalog).get()).toBeUndefined();
    expect(store.items.size).toBe(0);
  });

  it('works without storage, and where storage throws', () => {
    expect(new ModelPreference(undefined, catalog).get()).toBeUndefined();
    const throwing: KeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const preference = new ModelPreference(throwing, catalog);
    expect(preference.pick('u2netp', 'isnet-uint8')).toBe(true);
    expect(preference.get()).toBeUndefined();
  });
});
