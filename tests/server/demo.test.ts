import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dsersStateSchema } from '../../lib/domain/store-order';
import type { Database } from '../../server/db';
import { seedDemo } from '../../server/demo';
import { listOrders } from '../../server/views';
import { openTestDatabase } from './helpers';

describe('the npm start demo merchant', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase('pglite', import.meta.filename);
  });
  afterAll(() => db.close());

  it('has store orders in every DSers state, a split order, a locked one and flagged ones, and seeds once', async () => {
    const { merchantId } = await seedDemo(db);
    const { orders } = await listOrders(db, merchantId, { limit: 100 });
    const states = new Set(orders.map((o) => o.state));
    expect([...states].sort()).toEqual([...dsersStateSchema.options].sort());
    expect(orders.find((o) => o.storeOrderNumber === '#1010')).toMatchObject({ state: 'awaiting_fulfillment' });
    expect(orders.find((o) => o.storeOrderNumber === '#1008')).toMatchObject({ locked: true, fulfillmentMode: 'manual_after_placing' });
    expect(orders.find((o) => o.storeOrderNumber === '#1011')?.flags).toContain('partially_canceled');
    expect(orders.find((o) => o.storeOrderNumber === '#1012')?.flags).toEqual(['attention', 'pending_too_long']);
    expect(orders.find((o) => o.storeOrderNumber === '#1013')?.flags).toEqual(['attention']);

    await seedDemo(db);
    expect((await listOrders(db, merchantId, { limit: 100 })).orders).toHaveLength(orders.length);
  });
});
