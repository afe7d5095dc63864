/**
 * The store leg's edges: hostile and repeated webhooks, re-ordering, the throttle, a store that
 * stops answering, outgoing webhooks.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aliOrder, DATABASES, newAliOrderId, pkg, snapshot, syncBody } from './helpers';
import { openStoreLegBackend, type StoreLegBackend } from './store-leg-harness';

describe.each(DATABASES)('store leg edges on %s', { timeout: 90_000 }, (kind) => {
  let b: StoreLegBackend;
  beforeAll(async () => {
    // The outgoing webhooks' receiver listens on this machine.
    b = await openStoreLegBackend(kind, import.meta.filename, { allowPrivateWebhookUrls: true });
  });
  afterAll(() => b.close());

  const post = (headers: Record<string, string>, body: string) =>
    fetch(`${b.url}/v1/webhooks/shopify`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('refuses unsigned, badly signed, oversized and malformed webhooks, and applies a redelivery once', async () => {
    const { token, shop } = await b.merchantWithShop();
    shop.holdWebhooks = true;
    const order = shop.placeOrder({ lineItems: [{ title: 'Vase', quantity: 1 }], paid: false });
    const [created] = shop.held.splice(0);
    const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': shop.domain, 'x-shopify-webhook-id': created!.webhookId };

    expect((await post(headers, created!.body)).status).toBe(401);
    expect((await shop.send(created!, shop.sign(`${created!.body} `)))).toBe(401);
    expect((await post({ ...headers, 'x-shopify-hmac-sha256': 'not base64 at all' }, created!.body)).status).toBe(401);
    expect((await post({ ...headers, 'x-shopify-shop-domain': 'other.myshopify.com', 'x-shopify-hmac-sha256': shop.sign(created!.body) }, created!.body)).status).toBe(401);
    for (const bad of ['{"name": ', '{"admin_graphql_api_id": 5, "name": "#1"}', `{"name":"\u0000"}`, '[]']) {
      const res = await post({ ...headers, 'x-shopify-webhook-id': `bad-${bad.length}`, 'x-shopify-hmac-sha256': shop.sign(bad) }, bad);
      expect(res.status).toBe(400);
      expect((await res.json()).error.code).toBe('bad_request');
    }
    expect((await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders).toEqual([]);

    expect(await shop.send(created!)).toBe(200);
    expect(await shop.send(created!)).toBe(200); // Shopify's redelivery: same webhook id
    const receipts = await b.db.query('select 1 from store_webhook_receipts where webhook_id = $1', [created!.webhookId]);
    expect(receipts.rows).toHaveLength(1);
    const orders = (await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders;
    expect(orders.map((o: { state: string }) => o.state)).toEqual(['pending']);
    // Refused before it is read; the server then closes that connection, so it is not kept for reuse.
    const big = 'x'.repeat(1024 * 1024 + 1);
    expect((await post({ ...headers, connection: 'close', 'x-shopify-hmac-sha256': shop.sign(big) }, big)).status).toBe(413);
  });

  it('answers bad input on the store leg\'s routes with 400 and the field, and a missing token with 401', async () => {
    const { token, storeId } = await b.merchantWithShop();
    const cases: [string, string, unknown][] = [
      ['PUT', '/v1/settings', { splitFulfillment: 'sometimes' }],
      ['PUT', '/v1/settings', { shippingConfirmationEmail: 'yes' }],
      ['PUT', '/v1/settings', { other: true }],
      ['POST', '/v1/stores', { platform: 'shopify', shopDomain: 'evil.example.com', accessToken: 'shpat_0123456789', clientSecret: 'shpss_0123456789' }],
      ['POST', '/v1/stores', { platform: 'shopify', shopDomain: 'a.myshopify.com', accessToken: 'shpat_\u0000123456789', clientSecret: 'shpss_0123456789' }],
      ['POST', '/v1/stores', { platform: 'woo', shopDomain: 'a.myshopify.com', accessToken: 'shpat_0123456789', clientSecret: 'shpss_0123456789' }],
      ['POST', '/v1/stores', { platform: 'shopify', shopDomain: 'a.myshopify.com', accessToken: 'x'.repeat(5000), clientSecret: 'shpss_0123456789' }],
      ['POST', `/v1/stores/${storeId}/sync-payment-status`, { from: '2026-12-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
      ['POST', '/v1/webhook-endpoints', { url: 'ftp://example.com/x' }],
      ['POST', '/v1/webhook-endpoints', { url: 'https://example.com/x', events: ['order.exploded'] }],
      ['POST', '/v1/store-orders/reorder', { ids: Array.from({ length: 501 }, (_, i) => String(i + 1)) }],
    ];
    for (const [method, path, body] of cases) {
      const res = await b.call(token, path, { method, body });
      expect(res.status, `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(400);
      expect(res.body?.error?.code, `${method} ${path} ${JSON.stringify(res.body)}`).toBe('bad_request');
    }
    expect((await b.call(token, '/v1/settings', { method: 'PUT', raw: '{"shippingConfirmationEmail": tru' })).status).toBe(400);
    expect((await b.call(null, '/v1/stores')).status).toBe(401);
    expect((await b.call(null, '/v1/settings', { method: 'PUT', body: { shippingConfirmationEmail: true } })).status).toBe(401);
    expect((await b.call(token, '/v1/stores/abc', { method: 'DELETE' })).status).toBe(404);
    // Another merchant's store is not found.
    const other = await b.merchantWithShop();
    expect((await b.call(other.token, `/v1/stores/${storeId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await b.call(token, `/v1/stores/${storeId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await b.call(token, '/v1/stores')).body).toEqual([]);
  });

  it('lets no older delivery roll an order back: paid before created stays paid', async () => {
    const { token, shop } = await b.merchantWithShop();
    shop.holdWebhooks = true;
    const order = shop.placeOrder({ lineItems: [{ title: 'Clock', quantity: 1 }], paid: false });
    shop.capturePayment(order.name);
    await shop.release('reversed');
    await shop.settled();
    const view = (await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders[0];
    expect(view.state).toBe('awaiting_order');
    const history = (await b.call(token, `/v1/store-orders/${view.id}`)).body.history;
    expect(history.map((h: { cause: string }) => h.cause)).toContain('shopify:orders/paid');
  });

  it('replaces an AliExpress order canceled there when the order is placed again, and re-orders canceled and failed orders in bulk', async () => {
    const { token, shop } = await b.merchantWithShop();
    const order = shop.placeOrder({ lineItems: [{ title: 'Chair', quantity: 1 }] });
    await shop.settled();
    const id = (await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders[0].id;
    const first = newAliOrderId();
    await b.call(token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: first, supplier: 'Chair Store' }] } });
    await b.call(token, '/v1/sync', { body: syncBody([snapshot(new Date().toISOString(), [aliOrder(first, 'closed')])]) });
    expect((await b.call(token, `/v1/store-orders/${id}`)).body.state).toBe('canceled');

    // Placed again: the new AliExpress order decides, and its tracking reaches the store.
    const second = newAliOrderId();
    const placed = await b.call(token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: second, supplier: 'Chair Store' }] } });
    expect(placed.body.state).toBe('awaiting_payment');
    expect(placed.body.aliOrders.map((a: { aliOrderId: string }) => a.aliOrderId)).toEqual([second]);
    await b.call(token, '/v1/sync', { body: syncBody([snapshot(new Date().toISOString(), [aliOrder(second, 'shipped', { packages: [pkg('LP00REORDER1', 'in_transit')] })])]) });
    await b.drain();
    const detail = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(detail.state).toBe('fulfilled');
    expect(detail.replacedAliOrders).toEqual([expect.objectContaining({ aliOrderId: first, status: 'closed' })]);
    expect(detail.history).toContainEqual(expect.objectContaining({ field: 'ali_order', from: first, cause: 'replaced_by_new_placing' }));
    expect(shop.fulfillments().map((f) => f.trackingInfo[0]!.number)).toEqual(['LP00REORDER1']);

    // Bulk: canceled on AliExpress and failed go back to Awaiting order; others are refused with a reason.
    const canceled = shop.placeOrder({ lineItems: [{ title: 'Desk', quantity: 1 }] });
    const failed = shop.placeOrder({ lineItems: [{ title: 'Shelf', quantity: 1 }] });
    await shop.settled();
    const idOf = async (name: string) => (await b.call(token, `/v1/orders?q=${encodeURIComponent(name)}`)).body.orders[0].id as string;
    const [canceledId, failedId] = [await idOf(canceled.name), await idOf(failed.name)];
    const closedAli = newAliOrderId();
    await b.call(token, `/v1/store-orders/${canceledId}/place`, { body: { aliOrders: [{ aliOrderId: closedAli, supplier: 'Desk Store' }] } });
    await b.call(token, '/v1/sync', { body: syncBody([snapshot(new Date().toISOString(), [aliOrder(closedAli, 'closed')])]) });
    await b.call(token, `/v1/store-orders/${failedId}/placing-failed`, { body: { reason: 'out of stock' } });
    const bulk = await b.call(token, '/v1/store-orders/reorder', { body: { ids: [canceledId, failedId, id, '999999999'] } });
    expect(bulk.body.results).toEqual([
      { id: canceledId, outcome: 'reopened' },
      { id: failedId, outcome: 'reopened' },
      { id, outcome: 'refused', reason: 'not_canceled_or_failed' },
      { id: '999999999', outcome: 'refused', reason: 'not_found' },
    ]);
    expect((await b.call(token, `/v1/store-orders/${canceledId}`)).body.state).toBe('awaiting_order');
    expect((await b.call(token, `/v1/store-orders/${failedId}`)).body.state).toBe('awaiting_order');
    expect((await b.call(token, '/v1/store-orders/reorder', { body: { ids: ['x'] } })).status).toBe(400);
  });

  it('pushes through a throttled shop without a failure, and shows a refused token on the order and the store', async () => {
    // A bucket that holds one read's requested cost: once the fulfillments have used some of it,
    // the next read is answered THROTTLED, and retried after the refill.
    const { token, shop } = await b.merchantWithShop({ plan: { restoreRate: 100, maximumAvailable: 300 } });
    const ids: { id: string; ali: string }[] = [];
    for (let i = 0; i < 8; i++) {
      const order = shop.placeOrder({ lineItems: [{ title: `Cup ${i}`, quantity: 1 }] });
      await shop.settled();
      const id = (await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders[0].id;
      const ali = newAliOrderId();
      await b.call(token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: ali, supplier: 'Cup Store' }] } });
      ids.push({ id, ali });
    }
    await b.call(token, '/v1/sync', {
      body: syncBody([snapshot(new Date().toISOString(), ids.map(({ ali }, i) => aliOrder(ali, 'shipped', { packages: [pkg(`LP00THROTTLE${i}`, 'in_transit')] })))]),
    });
    await b.drain();
    expect(shop.fulfillments()).toHaveLength(8);
    expect(shop.calls.some((c) => c.throttled)).toBe(true);
    for (const { id } of ids) expect((await b.call(token, `/v1/store-orders/${id}`)).body.fulfillments[0].status).toBe('sent');

    // The app is uninstalled: the store answers 401, the fulfillment fails for good, visibly.
    shop.uninstalled = true;
    const order = shop.placeOrder({ lineItems: [{ title: 'Saucer', quantity: 1 }] });
    await shop.settled();
    const id = (await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders[0].id;
    const ali = newAliOrderId();
    await b.call(token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: ali, supplier: 'Cup Store' }] } });
    await b.call(token, '/v1/sync', { body: syncBody([snapshot(new Date().toISOString(), [aliOrder(ali, 'shipped', { packages: [pkg('LP00REVOKED1', 'in_transit')] })])]) });
    await b.drain();
    const f = (await b.call(token, `/v1/store-orders/${id}`)).body.fulfillments[0];
    expect(f).toMatchObject({ status: 'failed', error: expect.stringContaining('refused the access token') });
    const stores = (await b.call(token, '/v1/stores')).body;
    expect(stores[0]).toMatchObject({ status: 'revoked', lastError: expect.stringContaining('reconnect') });
  });

  it('sends signed outgoing webhooks once per event', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const { token, shop } = await b.merchantWithShop();
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks`;
      const endpoint = await b.call(token, '/v1/webhook-endpoints', { body: { url } });
      expect(endpoint.status).toBe(201);
      expect(endpoint.body.secret).toMatch(/^whsec_/);
      expect(JSON.stringify((await b.call(token, '/v1/webhook-endpoints')).body)).not.toContain(endpoint.body.secret);

      const order = shop.placeOrder({ lineItems: [{ title: 'Plate', quantity: 1 }] });
      await shop.settled();
      const id = (await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders[0].id;
      const ali = newAliOrderId();
      await b.call(token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: ali, supplier: 'Plate Store' }] } });
      const read = syncBody([snapshot(new Date().toISOString(), [aliOrder(ali, 'shipped', { packages: [pkg('LP00HOOK0001', 'abnormal')] })])]);
      await b.call(token, '/v1/sync', { body: read });
      await b.call(token, '/v1/sync', { body: { ...read, idempotencyKey: `${read.idempotencyKey}-again` } });
      await b.drain();
      expect(received.map((r) => r.headers['x-aos-event']).sort()).toEqual(['order.abnormal', 'order.fulfilled', 'tracking.updated']);
      for (const r of received) {
        const [t, v1] = String(r.headers['x-aos-signature']).split(',').map((p) => p.split('=')[1]);
        expect(v1).toBe(createHmac('sha256', endpoint.body.secret).update(`${t}.${r.body}`).digest('hex'));
      }
      expect(JSON.parse(received.find((r) => r.headers['x-aos-event'] === 'tracking.updated')!.body).data).toMatchObject({ trackingNumber: 'LP00HOOK0001', aliOrderId: ali });
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });
});
