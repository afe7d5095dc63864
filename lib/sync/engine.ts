/**
 * Moving what the pages showed to the backend, and the backend's view back into the cache.
 * Everything it needs is passed in, so the same code runs in the service worker and in tests.
 */
import type { SyncResult } from '../domain/api';
import { mergeAliOrder } from '../domain/merge';
import { carriesOrders, type Snapshot } from '../domain/snapshot';
import { readMeta, writeMeta, type CacheDb, type CachedStoreOrder, type PageProblem } from '../cache/db';
import { BackendError, type BackendClient } from './backend-client';

export interface SyncDeps {
  cache: CacheDb;
  /** Undefined until the merchant has set a backend URL and token. */
  client: BackendClient | undefined;
  now: () => Date;
  newKey: () => string;
  /** For the jitter of retry delays; tests pin it. */
  random?: () => number;
  /** What asked for the pass; it decides which waits apply (see runSync). */
  trigger?: SyncTrigger;
}

/**
 * - `capture`: a page was read; waits out the backoff after failures.
 * - `alarm`: the 10-minute pass, already gentle; waits only for what the backend asked (Retry-After).
 * - `merchant`: Refresh, settings saved, a manual sync ending; goes ahead regardless.
 */
export type SyncTrigger = 'capture' | 'alarm' | 'merchant';

/** How much of an unrecognised page is kept for the page report. */
export const MAX_PAGE_SAMPLE_CHARS = 200_000;

/** Retry delays after failed passes: doubling from 30 s up to 30 min, each with jitter. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_MAX_MS = 30 * 60_000;

/**
 * How long to wait after `failures` failed passes in a row. The jitter (50-100 %) keeps many
 * browsers that lost the same backend from coming back at the same second.
 */
export function retryDelayMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Keeps what a page showed and queues it for the backend. A login page, a bot check or a page
 * that could not be read is remembered as a problem to show, and never touches cached orders.
 */
export async function recordSnapshot(cache: CacheDb, snapshot: Snapshot, newKey: () => string, sample?: string): Promise<void> {
  if (!carriesOrders(snapshot.kind)) {
    const problem: PageProblem = {
      kind: snapshot.kind as PageProblem['kind'],
      url: snapshot.url,
      at: snapshot.capturedAt,
      warnings: snapshot.warnings,
      ...(sample && { sample: sample.slice(0, MAX_PAGE_SAMPLE_CHARS) }),
    };
    await writeMeta(cache, 'lastPageProblem', problem);
    await writeMeta(cache, 'pageReport', problem);
    return;
  }
  if (snapshot.orders.length === 0) return;
  await cache.transaction('rw', cache.aliOrders, cache.outbox, cache.meta, async () => {
    const previous = await cache.aliOrders.bulkGet(snapshot.orders.map((o) => o.aliOrderId));
    await cache.aliOrders.bulkPut(
      snapshot.orders.map((order, i) => ({
        aliOrderId: order.aliOrderId,
        order: mergeAliOrder(previous[i]?.order, order),
        seenAt: snapshot.capturedAt,
      })),
    );
    await coalesceOutbox(cache, snapshot);
    await cache.outbox.add({ idempotencyKey: newKey(), snapshot, aliOrderIds: snapshot.orders.map((o) => o.aliOrderId), createdAt: snapshot.capturedAt, attempts: 0 });
    // A page that read fine means the login or bot check shown earlier is behind the merchant.
    const problem = await readMeta(cache, 'lastPageProblem');
    if (problem && problem.at <= snapshot.capturedAt) await cache.meta.delete('lastPageProblem');
  });
}

/**
 * Latest wins per order: an unsent entry of the same page kind loses the orders the new snapshot
 * shows again (the new one says all they said, and more recently). Entries of other kinds are
 * left whole: a list snapshot must not drop the packages an unsent tracking snapshot carries.
 */
async function coalesceOutbox(cache: CacheDb, snapshot: Snapshot): Promise<void> {
  const ids = new Set(snapshot.orders.map((o) => o.aliOrderId));
  const overlapping = await cache.outbox.where('aliOrderIds').anyOf([...ids]).distinct().toArray();
  for (const entry of overlapping) {
    if (entry.snapshot.kind !== snapshot.kind || entry.snapshot.capturedAt > snapshot.capturedAt) continue;
    const kept = entry.snapshot.orders.filter((o) => !ids.has(o.aliOrderId));
    if (kept.length === 0) await cache.outbox.delete(entry.id!);
    else await cache.outbox.update(entry.id!, { snapshot: { ...entry.snapshot, orders: kept }, aliOrderIds: kept.map((o) => o.aliOrderId) });
  }
}

/**
 * Sends the outbox, oldest first; an entry leaves the outbox only once the backend took it.
 * Returns what the backend made of each order sent.
 */
export async function pushOutbox(cache: CacheDb, client: BackendClient): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const entry of await cache.outbox.orderBy('id').toArray()) {
    try {
      const response = await client.sync({ idempotencyKey: entry.idempotencyKey, snapshots: [entry.snapshot] });
      await cache.outbox.delete(entry.id!);
      results.push(...response.results);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await cache.outbox.update(entry.id!, { attempts: entry.attempts + 1, lastError: message });
      // A refused entry will not pass unchanged; the rest of the queue still can.
      if (error instanceof BackendError && error.kind === 'rejected') continue;
      throw error;
    }
  }
  return results;
}

/** Replaces the cached store orders with the backend's current view of them. */
export async function pullOrders(cache: CacheDb, client: BackendClient, now: Date): Promise<number> {
  const pulled: CachedStoreOrder[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.orders(cursor);
    for (const order of page.orders) {
      pulled.push({ ...order, aliOrderIds: order.aliOrders.map((a) => a.aliOrderId), pulledAt: now.toISOString() });
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await cache.transaction('rw', cache.storeOrders, async () => {
    await cache.storeOrders.clear();
    await cache.storeOrders.bulkPut(pulled);
  });
  return pulled.length;
}

/**
 * One pass: push the queue, pull the view, refresh the quota mirror, record how it went. After a
 * failure the next automatic passes wait (exponential backoff, or the backend's Retry-After); a
 * rejected token waits for the merchant. A forced pass goes ahead regardless.
 */
export async function runSync({ cache, client, now, trigger = 'merchant', random = Math.random }: SyncDeps): Promise<void> {
  const status = (await readMeta(cache, 'syncStatus')) ?? {};
  const at = now().toISOString();
  if (trigger !== 'merchant' && status.needsToken) return;
  if (trigger !== 'merchant' && status.retryAfterAt && at < status.retryAfterAt) return;
  if (trigger === 'capture' && status.retryAt && at < status.retryAt) return;
  try {
    if (!client) throw new BackendError('not_configured', 'Set the backend URL and API token in the options page.');
    await pushOutbox(cache, client);
    await pullOrders(cache, client, now());
    // The quota mirror stays fresh, so the popup shows it right before the click.
    await writeMeta(cache, 'quota', { quota: await client.quota(), receivedAt: now().toISOString() });
    await writeMeta(cache, 'syncStatus', { lastSyncAt: now().toISOString() });
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    const failures = (status.failures ?? 0) + 1;
    const later = (ms: number) => new Date(now().getTime() + ms).toISOString();
    await writeMeta(cache, 'syncStatus', {
      ...(status.lastSyncAt && { lastSyncAt: status.lastSyncAt }),
      lastError: error.message,
      lastErrorAt: at,
      lastErrorKind: error.kind,
      failures,
      ...(error.kind === 'unauthorized' || error.kind === 'not_configured'
        ? { needsToken: true }
        : { retryAt: later(retryDelayMs(failures, random)) }),
      ...(error.retryAfter && { retryAfterAt: later(error.retryAfter * 1000) }),
    });
  }
}
