/**
 * The extension's IndexedDB cache, through Dexie. Schema versions are cumulative: a new version
 * adds to the previous one, never rewrites it, so an installed extension upgrades in place.
 */
import { Dexie, type EntityTable } from 'dexie';
import type { OrderView } from '../domain/api';
import type { QuotaState } from '../domain/quota';
import type { BackendErrorKind } from '../sync/backend-client';
import type { AliOrder, Snapshot, SnapshotKind } from '../domain/snapshot';
import type { SyncRun } from '../domain/sync-run';

/** An AliExpress order as last read from the merchant's pages. */
export interface CachedAliOrder {
  aliOrderId: string;
  order: AliOrder;
  /** When a page last showed it (ISO). */
  seenAt: string;
}

/** A store order as the backend last described it. */
export interface CachedStoreOrder extends OrderView {
  /** Indexed, so a search by AliExpress order id finds the store order. */
  aliOrderIds: string[];
  pulledAt: string;
}

/** A snapshot waiting to reach the backend. */
export interface OutboxEntry {
  id?: number;
  idempotencyKey: string;
  snapshot: Snapshot;
  /** The orders in the snapshot, indexed: a newer read of them finds this entry without a scan. */
  aliOrderIds: string[];
  createdAt: string;
  attempts: number;
  lastError?: string;
}

export interface PageProblem {
  kind: Exclude<SnapshotKind, 'order_list' | 'order_detail' | 'tracking'>;
  url: string;
  at: string;
  warnings: string[];
  /** A bounded copy of the page the readers did not recognise, for the page report. */
  sample?: string;
}

export interface SyncStatus {
  lastSyncAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  /** Failed passes in a row. */
  failures?: number;
  /** Passes started by page reads wait until then (exponential backoff after failures). */
  retryAt?: string;
  /** No automatic pass before then: the backend asked for it (Retry-After). */
  retryAfterAt?: string;
  /** The token was refused or is missing: automatic passes wait for the merchant to fix it. */
  needsToken?: boolean;
  /** What kind of failure the last one was, so the popup can say what to do. */
  lastErrorKind?: BackendErrorKind;
}

/** The backend's last word on the manual-sync quota, so the popup can show it before the click. */
export interface QuotaMirror {
  quota: QuotaState;
  /** When the backend said it. */
  receivedAt: string;
}

export interface MetaRecords {
  syncStatus: SyncStatus;
  /** The login page, bot check or unreadable page seen last; cleared by the next good read (banners). */
  lastPageProblem: PageProblem;
  /** The same, kept until the next problem: what the options page's page report is made from. */
  pageReport: PageProblem;
  quota: QuotaMirror;
}

export interface MetaEntry<K extends keyof MetaRecords = keyof MetaRecords> {
  key: K;
  value: MetaRecords[K];
}

export type CacheDb = Dexie & {
  aliOrders: EntityTable<CachedAliOrder, 'aliOrderId'>;
  storeOrders: EntityTable<CachedStoreOrder, 'id'>;
  outbox: EntityTable<OutboxEntry, 'id'>;
  meta: EntityTable<MetaEntry, 'key'>;
  syncRuns: EntityTable<SyncRun, 'id'>;
};

export function openCache(name = 'ali-order-sync'): CacheDb {
  const db = new Dexie(name) as CacheDb;
  db.version(1).stores({
    aliOrders: 'aliOrderId, seenAt',
    storeOrders: 'id, state, storeOrderNumber, *aliOrderIds',
    outbox: '++id, createdAt',
    meta: 'key',
  });
  // v2: manual sync runs, newest first by start time.
  db.version(2).stores({ syncRuns: 'id, startedAt, status' });
  // v3: the outbox indexed by the orders it carries (latest-wins coalescing looks them up).
  db.version(3)
    .stores({ outbox: '++id, createdAt, *aliOrderIds' })
    .upgrade((tx) =>
      tx
        .table('outbox')
        .toCollection()
        .modify((entry: OutboxEntry) => {
          entry.aliOrderIds = entry.snapshot.orders.map((o) => o.aliOrderId);
        }),
    );
  return db;
}

export async function readMeta<K extends keyof MetaRecords>(db: CacheDb, key: K): Promise<MetaRecords[K] | undefined> {
  return (await db.meta.get(key))?.value as MetaRecords[K] | undefined;
}

export async function writeMeta<K extends keyof MetaRecords>(db: CacheDb, key: K, value: MetaRecords[K]): Promise<void> {
  await db.meta.put({ key, value } as MetaEntry);
}
