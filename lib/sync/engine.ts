/**
 * Moving what the pages showed to the backend, and the backend's view back into the cache.
 * Everything it needs is passed in, so the same code runs in the service worker and in tests.
 */
import type { SyncResult } from '../domain/api';
import { foldAliOrderRead } from '../domain/ali-order-fold';
import { carriesOrders } from '../domain/page-kinds';
import { MAX_PAGE_SAMPLE_CHARS } from '../domain/page-sample';
import type { Snapshot } from '../domain/snapshot';
import { readMeta, writeMeta, type CacheDb, type CachedAliOrder, type CachedStoreOrder, type OrderPageKind, type OutboxEntry, type PageProblem, type QueuedEntry, type RefusedChanges, type SeenRead } from '../cache/db';
import { idList, idsLeft, type IdList } from '../cache/id-list';
import { recordRead, seenAtOf } from '../cache/seen';
import { originAfterRead } from '../cache/site';
import { recordUnread } from '../cache/unread';
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
  const kind = snapshot.kind;
  if (snapshot.orders.length === 0) {
    // Nothing to send, but the page read fine: a login or bot check shown earlier is behind the merchant.
    await cache.transaction('rw', [cache.meta, cache.unread], async () => {
      await noteGoodRead(cache, snapshot);
      await recordUnread(cache.unread, snapshot);
    });
    return;
  }
  await cache.transaction('rw', [cache.aliOrders, cache.outbox, cache.meta, cache.seen, cache.unread], async () => {
    const ids = snapshot.orders.map((o) => o.aliOrderId);
    const shown = idList(ids);
    const previous = await readRows(cache, ids);
    const queued = await coalesceOutbox(cache, snapshot, kind, shown, newKey);
    const id = (await cache.outbox.add({ idempotencyKey: newKey(), snapshot, createdAt: snapshot.capturedAt, attempts: 0 })) as number;
    queued.push({ id, kind, capturedAt: snapshot.capturedAt, ...shown });
    await writeMeta(cache, 'queuedOrders', queued);
    // Only what the read changed: most of a re-read list is what the cache holds already.
    const log = await cache.seen.toArray();
    const readAt = seenAtOf(log, ids, shown);
    const changed: CachedAliOrder[] = [];
    snapshot.orders.forEach((order, i) => {
      const before = previous[i];
      const known = before && { order: before.order, readAt: readAt.get(order.aliOrderId) ?? null, packageReadAt: before.packageReadAt ?? {} };
      const { order: folded, packageReadAt } = foldAliOrderRead(known, order, snapshot.capturedAt).known;
      const row: CachedAliOrder = { aliOrderId: order.aliOrderId, order: folded, ...(Object.keys(packageReadAt).length > 0 && { packageReadAt }) };
      if (!before || !sameJson(before, row)) changed.push(row);
    });
    if (changed.length > 0) await cache.aliOrders.bulkPut(changed);
    await recordSeen(cache, log, ids, snapshot.capturedAt);
    await noteGoodRead(cache, snapshot);
    await recordUnread(cache.unread, snapshot);
  });
}

/**
 * A page that read fine means the login or bot check shown earlier is behind the merchant, and
 * says which AliExpress site they use.
 */
async function noteGoodRead(cache: CacheDb, snapshot: Snapshot): Promise<void> {
  const at = snapshot.capturedAt;
  const problem = await readMeta(cache, 'lastPageProblem');
  if (problem && problem.at <= at) await cache.meta.delete('lastPageProblem');
  const before = await readMeta(cache, 'lastGoodReadAt');
  if (!before || before < at) await writeMeta(cache, 'lastGoodReadAt', at);
  const origin = originAfterRead(await readMeta(cache, 'aliexpressOrigin'), snapshot);
  if (origin) await writeMeta(cache, 'aliexpressOrigin', origin);
}

/** Records in the `seen` log that a page showed these orders at `at`. */
async function recordSeen(cache: CacheDb, log: readonly SeenRead[], ids: readonly string[], at: string): Promise<void> {
  const { add, put, remove } = recordRead(log, ids, at);
  if (remove.length > 0) await cache.seen.bulkDelete(remove);
  if (put.length > 0) await cache.seen.bulkPut(put);
  if (add) await cache.seen.add(add);
}

/**
 * The cached rows of these orders, in the same order. A list page shows orders placed around the
 * same time, and AliExpress order ids grow with time (the saved list in
 * tests/fixtures/aliexpress-real runs from 8210… in April to 8214… in September), so a big page's
 * ids are mostly neighbours in the cache: reading their range at once costs one request instead of
 * one per order (1,000 single reads were a third of a page's time). Ids spread among many other
 * cached orders are read one by one.
 */
async function readRows(cache: CacheDb, ids: string[]): Promise<(CachedAliOrder | undefined)[]> {
  if (ids.length < RANGE_READ_MIN) return cache.aliOrders.bulkGet(ids);
  // The key range in IndexedDB's own order (code units), not id-list.ts's numeric one.
  let [low, high] = [ids[0]!, ids[0]!];
  for (const id of ids) {
    if (id < low) low = id;
    if (id > high) high = id;
  }
  const range = cache.aliOrders.where(':id').between(low, high, true, true);
  if ((await range.count()) > ids.length * RANGE_READ_SPREAD) return cache.aliOrders.bulkGet(ids);
  const rows = new Map((await range.toArray()).map((row) => [row.aliOrderId, row]));
  return ids.map((id) => rows.get(id));
}

/** Below this many orders single reads are cheap enough. */
const RANGE_READ_MIN = 50;
/** A range holding more than this many cached orders per order asked for is read one by one. */
const RANGE_READ_SPREAD = 2;

/**
 * Latest wins per order: an unsent entry of the same page kind loses the orders the new snapshot
 * shows again (the new one says all they said, and more recently). Entries of other kinds are
 * left whole: a list snapshot must not drop the packages an unsent tracking snapshot carries, and
 * so are entries read after this snapshot. The entries are found through the outbox's index
 * (`queuedOrders`), which this brings up to date: entries sent since are dropped from it.
 * Returns the index as it now stands, without the new snapshot's entry.
 */
async function coalesceOutbox(cache: CacheDb, snapshot: Snapshot, kind: OrderPageKind, shown: IdList, newKey: () => string): Promise<QueuedEntry[]> {
  const indexed = (await readMeta(cache, 'queuedOrders')) ?? [];
  if (indexed.length === 0) return [];
  // (Every key of the outbox in one request: a few unsent entries, far cheaper than looking each up.)
  const unsent = new Set(await cache.outbox.toCollection().primaryKeys());
  const queued = indexed.filter((q) => unsent.has(q.id));
  const ids = new Set(snapshot.orders.map((o) => o.aliOrderId));
  const gone = new Set<number>();
  const partly: QueuedEntry[] = [];
  for (const q of queued) {
    if (q.kind !== kind || q.capturedAt > snapshot.capturedAt) continue;
    const kept = idsLeft(q, ids, shown);
    if (!kept) continue;
    // The same page read again: the new entry says all the old one did, which goes unread.
    if (kept.length === 0) gone.add(q.id);
    else partly.push(q);
  }
  if (gone.size > 0) await cache.outbox.bulkDelete([...gone]);
  const entries = partly.length > 0 ? await cache.outbox.bulkGet(partly.map((q) => q.id)) : [];
  for (const [i, entry] of entries.entries()) {
    const q = partly[i]!;
    // Sent since it was indexed.
    if (!entry) {
      gone.add(q.id);
      continue;
    }
    const kept = entry.snapshot.orders.filter((o) => !ids.has(o.aliOrderId));
    Object.assign(q, idList(kept.map((o) => o.aliOrderId)));
    // Another body under the same key would be refused as a conflict (the backend keeps each key's
    // body), and the old body may have reached it already: the smaller one is a new request.
    await cache.outbox.update(q.id, { snapshot: { ...entry.snapshot, orders: kept }, idempotencyKey: newKey() });
  }
  return queued.filter((q) => !gone.has(q.id));
}

/** After this many refusals an outbox entry is parked (moved aside, kept): about 15 minutes of its own backoff. */
export const MAX_ENTRY_REFUSALS = 5;

/** An entry the backend answered for without taking it, and what it said. */
export interface Refusal {
  entry: OutboxEntry;
  error: BackendError;
}

export interface PushOutcome {
  /** What the backend made of each order it took. */
  results: SyncResult[];
  /** Entries the backend refused or failed on while the rest could still flow; settleRefusals charges them. */
  refused: Refusal[];
}

/**
 * A failure that belongs to the entry, not to the pass: the backend refused its body (4xx) or
 * failed on it (5xx). Unreachable, a refused token, 429 (the backend asks everyone to wait) or an
 * answer in another format stop the whole pass.
 */
const isEntryRefusal = (error: BackendError): boolean => error.kind === 'rejected' || (error.kind === 'unavailable' && (error.status ?? 0) >= 500);

/**
 * Sends the outbox, oldest first; an entry leaves the outbox only once the backend took it. One
 * entry the backend refuses does not hold up the others: it is passed over, and waits out its own
 * backoff (`nextAttemptAt`) before it is sent again. Two refusals in a row with nothing taken
 * between them mean the backend itself is failing: the pass stops there.
 */
export async function pushOutbox(cache: CacheDb, client: BackendClient, now: Date = new Date()): Promise<PushOutcome> {
  const at = now.toISOString();
  const results: SyncResult[] = [];
  const refused: Refusal[] = [];
  let failingInARow = 0;
  for (const entry of await cache.outbox.orderBy('id').toArray()) {
    if (entry.nextAttemptAt && at < entry.nextAttemptAt) continue;
    try {
      const response = await client.sync({ idempotencyKey: entry.idempotencyKey, snapshots: [entry.snapshot] });
      await cache.outbox.delete(entry.id!);
      results.push(...response.results);
      failingInARow = 0;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await cache.outbox.update(entry.id!, { attempts: entry.attempts + 1, lastError: message });
      if (!(error instanceof BackendError) || !isEntryRefusal(error)) throw error;
      if (error.kind === 'unavailable' && ++failingInARow >= 2) throw error;
      refused.push({ entry, error });
    }
  }
  return { results, refused };
}

/**
 * Charges each refused entry one refusal, once the rest of the pass went through (a backend that
 * fails everything is not the entries' fault): it waits longer before its next try, and after
 * MAX_ENTRY_REFUSALS it is parked, kept whole with the backend's reason. An entry rewritten since
 * it was sent (a newer read took some of its orders) is a new request and is not charged.
 */
export async function settleRefusals(cache: CacheDb, refused: readonly Refusal[], now: Date, random: () => number = Math.random): Promise<void> {
  if (refused.length === 0) return;
  await cache.transaction('rw', cache.outbox, cache.parked, async () => {
    for (const { entry, error } of refused) {
      const current = await cache.outbox.get(entry.id!);
      if (!current || current.idempotencyKey !== entry.idempotencyKey) continue;
      const refusals = (current.refusals ?? 0) + 1;
      const status = error.status;
      if (refusals >= MAX_ENTRY_REFUSALS) {
        await cache.parked.add({ entry: { ...current, refusals }, reason: error.message, ...(status && { status }), parkedAt: now.toISOString() });
        await cache.outbox.delete(entry.id!);
      } else {
        const nextAttemptAt = new Date(now.getTime() + retryDelayMs(refusals, random)).toISOString();
        await cache.outbox.update(entry.id!, { refusals, nextAttemptAt, ...(status && { lastStatus: status }) });
      }
    }
  });
}

/** What the backend refuses, for the sync status: undefined when it took everything. */
async function refusedSummary(cache: CacheDb): Promise<RefusedChanges | undefined> {
  const retrying = (await cache.outbox.toArray()).filter((e) => (e.refusals ?? 0) > 0);
  const parked = await cache.parked.toArray();
  if (retrying.length === 0 && parked.length === 0) return undefined;
  const newestRetrying = retrying.at(-1);
  const newestParked = parked.at(-1);
  const reason = newestRetrying?.lastError ?? newestParked?.reason ?? '';
  return { retrying: retrying.length, parked: parked.length, reason };
}

/**
 * Makes the cached store orders the backend's current view of them. Only what changed is written
 * (most of a 10-minute pull is the same as the last one): rewriting every row made each pull cost
 * a full write of every order and woke every reader of the table for nothing.
 */
export async function pullOrders(cache: CacheDb, client: BackendClient, now: Date): Promise<number> {
  const pulled: CachedStoreOrder[] = [];
  const pulledAt = now.toISOString();
  let cursor: string | undefined;
  do {
    const page = await client.orders(cursor);
    for (const order of page.orders) pulled.push({ ...order, aliOrderIds: order.aliOrders.map((a) => a.aliOrderId), pulledAt });
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await cache.transaction('rw', cache.storeOrders, async () => {
    const cached = new Map((await cache.storeOrders.toArray()).map((row) => [row.id, row]));
    const changed = pulled.filter((order) => {
      const row = cached.get(order.id);
      cached.delete(order.id);
      return !row || !sameView(row, order);
    });
    // What is left was not in the backend's answer: gone from its view.
    if (cached.size > 0) await cache.storeOrders.bulkDelete([...cached.keys()]);
    if (changed.length > 0) await cache.storeOrders.bulkPut(changed);
  });
  return pulled.length;
}

/** The same view of a store order, whenever it was pulled. */
function sameView(a: CachedStoreOrder, b: CachedStoreOrder): boolean {
  return sameJson(a, b, 'pulledAt');
}

/**
 * Deep equality of JSON-like values (what the backend answers), whatever the order of keys; an
 * undefined property counts as absent. `skip` is left out of the comparison at the top level.
 * A pull compares 10,000 views: no copies, no key lists.
 */
export function sameJson(a: unknown, b: unknown, skip?: string): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let unmatched = 0;
  for (const key in left) {
    if (key === skip || left[key] === undefined) continue;
    if (!sameJson(left[key], right[key])) return false;
    unmatched++;
  }
  for (const key in right) if (key !== skip && right[key] !== undefined) unmatched--;
  return unmatched === 0;
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
    const { refused } = await pushOutbox(cache, client, now());
    await pullOrders(cache, client, now());
    await settleRefusals(cache, refused, now(), random);
    // The quota mirror stays fresh, so the popup shows it right before the click.
    await writeMeta(cache, 'quota', { quota: await client.quota(), receivedAt: now().toISOString() });
    // Not plain success while the backend refuses some of what was read: the popup says so.
    const refusedChanges = await refusedSummary(cache);
    await writeMeta(cache, 'syncStatus', { lastSyncAt: now().toISOString(), ...(refusedChanges && { refused: refusedChanges }) });
  } catch (error) {
    // Anything else (IndexedDB full, a bug) is recorded too: a pass that fails in silence looks
    // like one that never ran. It backs off like a backend failure; the popup shows its words.
    const backend = error instanceof BackendError ? error : undefined;
    const failures = (status.failures ?? 0) + 1;
    const later = (ms: number) => new Date(now().getTime() + ms).toISOString();
    await writeMeta(cache, 'syncStatus', {
      ...(status.lastSyncAt && { lastSyncAt: status.lastSyncAt }),
      ...(status.refused && { refused: status.refused }),
      lastError: backend ? backend.message : `The sync stopped: ${describeError(error)}`,
      lastErrorAt: at,
      ...(backend && { lastErrorKind: backend.kind }),
      failures,
      ...(backend?.kind === 'unauthorized' || backend?.kind === 'not_configured'
        ? { needsToken: true }
        : { retryAt: later(retryDelayMs(failures, random)) }),
      ...(backend?.retryAfter && { retryAfterAt: later(backend.retryAfter * 1000) }),
    });
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message || error.name;
  return String(error);
}
