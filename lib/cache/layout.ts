/**
 * The cache database's names that code without Dexie relies on: the extension pages read the
 * cache with plain IndexedDB (reader.ts), and the worker's change signal names the stores that
 * changed. The Dexie schema in db.ts declares these stores and indexes;
 * tests/unit/cache/reader.test.ts checks that it does. Dexie-free, for the pages' bundles.
 */
export const CACHE_DB_NAME = 'ali-order-sync';
/** The schema version the worker's Dexie opens (the last of migrations/); IndexedDB sees it times 10. */
export const CACHE_DB_VERSION = 7;

/**
 * Every object store, with the indexes the pages read it by (an index is named by its key path;
 * the worker may keep more for its own queries).
 */
export const CACHE_STORES = {
  aliOrders: [],
  storeOrders: ['storeOrderNumber'],
  outbox: [],
  meta: [],
  syncRuns: ['startedAt'],
  seen: [],
  parked: [],
  unread: ['lastAt'],
} as const satisfies Record<string, readonly string[]>;

export type CacheStore = keyof typeof CACHE_STORES;
export type CacheIndex<S extends CacheStore> = (typeof CACHE_STORES)[S][number];

export function isCacheStore(name: string): name is CacheStore {
  return Object.hasOwn(CACHE_STORES, name);
}

