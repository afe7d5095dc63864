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
}

/**
 * Keeps what a page showed and queues it for the backend. A login page, a bot check or a page
 * that could not be read is remembered as a problem to show, and never touches cached orders.
 */
export async function recordSnapshot(cache: CacheDb, snapshot: Snapshot, newKey: () => string): Promise<void> {
  if (!carriesOrders(snapshot.kind)) {
    await writeMeta(cache, 'lastPageProblem', {
      kind: snapshot.kind as PageProblem['kind'],
      url: snapshot.url,
      at: snapshot.capturedAt,
      warnings: snapshot.warnings,
    });
    return;
  }
  if (snapshot.orders.length === 0) return;
  await cache.transaction('rw', cache.aliOrders, cache.outbox, async () => {
    const previous = await cache.aliOrders.bulkGet(snapshot.orders.map((o) => o.aliOrderId));
    await cache.aliOrders.bulkPut(
      snapshot.orders.map((order, i) => ({
        aliOrderId: order.aliOrderId,
        order: mergeAliOrder(previous[i]?.order, order),
        seenAt: snapshot.capturedAt,
      })),
    );
    await cache.outbox.add({ idempotencyKey: newKey(), snapshot, createdAt: snapshot.capturedAt, attempts: 0 });
  });
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

/** One automatic pass: push the queue, pull the view, record how it went. */
export async function runSync({ cache, client, now }: SyncDeps): Promise<void> {
  const status = (await readMeta(cache, 'syncStatus')) ?? {};
  try {
    if (!client) throw new BackendError('not_configured', 'Set the backend URL and API token in the options page.');
    await pushOutbox(cache, client);
    await pullOrders(cache, client, now());
    // The quota mirror stays fresh, so the popup shows it right before the click.
    await writeMeta(cache, 'quota', { quota: await client.quota(), receivedAt: now().toISOString() });
    await writeMeta(cache, 'syncStatus', { lastSyncAt: now().toISOString() });
  } catch (error) {
    await writeMeta(cache, 'syncStatus', {
      ...status,
      lastError: error instanceof Error ? error.message : String(error),
      lastErrorAt: now().toISOString(),
    });
    if (!(error instanceof BackendError)) throw error;
  }
}
