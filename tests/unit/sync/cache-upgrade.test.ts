import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openCache, readMeta } from '../../../lib/cache/db';
import { seenLookup } from '../../../lib/cache/seen';
import type { Snapshot } from '../../../lib/domain/snapshot';
import { recordSnapshot } from '../../../lib/sync/engine';
import { CACHE_DB_VERSION } from '../../../lib/cache/layout';
import { CACHE_MIGRATIONS } from '../../../lib/cache/migrations';

const A = '8214398062177351';
const B = '8214779947343229';
const LIST_URL = 'https://www.aliexpress.com/p/order/index.html';
const parcel = (trackingStatus: 'in_transit' | 'delivered') => ({ trackingNumber: 'LP1', trackingStatus, events: [] });

/**
 * The cache as an installed older version declared it, up to `version`, from that version's own
 * migration file (its upgrades are not needed: each test writes that version's data itself).
 */
function olderCache(name: string, version: number): Dexie {
  const db = new Dexie(name);
  for (const migration of CACHE_MIGRATIONS.filter((m) => m.version <= version)) db.version(migration.version).stores(migration.stores);
  return db;
}

function listSnapshot(capturedAt: string, ids: string[]): Snapshot {
  return { kind: 'order_list', url: LIST_URL, capturedAt, warnings: [], orders: ids.map((aliOrderId) => ({ aliOrderId, status: 'shipped', packages: [] })) };
}

/** What recordSnapshot of an older version left: the orders' rows and the queued snapshot. */
async function keepAsOldVersionDid(db: Dexie, snapshot: Snapshot, entry: Record<string, unknown>): Promise<void> {
  await db.table('aliOrders').bulkPut(snapshot.orders.map((order) => ({ aliOrderId: order.aliOrderId, order, seenAt: snapshot.capturedAt })));
  await db.table('outbox').add({ idempotencyKey: `written-before-${snapshot.capturedAt}`, snapshot, createdAt: snapshot.capturedAt, attempts: 2, ...entry });
}

describe('the cache schema', () => {
  it('opens the version its migrations end with, one file per version in order', async () => {
    expect(CACHE_MIGRATIONS.map((m) => m.version)).toEqual(CACHE_MIGRATIONS.map((_, i) => i + 1));
    expect(CACHE_MIGRATIONS.at(-1)?.version).toBe(CACHE_DB_VERSION);
    const cache = openCache(`version-${Math.random()}`);
    await cache.open();
    expect(cache.verno).toBe(CACHE_DB_VERSION);
    await cache.delete();
  });

  it('upgrades version 6 in place: the texts the unsent reads could not read are collected, and the site of the newest one is the merchant\'s', async () => {
    const name = `upgrade-${Math.random()}`;
    const v6 = olderCache(name, 6);
    const spanish = { ...listSnapshot('2026-11-22T09:00:00.000Z', []), url: 'https://es.aliexpress.com/p/order/index.html' };
    const us = { ...listSnapshot('2026-11-22T09:05:00.000Z', [A]), url: 'https://www.aliexpress.us/p/order/index.html' };
    spanish.orders = [{ aliOrderId: B, status: 'unknown', statusText: '[es] other', packages: [] }];
    spanish.warnings = [`order ${B}: numeric status 9 means completed or closed, and nothing says which`, `order ${B}: unknown status text "[es] other"`];
    // The newest read first in the outbox: the site is the newest read's, not the last entry's.
    await v6.table('outbox').add({ idempotencyKey: 'us', snapshot: us, createdAt: us.capturedAt, attempts: 0 });
    await v6.table('outbox').add({ idempotencyKey: 'es', snapshot: spanish, createdAt: spanish.capturedAt, attempts: 0 });
    v6.close();

    const cache = openCache(name);
    expect(await cache.unread.toArray()).toEqual([
      {
        key: 'status_text [es] other',
        what: 'status_text',
        value: '[es] other',
        aliOrderId: B,
        status: 'unknown',
        warning: `order ${B}: unknown status text "[es] other"`,
        kind: 'order_list',
        site: 'es.aliexpress.com',
        firstAt: spanish.capturedAt,
        lastAt: spanish.capturedAt,
        reads: 1,
      },
    ]);
    expect(await readMeta(cache, 'aliexpressOrigin')).toEqual({ origin: 'https://www.aliexpress.us', at: us.capturedAt });
    expect(await cache.outbox.count()).toBe(2);
    await cache.delete();
  });

  it('upgrades version 5 in place: cached packages keep when they were read, so a late older read cannot roll them back', async () => {
    const name = `upgrade-${Math.random()}`;
    const v5 = olderCache(name, 5);
    await v5.table('aliOrders').put({ aliOrderId: A, order: { aliOrderId: A, status: 'completed', packages: [parcel('delivered')] } });
    await v5.table('seen').add({ at: '2026-11-22T10:05:00.000Z', aliOrderIds: A, low: A, high: A });
    v5.close();

    const cache = openCache(name);
    const late: Snapshot = { kind: 'tracking', url: LIST_URL, capturedAt: '2026-11-22T10:00:00.000Z', warnings: [], orders: [{ aliOrderId: A, status: 'shipped', packages: [parcel('in_transit')] }] };
    await recordSnapshot(cache, late, () => 'late-read-key');
    expect((await cache.aliOrders.get(A))?.order).toEqual({ aliOrderId: A, status: 'completed', packages: [parcel('delivered')] });
    expect(await cache.parked.count()).toBe(0);
    await cache.delete();
  });

  it('upgrades an outbox written by version 2 in place: entries kept whole, and a newer read still supersedes them', async () => {
    const name = `upgrade-${Math.random()}`;
    const v2 = olderCache(name, 2);
    const snapshot = listSnapshot('2026-11-22T09:00:00.000Z', [A, B]);
    await keepAsOldVersionDid(v2, snapshot, {});
    v2.close();

    const cache = openCache(name);
    const [kept] = await cache.outbox.toArray();
    expect(kept).toEqual({ id: 1, idempotencyKey: 'written-before-2026-11-22T09:00:00.000Z', snapshot, createdAt: snapshot.capturedAt, attempts: 2 });
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00.000Z', [A]), () => 'newer-read-key');
    const entries = await cache.outbox.orderBy('id').toArray();
    expect(entries.map((e) => e.snapshot.orders.map((o) => o.aliOrderId))).toEqual([[B], [A]]);
    await cache.delete();
  });

  it('upgrades version 3 in place: unsent entries of every kind kept, each still superseded only by its own kind', async () => {
    const name = `upgrade-${Math.random()}`;
    const v3 = olderCache(name, 3);
    const list = listSnapshot('2026-11-22T09:00:00.000Z', [A]);
    const pkg = { trackingNumber: 'LP1', trackingStatus: 'in_transit' as const, events: [] };
    const tracking: Snapshot = { ...listSnapshot('2026-11-22T09:01:00.000Z', []), kind: 'tracking', orders: [{ aliOrderId: A, status: 'shipped', packages: [pkg] }] };
    await keepAsOldVersionDid(v3, list, { aliOrderIds: [A] });
    await keepAsOldVersionDid(v3, tracking, { aliOrderIds: [A] });
    // A queued order without a cached row (not written by the extension) is no reason to fail.
    await v3.table('outbox').add({ idempotencyKey: 'row-less-entry', snapshot: listSnapshot('2026-11-22T09:02:00.000Z', [B]), createdAt: '2026-11-22T09:02:00.000Z', attempts: 0 });
    await v3.table('aliOrders').delete(B);
    await v3.table('storeOrders').put({ id: 's1', storeOrderNumber: '#1001', state: 'fulfilled', aliOrderIds: [A], aliOrders: [], pulledAt: list.capturedAt });
    v3.close();

    const cache = openCache(name);
    const upgraded = await cache.outbox.orderBy('id').toArray();
    expect(upgraded.map((e) => [e.idempotencyKey, e.attempts, e.snapshot])).toEqual([
      ['written-before-2026-11-22T09:00:00.000Z', 2, list],
      ['written-before-2026-11-22T09:01:00.000Z', 2, tracking],
      ['row-less-entry', 0, listSnapshot('2026-11-22T09:02:00.000Z', [B])],
    ]);
    // The index over every queued order is gone, and so is the field it indexed.
    expect(upgraded.every((e) => !('aliOrderIds' in e))).toBe(true);
    expect(cache.outbox.schema.idxByName).not.toHaveProperty('aliOrderIds');
    // Rows hold the order alone; the outbox's index and when each order was seen are kept apart (v5).
    // Its package was last read when the order was last seen, the best the old cache knew (v6).
    expect(await cache.aliOrders.get(A)).toEqual({ aliOrderId: A, order: tracking.orders[0], packageReadAt: { LP1: tracking.capturedAt } });
    expect((await readMeta(cache, 'queuedOrders'))?.map((q) => [q.id, q.kind, q.aliOrderIds])).toEqual([
      [1, 'order_list', A],
      [2, 'tracking', A],
      [3, 'order_list', B],
    ]);
    expect(seenLookup(await cache.seen.toArray())(A)).toBe('2026-11-22T09:01:00.000Z');
    expect((await cache.storeOrders.orderBy('storeOrderNumber').first())?.id).toBe('s1');

    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00.000Z', [A]), () => 'newer-read-key');
    const entries = await cache.outbox.orderBy('id').toArray();
    expect(entries.map((e) => [e.snapshot.kind, e.snapshot.capturedAt])).toEqual([
      ['tracking', '2026-11-22T09:01:00.000Z'],
      ['order_list', '2026-11-22T09:02:00.000Z'],
      ['order_list', '2026-11-22T09:05:00.000Z'],
    ]);
    expect(await cache.aliOrders.get(B)).toBeUndefined();
    await cache.delete();
  });

  it('upgrades version 4 in place: rows lose their bookkeeping, unsent entries are indexed, and a newer read supersedes them', async () => {
    const name = `upgrade-${Math.random()}`;
    const v4 = olderCache(name, 4);
    const list = listSnapshot('2026-11-22T09:00:00.000Z', [A, B]);
    await keepAsOldVersionDid(v4, list, {});
    await v4.table('aliOrders').bulkPut(list.orders.map((order) => ({ aliOrderId: order.aliOrderId, order, seenAt: list.capturedAt, queued: { order_list: [1] } })));
    v4.close();

    const cache = openCache(name);
    expect(await cache.aliOrders.toArray()).toEqual(list.orders.map((order) => ({ aliOrderId: order.aliOrderId, order })));
    expect(await readMeta(cache, 'queuedOrders')).toEqual([{ id: 1, kind: 'order_list', capturedAt: list.capturedAt, aliOrderIds: `${A},${B}`, low: A, high: B }]);
    const seenAt = seenLookup(await cache.seen.toArray());
    expect([seenAt(A), seenAt(B)]).toEqual([list.capturedAt, list.capturedAt]);

    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00.000Z', [A]), () => 'newer-read-key');
    const entries = await cache.outbox.orderBy('id').toArray();
    expect(entries.map((e) => e.snapshot.orders.map((o) => o.aliOrderId))).toEqual([[B], [A]]);
    expect(seenLookup(await cache.seen.toArray())(A)).toBe('2026-11-22T09:05:00.000Z');
    await cache.delete();
  });
});
