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
import { idList, type IdList } from './id-list';

/** The page kinds that carry orders, and so reach the outbox. */
export type OrderPageKind = Extract<SnapshotKind, 'order_list' | 'order_detail' | 'tracking'>;

/**
 * An AliExpress order as last read from the merchant's pages. A read that shows it unchanged
 * leaves its row alone: when pages showed it is kept in `seen`, and which unsent snapshots carry
 * it in the outbox's index (`MetaRecords.queuedOrders`), because one IndexedDB record costs about
 * as much to write whatever its size, and rewriting every order's row on every read was most of
 * what reading a big order list cost.
 */
export interface CachedAliOrder {
  aliOrderId: string;
  order: AliOrder;
}

/** One page read in the log of when pages last showed each order (seen.ts): the orders it showed that no newer read has shown since. */
export interface SeenRead extends IdList {
  id?: number;
  /** When the page was read (ISO). */
  at: string;
}

/** An unsent outbox entry of an order page, with the orders it carries (for latest-wins coalescing). */
export interface QueuedEntry extends IdList {
  id: number;
  kind: OrderPageKind;
  capturedAt: string;
}

/** A store order as the backend last described it. */
export interface CachedStoreOrder extends OrderView {
  /** Its AliExpress orders' ids, for the popup's links between the two. */
  aliOrderIds: string[];
  /** When the backend sent this view of it; a pull that finds it unchanged leaves the row as it is. */
  pulledAt: string;
}

/** A snapshot waiting to reach the backend. */
export interface OutboxEntry {
  id?: number;
  /** Names this exact snapshot: an entry whose orders change gets a new one. */
  idempotencyKey: string;
  snapshot: Snapshot;
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
  /**
   * When an order page last read fine, with or without orders (an empty list shows none, so the
   * `seen` log cannot tell): page problems seen before it are over.
   */
  lastGoodReadAt: string;
  /** The same, kept until the next problem: what the options page's page report is made from. */
  pageReport: PageProblem;
  quota: QuotaMirror;
  /** Every unsent entry of an order page and its orders; entries sent since are pruned on the next read. */
  queuedOrders: QueuedEntry[];
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
  seen: EntityTable<SeenRead, 'id'>;
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
        .modify((entry: OutboxEntry & { aliOrderIds?: string[] }) => {
          entry.aliOrderIds = entry.snapshot.orders.map((o) => o.aliOrderId);
        }),
    );
  // v4: writes cost what they index. The outbox's multi-entry index (1,000 keys for a page of
  // 1,000 orders, and a 1,000-key anyOf to coalesce) made a read cost ~12 times writing its
  // orders; the orders' rows pointed at the entries that queue them instead (until v5).
  // The store orders are only ever listed by number; state and AliExpress ids are filtered in memory.
  db.version(4)
    .stores({ outbox: '++id, createdAt', storeOrders: 'id, storeOrderNumber' })
    .upgrade(async (tx) => {
      const queued = new Map<string, Partial<Record<OrderPageKind, number[]>>>();
      await tx
        .table('outbox')
        .orderBy('id')
        .modify((entry: OutboxEntry & { aliOrderIds?: string[] }) => {
          delete entry.aliOrderIds;
          if (!isOrderPageKind(entry.snapshot.kind)) return;
          for (const { aliOrderId } of entry.snapshot.orders) {
            const byKind = queued.get(aliOrderId) ?? {};
            (byKind[entry.snapshot.kind] ??= []).push(entry.id!);
            queued.set(aliOrderId, byKind);
          }
        });
      if (queued.size === 0) return;
      const rows: (RowUpToV4 | undefined)[] = await tx.table('aliOrders').bulkGet([...queued.keys()]);
      await tx.table('aliOrders').bulkPut(rows.filter((row) => row !== undefined).map((row) => ({ ...row, queued: queued.get(row.aliOrderId) })));
    });
  // v5: a read writes only the orders it changed. When each order was last seen moves to a log
  // of reads (`seen`), and which entries queue it to one index record; see CachedAliOrder.
  db.version(5)
    .stores({ aliOrders: 'aliOrderId', seen: '++id' })
    .upgrade(async (tx) => {
      const byTime = new Map<string, string[]>();
      await tx
        .table('aliOrders')
        .toCollection()
        .modify((row: RowUpToV4) => {
          if (row.seenAt) {
            const ids = byTime.get(row.seenAt);
            if (ids) ids.push(row.aliOrderId);
            else byTime.set(row.seenAt, [row.aliOrderId]);
          }
          delete row.seenAt;
          delete row.queued;
        });
      const reads = [...byTime].sort(([a], [b]) => a.localeCompare(b)).map(([at, ids]): SeenRead => ({ at, ...idList(ids) }));
      await tx.table('seen').bulkAdd(reads);
      const queued: QueuedEntry[] = [];
      await tx
        .table('outbox')
        .orderBy('id')
        .each((entry: OutboxEntry) => {
          const kind = entry.snapshot.kind;
          if (isOrderPageKind(kind)) queued.push({ id: entry.id!, kind, capturedAt: entry.snapshot.capturedAt, ...idList(entry.snapshot.orders.map((o) => o.aliOrderId)) });
        });
      if (queued.length > 0) await tx.table('meta').put({ key: 'queuedOrders', value: queued });
    });
  return db;
}

/** A cached order's row as versions 1-4 kept it. */
type RowUpToV4 = CachedAliOrder & { seenAt?: string; queued?: Partial<Record<OrderPageKind, number[]>> };

export function isOrderPageKind(kind: SnapshotKind): kind is OrderPageKind {
  return kind === 'order_list' || kind === 'order_detail' || kind === 'tracking';
}

export async function readMeta<K extends keyof MetaRecords>(db: CacheDb, key: K): Promise<MetaRecords[K] | undefined> {
  return (await db.meta.get(key))?.value as MetaRecords[K] | undefined;
}

export async function writeMeta<K extends keyof MetaRecords>(db: CacheDb, key: K, value: MetaRecords[K]): Promise<void> {
  await db.meta.put({ key, value } as MetaEntry);
}
