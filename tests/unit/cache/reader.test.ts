/**
 * The pages' read-only cache reader against a database the worker's Dexie schema made, and the
 * worker's change signal that tells the pages to read again (fake-indexeddb, Node's BroadcastChannel).
 */
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { changedStores, setupCacheSignal } from '../../../lib/background/cache-signal';
import { openCache, writeMeta, type CacheDb, type CachedAliOrder } from '../../../lib/cache/db';
import { idList } from '../../../lib/cache/id-list';
import { latestSeen, seenLookup } from '../../../lib/cache/seen';
import { CACHE_STORES, type CacheStore } from '../../../lib/cache/layout';
import { openCacheReader, type CacheReader } from '../../../lib/cache/reader';
import { isCacheChanged, type CacheChanged } from '../../../lib/cache/broadcast';
import type { SyncRun } from '../../../lib/cache/sync-run';
import { order } from '../presentation/orders';

const captured = (n: number): CachedAliOrder => ({
  aliOrderId: String(8_200_000_000_000_000 + n),
  order: { aliOrderId: String(8_200_000_000_000_000 + n), status: 'shipped', packages: [] },
});

const run = (id: string, startedAt: string): SyncRun => ({
  id,
  status: 'done',
  step: 'finished',
  startedAt,
  pagesLoaded: 1,
  watched: 0,
  ordersSeen: 0,
  changed: 0,
  newTrackingNumbers: 0,
});

const opened: { close(): void }[] = [];
const keep = <T extends { close(): void }>(thing: T): T => (opened.push(thing), thing);
afterEach(() => {
  for (const thing of opened.splice(0)) thing.close();
});

const freshName = () => `reader-${Math.random()}`;

async function seeded(): Promise<{ cache: CacheDb; reader: CacheReader }> {
  const name = freshName();
  const cache = keep(openCache(name));
  await cache.storeOrders.bulkPut([order({ id: 'a', storeOrderNumber: '#1001' }), order({ id: 'c', storeOrderNumber: '#1003' }), order({ id: 'b', storeOrderNumber: '#1002' })]);
  await cache.aliOrders.bulkPut([captured(1), captured(2), captured(3)]);
  await cache.seen.bulkAdd([
    { at: '2026-07-19T09:00:00.000Z', ...idList([captured(3).aliOrderId]) },
    { at: '2026-07-20T10:00:00.000Z', ...idList([captured(1).aliOrderId, captured(2).aliOrderId]) },
    { at: '2026-07-20T11:00:00.000Z', ...idList([captured(2).aliOrderId]) },
  ]);
  await cache.syncRuns.bulkPut([run('r1', '2026-07-20T08:00:00.000Z'), run('r2', '2026-07-20T09:00:00.000Z')]);
  await writeMeta(cache, 'syncStatus', { lastSyncAt: '2026-07-20T11:30:00.000Z' });
  return { cache, reader: keep(openCacheReader(name)) };
}

describe('the cache layout', () => {
  it('names every store of the Dexie schema, and indexes that schema declares', async () => {
    const cache = keep(openCache(freshName()));
    await cache.open();
    const schema = Object.fromEntries(cache.tables.map((t) => [t.name, t.schema.indexes.map((i) => i.name)]));
    expect(Object.keys(CACHE_STORES).sort()).toEqual(Object.keys(schema).sort());
    for (const [store, indexes] of Object.entries(CACHE_STORES)) for (const index of indexes) expect(schema[store], `${store}.${index}`).toContain(index);
  });
});

describe('the cache reader', () => {
  it('reads what the worker wrote: whole stores, keys, rows by key, counts and meta records', async () => {
    const { reader } = await seeded();
    expect((await reader.all('storeOrders')).map((o) => o.id)).toEqual(['a', 'b', 'c']);
    expect(await reader.keys('aliOrders')).toEqual([captured(1).aliOrderId, captured(2).aliOrderId, captured(3).aliOrderId]);
    const [second, missing] = await reader.get('aliOrders', [captured(2).aliOrderId, '8299999999999999']);
    expect(second).toEqual(captured(2));
    expect(missing).toBeUndefined();
    expect(await reader.get('aliOrders', [])).toEqual([]);
    expect(await reader.count('storeOrders')).toBe(3);
    expect(await reader.count('outbox')).toBe(0);
    expect(await reader.meta('syncStatus')).toEqual({ lastSyncAt: '2026-07-20T11:30:00.000Z' });
    expect(await reader.meta('quota')).toBeUndefined();
  });

  it('reads when pages last showed each order, and the last good read', async () => {
    const { reader } = await seeded();
    const shards = await reader.all('seen');
    const seenAt = seenLookup(shards);
    expect(seenAt(captured(1).aliOrderId)).toBe('2026-07-20T10:00:00.000Z');
    expect(seenAt(captured(3).aliOrderId)).toBe('2026-07-19T09:00:00.000Z');
    expect(seenAt('8299999999999999')).toBeUndefined();
    expect(latestSeen(shards)).toBe('2026-07-20T11:00:00.000Z');
    expect(latestSeen([])).toBeUndefined();
  });

  it('reads the last rows of an index, last first', async () => {
    const { reader } = await seeded();
    expect((await reader.last('storeOrders', 'storeOrderNumber', 2)).map((o) => o.storeOrderNumber)).toEqual(['#1003', '#1002']);
    expect((await reader.last('storeOrders', 'storeOrderNumber', 10)).map((o) => o.storeOrderNumber)).toEqual(['#1003', '#1002', '#1001']);
    expect((await reader.last('syncRuns', 'startedAt', 1)).map((r) => r.id)).toEqual(['r2']);
    expect(await reader.last('storeOrders', 'storeOrderNumber', 0)).toEqual([]);
  });

  it('never creates the database: before the worker does, the cache reads empty, and the worker then creates its schema', async () => {
    const name = freshName();
    const reader = keep(openCacheReader(name));
    expect(await reader.all('storeOrders')).toEqual([]);
    expect(await reader.get('aliOrders', ['8200000000000001'])).toEqual([undefined]);
    expect(await reader.last('syncRuns', 'startedAt', 1)).toEqual([]);
    expect(await reader.count('outbox')).toBe(0);
    expect(await reader.meta('syncStatus')).toBeUndefined();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain(name);

    const cache = keep(openCache(name));
    await cache.storeOrders.put(order({ id: 'x' }));
    expect((await reader.all('storeOrders')).map((o) => o.id)).toEqual(['x']);
  });

  it('lets the worker upgrade the schema while a page has it open, and reads the new version after', async () => {
    const { cache, reader } = await seeded();
    expect(await reader.count('storeOrders')).toBe(3);
    const name = cache.name;
    cache.close();
    const next = keep(new Dexie(name));
    next.version(cache.verno + 1).stores({ ...Object.fromEntries(cache.tables.map((t) => [t.name, [t.schema.primKey.src, ...t.schema.indexes.map((i) => i.src)].join(', ')])), extra: 'id' });
    // Blocked by the page's connection, this open would never settle.
    await next.open();
    expect(next.verno).toBe(cache.verno + 1);
    expect(await reader.count('storeOrders')).toBe(3);
  });
});

/** A channel that keeps what the worker posts. */
function recorder() {
  const posted: CacheChanged[] = [];
  return { posted, channel: { postMessage: (m: CacheChanged) => void posted.push(m), close: () => {} } };
}

describe('the change signal', () => {

  it('names the stores a Dexie change set touches, of its own database only', () => {
    const parts = { 'idb://cache/storeOrders/': 1, 'idb://cache/storeOrders/storeOrderNumber': 1, 'idb://cache/meta/:dels': 1, 'idb://other/outbox/': 1 } as unknown as Parameters<typeof changedStores>[0];
    expect([...changedStores(parts, 'cache')].sort()).toEqual(['meta', 'storeOrders']);
    const everything = { all: 1 } as unknown as Parameters<typeof changedStores>[0];
    expect([...changedStores(everything, 'cache')].sort()).toEqual((Object.keys(CACHE_STORES) as CacheStore[]).sort());
  });

  it('sends one message for a burst of writes, naming every store written', async () => {
    const cache = keep(openCache(freshName()));
    await cache.open();
    const { posted, channel } = recorder();
    keep({ close: setupCacheSignal(cache, { channel, delayMs: 500 }) });
    for (let i = 0; i < 10; i++) await cache.storeOrders.bulkPut(Array.from({ length: 100 }, (_, n) => order({ id: `${i}-${n}`, storeOrderNumber: `#${i}-${n}` })));
    await writeMeta(cache, 'syncStatus', { lastSyncAt: '2026-07-20T11:30:00.000Z' });
    expect(posted).toEqual([]);
    await expect.poll(() => posted).toEqual([{ type: 'cache-changed', stores: ['storeOrders', 'meta'] }]);

    await cache.syncRuns.put(run('r', '2026-07-20T12:00:00.000Z'));
    await expect.poll(() => posted.at(-1)).toEqual({ type: 'cache-changed', stores: ['syncRuns'] });
    expect(posted).toHaveLength(2);
  });

  it('tells the pages when the worker creates the database: every store is new', async () => {
    const cache = keep(openCache(freshName()));
    const { posted, channel } = recorder();
    keep({ close: setupCacheSignal(cache, { channel, delayMs: 10 }) });
    await cache.open();
    await expect.poll(() => posted.map((m) => [...m.stores].sort())).toEqual([(Object.keys(CACHE_STORES) as CacheStore[]).sort()]);
  });

  it('reaches the pages: the reader calls back with the stores the worker wrote', async () => {
    const name = freshName();
    const cache = keep(openCache(name));
    await cache.open();
    keep({ close: setupCacheSignal(cache, { delayMs: 10 }) });
    const reader = keep(openCacheReader(name));
    const heard: string[][] = [];
    const stop = reader.onChange((stores) => heard.push([...stores]));
    await cache.aliOrders.put(captured(1));
    await expect.poll(() => heard).toEqual([['aliOrders']]);
    expect((await reader.keys('aliOrders')).length).toBe(1);
    stop();
  });

  it('is recognised by its shape only', () => {
    expect(isCacheChanged({ type: 'cache-changed', stores: ['meta'] })).toBe(true);
    expect(isCacheChanged({ type: 'cache-changed', stores: [1] })).toBe(false);
    expect(isCacheChanged({ type: 'sync-now' })).toBe(false);
    expect(isCacheChanged(null)).toBe(false);
  });
});
