import { describe, expect, it } from 'vitest';
import { MAX_ORDERS_PER_SYNC, syncResponseSchema, type ErrorResponse, type SyncResponse } from '../../lib/domain/api';
import {
  DATABASES,
  aliOrder,
  newAliOrderId,
  newKey,
  backendWithMerchant,
  pkg,
  placedOrder,
  snapshot,
  syncBody,
  type TestBackend,
} from './helpers';

describe.each(DATABASES)('POST /v1/sync on %s', (kind) => {
  let b: TestBackend;
  let token: string;
  backendWithMerchant(kind, import.meta.filename, (backend, merchantToken) => {
    b = backend;
    token = merchantToken;
  });

  const sync = (body: unknown, t: string | null = token) => b.call<SyncResponse & ErrorResponse>(t, '/v1/sync', { body });
  const state = async (id: string) => (await b.call(token, `/v1/store-orders/${id}`)).body.state as string;

  it('moves a placed order through awaiting shipment to fulfilled and answers per AliExpress order', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    expect(await state(id)).toBe('awaiting_payment');

    const paid = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'awaiting_shipment', { paidAt: '2026-07-01T08:00:00Z' })])]));
    expect(paid.status).toBe(200);
    expect(syncResponseSchema.parse(paid.body).results).toEqual([
      { outcome: 'applied', aliOrderId: ali, storeOrderId: id, storeOrderNumber: expect.any(String), state: 'awaiting_shipment', changed: true },
    ]);

    const shipped = await sync(syncBody([snapshot('2026-07-01T09:30:00Z', [aliOrder(ali, 'shipped', { packages: [pkg('LP001', 'in_transit', ['2026-07-01T09:00:00Z'])] })])]));
    expect(shipped.body.results[0]).toMatchObject({ outcome: 'applied', state: 'fulfilled', changed: true });

    const detail = await b.call(token, `/v1/store-orders/${id}`);
    expect(detail.body.history.filter((h: { field: string }) => h.field === 'state').map((h: { to: string; cause: string }) => `${h.to}:${h.cause}`)).toEqual([
      'awaiting_order:created',
      'awaiting_payment:placed',
      'awaiting_shipment:sync',
      'fulfilled:sync',
    ]);
    expect(detail.body.history.at(-1)).toMatchObject({ from: 'awaiting_shipment', to: 'fulfilled', at: b.clock.now().toISOString() });
  });

  it('keeps what decided each AliExpress order\'s status with that status, and answers it', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    const sourceOf = async () => (await b.call(token, `/v1/store-orders/${id}`)).body.aliOrders[0].statusSource as string | undefined;
    expect(await sourceOf()).toBeUndefined();
    await sync(syncBody([snapshot('2026-07-02T09:00:00Z', [aliOrder(ali, 'awaiting_shipment', { statusSource: 'code' })])]));
    expect(await sourceOf()).toBe('code');
    // A read that cannot tell the status keeps the known one, and its evidence.
    await sync(syncBody([snapshot('2026-07-02T09:10:00Z', [aliOrder(ali, 'unknown')])]));
    expect(await sourceOf()).toBe('code');
    await sync(syncBody([snapshot('2026-07-02T09:20:00Z', [aliOrder(ali, 'shipped', { statusSource: 'tab' })])]));
    expect((await b.call(token, '/v1/orders')).body.orders.find((o: { id: string }) => o.id === id).aliOrders[0]).toMatchObject({ status: 'shipped', statusSource: 'tab' });
    // A new status that says nothing of its evidence does not keep the old status's.
    await sync(syncBody([snapshot('2026-07-02T09:30:00Z', [aliOrder(ali, 'completed')])]));
    expect(await sourceOf()).toBeUndefined();
  });

  it("answers the AliExpress site of the newest order page each order was read on, so links open the merchant's own site", async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    const originOf = async () => (await b.call(token, `/v1/store-orders/${id}`)).body.aliOrders[0].aliexpressOrigin as string | undefined;
    const read = (capturedAt: string, url: string) => sync(syncBody([{ ...snapshot(capturedAt, [aliOrder(ali, 'awaiting_shipment')]), url }]));
    expect(await originOf()).toBeUndefined();
    await read('2026-07-01T09:00:00Z', 'https://www.aliexpress.us/p/order/detail.html?orderId=' + ali);
    expect(await originOf()).toBe('https://www.aliexpress.us');
    // An Open Platform read is not a page of the merchant's: the site stays.
    await read('2026-07-01T09:10:00Z', `https://api-sg.aliexpress.com/sync?method=aliexpress.trade.ds.order.get&order_id=${ali}`);
    expect(await originOf()).toBe('https://www.aliexpress.us');
    // A late read of an older page changes nothing, its site included.
    await read('2026-07-01T08:00:00Z', 'https://es.aliexpress.com/p/order/index.html');
    expect(await originOf()).toBe('https://www.aliexpress.us');
    await read('2026-07-01T09:20:00Z', 'https://es.aliexpress.com/p/order/index.html');
    expect((await b.call(token, '/v1/orders')).body.orders.find((o: { id: string }) => o.id === id).aliOrders[0].aliexpressOrigin).toBe('https://es.aliexpress.com');
  });

  it('keeps a split order in awaiting fulfillment until every supplier has a tracking number', async () => {
    const [a, c] = [newAliOrderId(), newAliOrderId()];
    const id = await placedOrder(b, token, [a, c]);
    const one = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(a, 'shipped', { packages: [pkg('LPA', 'in_transit')] }), aliOrder(c, 'awaiting_shipment')])]));
    expect(one.body.results.map((r) => r.outcome === 'applied' && r.state)).toEqual(['awaiting_fulfillment', 'awaiting_fulfillment']);
    const two = await sync(syncBody([snapshot('2026-07-01T09:10:00Z', [aliOrder(c, 'shipped', { packages: [pkg('LPC', 'pending')] })])]));
    expect(two.body.results[0]).toMatchObject({ state: 'fulfilled', storeOrderId: id });
  });

  it('moves a partially canceled order to canceled and marks it partial', async () => {
    const [a, c] = [newAliOrderId(), newAliOrderId()];
    const id = await placedOrder(b, token, [a, c]);
    await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(a, 'closed'), aliOrder(c, 'awaiting_shipment')])]));
    const view = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(view.state).toBe('canceled');
    expect(view.flags).toContain('partially_canceled');
  });

  it('ignores updates to locked orders and reports them as locked', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    expect((await b.call(token, `/v1/store-orders/${id}/fulfill-manually`, { method: 'POST' })).status).toBe(200);
    const res = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'shipped', { packages: [pkg('LPX', 'in_transit')] })])]));
    expect(res.body.results).toEqual([{ outcome: 'ignored', aliOrderId: ali, reason: 'locked' }]);
    const view = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(view.aliOrders[0]).toMatchObject({ status: 'awaiting_payment', packages: [] });
  });

  it('reports an unknown order, and another merchant\'s order, as unknown_order without touching it', async () => {
    const other = await b.merchant();
    const theirs = newAliOrderId();
    const theirId = await placedOrder(b, other.token, [theirs]);
    const unknown = newAliOrderId();
    const res = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(unknown, 'shipped'), aliOrder(theirs, 'closed')])]));
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { outcome: 'ignored', aliOrderId: unknown, reason: 'unknown_order' },
      { outcome: 'ignored', aliOrderId: theirs, reason: 'unknown_order' },
    ]);
    expect((await b.call(other.token, `/v1/store-orders/${theirId}`)).body.state).toBe('awaiting_payment');
  });

  it('answers a replayed idempotency key with the first answer and changes nothing', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    const body = syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'awaiting_shipment')])]);
    const first = await sync(body);
    // Meanwhile the order moves on; the replay must neither roll it back nor re-answer.
    await sync(syncBody([snapshot('2026-07-01T09:05:00Z', [aliOrder(ali, 'shipped', { packages: [pkg('LPR', 'in_transit')] })])]));
    b.clock.advance(60_000);
    const again = await sync(body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(await state(id)).toBe('fulfilled');
    const changes = (await b.db.query('select count(*)::int as n from state_changes where store_order_id = $1', [id])).rows[0] as { n: number };
    expect(changes.n).toBe(4);
  });

  it('answers concurrent requests with the same key once, the same way', async () => {
    const ali = newAliOrderId();
    await placedOrder(b, token, [ali]);
    const body = syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'awaiting_shipment')])]);
    const answers = await Promise.all(Array.from({ length: 5 }, () => sync(body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
  });

  it('refuses a key reused with a different body (409)', async () => {
    const ali = newAliOrderId();
    await placedOrder(b, token, [ali]);
    const key = newKey();
    expect((await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'awaiting_shipment')])], key))).status).toBe(200);
    const reused = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'shipped')])], key));
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('conflict');
  });

  it('never lets an older snapshot roll a status or a package back', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    await sync(syncBody([snapshot('2026-07-01T09:30:00Z', [aliOrder(ali, 'shipped', { packages: [pkg('LPO', 'delivered', ['2026-07-01T09:00:00Z'])] })])]));
    const stale = await sync(syncBody([snapshot('2026-07-01T08:00:00Z', [aliOrder(ali, 'awaiting_shipment', { packages: [pkg('LPO', 'in_transit', ['2026-06-30T09:00:00Z'])] })])]));
    expect(stale.body.results[0]).toMatchObject({ outcome: 'applied', state: 'fulfilled', changed: false });
    const view = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(view.aliOrders[0].status).toBe('shipped');
    expect(view.aliOrders[0].packages[0]).toMatchObject({ trackingStatus: 'delivered', lastEventAt: '2026-07-01T09:00:00.000Z' });
  });

  it('applies several reads of one order in capture order within one request', async () => {
    const ali = newAliOrderId();
    await placedOrder(b, token, [ali]);
    const res = await sync(
      syncBody([
        snapshot('2026-07-01T09:20:00Z', [aliOrder(ali, 'shipped', { packages: [pkg('LPM', 'in_transit')] })], 'tracking'),
        snapshot('2026-07-01T09:10:00Z', [aliOrder(ali, 'awaiting_shipment')], 'order_list'),
        snapshot('2026-07-01T09:30:00Z', [], 'login'),
      ]),
    );
    expect(res.body.results.map((r) => r.outcome === 'applied' && r.state)).toEqual(['fulfilled', 'fulfilled']);
  });

  it(`accepts ${MAX_ORDERS_PER_SYNC} orders in one request and refuses one more`, async () => {
    const ali = newAliOrderId();
    await placedOrder(b, token, [ali]);
    const orders = Array.from({ length: MAX_ORDERS_PER_SYNC }, (_, i) => aliOrder(i === 0 ? ali : newAliOrderId(), 'awaiting_shipment'));
    const full = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', orders)]));
    expect(full.status).toBe(200);
    expect(full.body.results).toHaveLength(MAX_ORDERS_PER_SYNC);
    expect(full.body.results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
    const over = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', orders), snapshot('2026-07-01T09:00:00Z', [aliOrder(newAliOrderId(), 'shipped')])]));
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ code: 'bad_request', message: expect.stringContaining(`at most ${MAX_ORDERS_PER_SYNC}`) });
  });

  it.each([
    ['malformed JSON', { raw: '{"idempotencyKey": "abc' }],
    ['an empty body', { raw: '' }],
    ['a JSON array', { body: [] }],
    ['no snapshots', { body: { idempotencyKey: 'key-12345678', snapshots: [] } }],
    ['a short key', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [])], 'k') }],
    ['a number for the key', { body: { idempotencyKey: 12345678, snapshots: [snapshot('2026-07-01T09:00:00Z', [])] } }],
    ['a bad AliExpress order id', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder('123', 'shipped')])]) }],
    ['an unknown status', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(newAliOrderId(), 'teleported' as never)])]) }],
    ['a capture time without offset', { body: syncBody([snapshot('2026-07-01 09:00', [])]) }],
  ])('refuses %s with 400 bad_request', async (_name, init) => {
    const res = await b.call(token, '/v1/sync', { method: 'POST', ...init });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it.each([
    ['no token', null],
    ['a wrong token', 'aos_not-a-real-token-at-all'],
  ])('refuses %s with 401', async (_name, t) => {
    const res = await sync(syncBody([snapshot('2026-07-01T09:00:00Z', [])]), t);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});
