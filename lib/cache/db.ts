/**
 * The extension's IndexedDB cache, through Dexie. Schema versions are cumulative (one file each in
 * migrations/): a new version adds to the previous one, never rewrites it, so an installed
 * extension upgrades in place. What the stores hold is declared in records.ts.
 */
import { Dexie, type EntityTable } from 'dexie';
import { CACHE_DB_NAME } from './layout';
import { CACHE_MIGRATIONS } from './migrations';
import type { CachedAliOrder, CachedStoreOrder, MetaEntry, MetaRecords, OutboxEntry, ParkedEntry, SeenRead, UnreadEntry } from './records';
import type { SyncRun } from './sync-run';

export type * from './records';

export type CacheDb = Dexie & {
  aliOrders: EntityTable<CachedAliOrder, 'aliOrderId'>;
  storeOrders: EntityTable<CachedStoreOrder, 'id'>;
  outbox: EntityTable<OutboxEntry, 'id'>;
  meta: EntityTable<MetaEntry, 'key'>;
  syncRuns: EntityTable<SyncRun, 'id'>;
  seen: EntityTable<SeenRead, 'id'>;
  parked: EntityTable<ParkedEntry, 'id'>;
  unread: EntityTable<UnreadEntry, 'key'>;
};

export function openCache(name = CACHE_DB_NAME): CacheDb {
  const db = new Dexie(name) as CacheDb;
  for (const { version, stores, upgrade } of CACHE_MIGRATIONS) {
    const declared = db.version(version).stores(stores);
    if (upgrade) declared.upgrade(upgrade);
  }
  return db;
}

export async function readMeta<K extends keyof MetaRecords>(db: CacheDb, key: K): Promise<MetaRecords[K] | undefined> {
  return (await db.meta.get(key))?.value as MetaRecords[K] | undefined;
}

export async function writeMeta<K extends keyof MetaRecords>(db: CacheDb, key: K, value: MetaRecords[K]): Promise<void> {
  await db.meta.put({ key, value } as MetaEntry);
}
