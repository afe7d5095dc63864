import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersResponseSchema, watchlistResponseSchema, type OrdersResponse } from '../../lib/domain/api';
import { DAY_MS, HOUR_MS } from '../../lib/domain/order-flags';
import { DATABASES, aliOrder, newAliOrderId, openBackend, pkg, placedOrder, snapshot, syncBody, type TestBackend } from './helpers';

describe.each(DATABASES)('GET /v1/orders and GET /v1/watchlist on %s', (kind) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await openBackend(kind, import.meta.filename);
  });
  afterAll(() => b.close());

  const list = async (token: string, query = '') => {
    const res = await b.call<OrdersResponse>(token, `/v1/orders${query}`);
    expect(res.status).toBe(200);
    return ordersResponseSchema.parse(res.body);
  };
  const push = (token: string, capturedAt: string, orders: Parameters<typeof snapshot>[1]) =>
    b.call(token, '/v1/sync', { body: syncBody([snapshot(capturedAt, orders)]) });

  it('lists newest first, filters by state and finds by store number, AliExpress id or tracking number', async () => {
    const { token } = await b.merchant();
    const [a1, a2] = [newAliOrderId(), newAliOrderId()];
    const first = await placedOrder(b, token, [a1], { storeOrderNumber: '#L-1' });
    const second = await placedOrder(b, token, [a2], { storeOrderNumber: '#L-2' });
    const third = await placedOrder(b, token, [], { storeOrderNumber: '#L-3', paid: false });
    await push(token, '2026-07-01T09:00:00Z', [aliOrder(a2, 'shipped', { packages: [pkg('LPFIND', 'in_transit')] })]);

    expect((await list(token)).orders.map((o) => o.id)).toEqual([third, second, first]);
    expect((await list(token, '?state=pending')).orders.map((o) => o.id)).toEqual([third]);
    expect((await list(token, '?state=fulfilled')).orders.map((o) => o.id)).toEqual([second]);
    expect((await list(token, '?q=%23L-1')).orders.map((o) => o.id)).toEqual([first]);
    expect((await list(token, `?q=${a2}`)).orders.map((o) => o.id)).toEqual([second]);
    expect((await list(token, '?q=LPFIND')).orders.map((o) => o.id)).toEqual([second]);
    expect((await list(token, '?q=nothing')).orders).toEqual([]);
  });

  it('pages with a cursor until nextCursor is null', async () => {
    const { token } = await b.merchant();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await placedOrder(b, token, []));
    const p1 = await list(token, '?limit=2');
    const p2 = await list(token, `?limit=2&cursor=${p1.nextCursor}`);
    const p3 = await list(token, `?limit=2&cursor=${p2.nextCursor}`);
    expect([...p1.orders, ...p2.orders, ...p3.orders].map((o) => o.id)).toEqual(ids.reverse());
    expect(p3.nextCursor).toBeNull();
    expect((await list(token, '?limit=5')).nextCursor).toBeNull();
  });

  it('computes the flags at request time and filters by them', async () => {
    const { token } = await b.merchant();
    const [silent, unshipped, pending, fresh] = [newAliOrderId(), newAliOrderId(), newAliOrderId(), newAliOrderId()];
    const ids = {
      silent: await placedOrder(b, token, [silent]),
      unshipped: await placedOrder(b, token, [unshipped]),
      pending: await placedOrder(b, token, [pending]),
      fresh: await placedOrder(b, token, [fresh]),
    };
    b.clock.set('2026-07-10T00:00:00Z');
    const t0 = Date.parse('2026-07-10T00:00:00Z');
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    await push(token, at(0), [
      aliOrder(silent, 'shipped', { paidAt: at(-3 * DAY_MS), packages: [pkg('LPS', 'in_transit', [at(-HOUR_MS)])] }),
      aliOrder(unshipped, 'awaiting_shipment', { paidAt: at(-3 * DAY_MS) }),
      aliOrder(pending, 'shipped', { paidAt: at(-3 * DAY_MS), packages: [pkg('LPP', 'pending', [at(-HOUR_MS)])] }),
      aliOrder(fresh, 'shipped', { paidAt: at(-3 * DAY_MS), packages: [pkg('LPF', 'delivered', [at(-HOUR_MS)])] }),
    ]);
    const flagsNow = async () => Object.fromEntries((await list(token)).orders.map((o) => [o.id, o.flags]));
    expect(await flagsNow()).toEqual({ [ids.silent]: [], [ids.unshipped]: [], [ids.pending]: [], [ids.fresh]: [] });

    // 5 days later: the pending package is 5 days pending, events are 5 days old.
    b.clock.set(at(5 * DAY_MS - HOUR_MS));
    expect(await flagsNow()).toEqual({
      [ids.silent]: ['attention'],
      [ids.unshipped]: ['attention'],
      [ids.pending]: ['attention', 'contact_supplier'],
      [ids.fresh]: [],
    });
    b.clock.set(at(7 * DAY_MS));
    expect((await list(token, '?flag=pending_too_long')).orders.map((o) => o.id)).toEqual([ids.pending]);
    expect((await list(token, '?flag=attention&limit=1')).orders.map((o) => o.id)).toEqual([ids.pending]);
    const page2 = await list(token, `?flag=attention&limit=2&cursor=${ids.pending}`);
    expect(page2.orders.map((o) => o.id)).toEqual([ids.unshipped, ids.silent]);
    expect(page2.nextCursor).toBeNull();
    expect((await list(token, '?flag=attention&state=fulfilled')).orders.map((o) => o.id)).toEqual([ids.pending, ids.silent]);
  });

  it('never shows one merchant\'s orders to another', async () => {
    const a = await b.merchant();
    const other = await b.merchant();
    const ali = newAliOrderId();
    await placedOrder(b, a.token, [ali], { storeOrderNumber: '#SECRET' });
    expect((await list(other.token)).orders).toEqual([]);
    expect((await list(other.token, `?q=${ali}`)).orders).toEqual([]);
    expect((await list(other.token, '?q=%23SECRET')).orders).toEqual([]);
    const watch = await b.call(other.token, '/v1/watchlist');
    expect(watch.body.aliOrders).toEqual([]);
  });

  it.each([
    ['an unknown state', '?state=lost'],
    ['an unknown flag', '?flag=red'],
    ['a non-numeric cursor', '?cursor=abc'],
    ['a zero limit', '?limit=0'],
    ['a huge limit', '?limit=100000'],
  ])('refuses %s with 400', async (_name, query) => {
    const { token } = await b.merchant();
    const res = await b.call(token, `/v1/orders${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });

  it('refuses a missing or wrong token', async () => {
    expect((await b.call(null, '/v1/orders')).status).toBe(401);
    expect((await b.call('aos_wrong-token-0000000', '/v1/watchlist')).status).toBe(401);
    expect((await b.call(null, '/v1/orders', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('watches unread, moving and silent orders, not locked or final ones, and puts Re-track first', async () => {
    const { token } = await b.merchant();
    b.clock.set('2026-08-01T12:00:00Z');
    const [unread, paid, shipped, delivered, canceled, locked] = [newAliOrderId(), newAliOrderId(), newAliOrderId(), newAliOrderId(), newAliOrderId(), newAliOrderId()];
    const ids = {
      unread: await placedOrder(b, token, [unread]),
      paid: await placedOrder(b, token, [paid]),
      shipped: await placedOrder(b, token, [shipped]),
      delivered: await placedOrder(b, token, [delivered]),
      canceled: await placedOrder(b, token, [canceled]),
      locked: await placedOrder(b, token, [locked]),
    };
    await b.call(token, `/v1/store-orders/${ids.locked}/fulfill-manually`, { method: 'POST' });
    await push(token, '2026-08-01T11:00:00Z', [
      aliOrder(paid, 'awaiting_shipment'),
      aliOrder(shipped, 'shipped', { packages: [pkg('LPW', 'in_transit', ['2026-08-01T10:00:00Z'])] }),
      aliOrder(delivered, 'shipped', { packages: [pkg('LPD', 'delivered', ['2026-08-01T10:00:00Z'])] }),
      aliOrder(canceled, 'closed'),
    ]);
    const watch = async () => {
      const res = await b.call(token, '/v1/watchlist');
      expect(res.status).toBe(200);
      return watchlistResponseSchema.parse(res.body).aliOrders.map((w) => [w.aliOrderId, w.needs.join('+')]);
    };
    expect(await watch()).toEqual([
      [unread, 'status'],
      [paid, 'status'],
    ]);
    b.clock.set('2026-08-01T17:00:00Z');
    expect(await watch()).toEqual([
      [unread, 'status'],
      [paid, 'status'],
      [shipped, 'fresh_events'],
    ]);
    b.clock.set('2026-08-01T12:00:00Z');
    await b.call(token, `/v1/store-orders/${ids.shipped}/retrack`, { method: 'POST' });
    expect((await watch())[0]).toEqual([shipped, 'fresh_events']);
    expect((await b.call(token, '/v1/watchlist?limit=1')).body.aliOrders).toHaveLength(1);
    expect((await b.call(token, '/v1/watchlist?limit=x')).status).toBe(400);
  });
});
