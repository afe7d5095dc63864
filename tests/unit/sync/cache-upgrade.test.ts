import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { openCache } from '../../../lib/cache/db';

describe('the cache schema', () => {
  it('upgrades an outbox written by version 2 in place: entries kept, indexed by their orders', async () => {
    const name = `upgrade-${Math.random()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores({ aliOrders: 'aliOrderId, seenAt', storeOrders: 'id, state, storeOrderNumber, *aliOrderIds', outbox: '++id, createdAt', meta: 'key' });
    v2.version(2).stores({ syncRuns: 'id, startedAt, status' });
    const snapshot = {
      kind: 'order_list',
      url: 'https://www.aliexpress.com/p/order/index.html',
      capturedAt: '2026-11-22T09:00:00.000Z',
      warnings: [],
      orders: [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }],
    };
    await v2.table('outbox').add({ idempotencyKey: 'written-by-v2', snapshot, createdAt: snapshot.capturedAt, attempts: 2 });
    v2.close();

    const cache = openCache(name);
    const entries = await cache.outbox.where('aliOrderIds').equals('8214398062177351').toArray();
    expect(entries).toEqual([expect.objectContaining({ idempotencyKey: 'written-by-v2', attempts: 2, aliOrderIds: ['8214398062177351'] })]);
    await cache.delete();
  });
});
