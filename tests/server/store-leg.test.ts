/**
 * The store leg against the Shopify contract server: orders in by webhook, placed to two
 * suppliers, tracking numbers in through POST /v1/sync as the extension sends them, and the store
 * fulfilled as the Fulfillment setting says, with notifyCustomer as the e-mail setting says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractShop } from '../contract/shopify/server';
import { aliOrder, DATABASES, newAliOrderId, pkg, snapshot, syncBody } from './helpers';
import { openStoreLegBackend, type StoreLegBackend } from './store-leg-harness';

describe.each(DATABASES)('store leg on %s', { timeout: 60_000 }, (kind) => {
  let b: StoreLegBackend;
  beforeAll(async () => {
    b = await openStoreLegBackend(kind, import.meta.filename);
  });
  afterAll(() => b.close());

  /** A Shopify order of two lines, arrived by webhook, placed to two suppliers (one line each). */
  async function splitOrder(token: string, shop: ContractShop) {
    const order = shop.placeOrder({ lineItems: [{ title: 'Lamp', sku: 'LAMP-1', quantity: 1 }, { title: 'Rug', sku: 'RUG-2', quantity: 2 }] });
    await shop.settled();
    const found = await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`);
    expect(found.body.orders).toHaveLength(1);
    const view = found.body.orders[0];
    expect(view.state).toBe('awaiting_order');
    const detail = await b.call(token, `/v1/store-orders/${view.id}`);
    expect(detail.body.lineItems.map((l: { sku: string }) => l.sku)).toEqual(['LAMP-1', 'RUG-2']);
    const [lamp, rug] = detail.body.lineItems;
    const ali = [newAliOrderId(), newAliOrderId()];
    const placed = await b.call(token, `/v1/store-orders/${view.id}/place`, {
      body: {
        aliOrders: [
          { aliOrderId: ali[0], supplier: 'Lamp Store', lineItems: [{ lineItemId: lamp.id, quantity: 1 }] },
          { aliOrderId: ali[1], supplier: 'Rug Store', lineItems: [{ lineItemId: rug.id, quantity: 2 }] },
        ],
      },
    });
    expect(placed.status).toBe(200);
    // Both paid on AliExpress, neither shipped yet.
    const paid = await b.call(token, '/v1/sync', { body: syncBody([snapshot(new Date().toISOString(), ali.map((a) => aliOrder(a, 'awaiting_shipment')))]) });
    expect(paid.status).toBe(200);
    return { order, id: view.id as string, ali: ali as [string, string] };
  }

  const shipped = (token: string, aliOrderId: string, ...numbers: string[]) =>
    b.call(token, '/v1/sync', {
      body: syncBody([snapshot(new Date().toISOString(), [aliOrder(aliOrderId, 'shipped', { packages: numbers.map((n) => pkg(n, 'in_transit')) })])]),
    });

  it('connects a store without ever answering its secrets', async () => {
    const { token, shop } = await b.merchantWithShop();
    const listed = await b.call(token, '/v1/stores');
    expect(listed.body).toEqual([expect.objectContaining({ platform: 'shopify', shopDomain: shop.domain, status: 'connected' })]);
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(shop.options.accessToken);
    expect(text).not.toContain(shop.options.clientSecret);
    const stored = await b.db.query<{ a: string; s: string }>('select access_token_sealed as a, client_secret_sealed as s from stores where shop_domain = $1', [shop.domain]);
    expect(stored.rows[0]!.a).not.toContain(shop.options.accessToken);
    expect(stored.rows[0]!.s).not.toContain(shop.options.clientSecret);
    // The same shop cannot be connected twice.
    const again = await b.call(token, '/v1/stores', { body: { platform: 'shopify', shopDomain: shop.domain, accessToken: 'shpat_0123456789', clientSecret: 'shpss_0123456789' } });
    expect(again.status).toBe(409);
  });

  it('subscribes the webhooks it needs on connect, once, says which scope the app lacks, and unsubscribes on disconnect', async () => {
    const topics = ['orders/create', 'orders/paid', 'orders/updated', 'orders/cancelled', 'orders/fulfilled', 'orders/partially_fulfilled', 'app/uninstalled'];
    const { token, storeId, shop, connected } = await b.merchantWithShop();
    expect(connected).toMatchObject({ status: 'connected', webhooks: { callbackUrl: `${b.url}/v1/webhooks/shopify`, topics }, missingScopes: [] });
    expect(connected.webhooks.error).toBeUndefined();
    expect(shop.subscriptions.map((s) => [s.topic, s.uri])).toEqual(topics.map((t) => [t, `${b.url}/v1/webhooks/shopify`]));
    // Asking again creates nothing new.
    expect((await b.call(token, `/v1/stores/${storeId}/webhooks`, { method: 'POST' })).body.webhooks.topics).toEqual(topics);
    expect(shop.subscriptions).toHaveLength(topics.length);

    // An app made without read_orders: Shopify refuses the order topics; the store says why and what to do.
    const lacking = await b.merchantWithShop({ scopes: ['read_merchant_managed_fulfillment_orders', 'write_merchant_managed_fulfillment_orders'] });
    expect(lacking.connected).toMatchObject({ missingScopes: ['read_orders'], webhooks: { topics: ['app/uninstalled'], error: expect.stringContaining('read_orders') } });
    expect(lacking.connected.webhooks.error).toContain('install it again');
    expect((await b.call(lacking.token, '/v1/stores')).body[0]).toMatchObject({ missingScopes: ['read_orders'] });
    // The merchant adds the scope and asks again: the rest is subscribed, the error is gone.
    lacking.shop.options.scopes!.push('read_orders');
    const fixed = (await b.call(lacking.token, `/v1/stores/${lacking.storeId}/webhooks`, { method: 'POST' })).body;
    expect(fixed).toMatchObject({ missingScopes: [], webhooks: { topics } });
    expect(fixed.webhooks.error).toBeUndefined();
    expect(lacking.shop.subscriptions).toHaveLength(topics.length);
    // Another merchant's store is not found.
    expect((await b.call(token, `/v1/stores/${lacking.storeId}/webhooks`, { method: 'POST' })).status).toBe(404);

    // Disconnecting deletes the subscriptions: Shopify stops sending what would be refused.
    expect((await b.call(token, `/v1/stores/${storeId}`, { method: 'DELETE' })).status).toBe(204);
    expect(shop.subscriptions).toEqual([]);
  });

  it('waits for every supplier by default, then fulfils the whole order once, with the shipping e-mail when it is on', async () => {
    const { token, shop } = await b.merchantWithShop();
    expect((await b.call(token, '/v1/settings', { method: 'PUT', body: { shippingConfirmationEmail: true } })).body).toEqual({
      shippingConfirmationEmail: true,
      splitFulfillment: 'wait_for_all',
    });
    const { order, id, ali } = await splitOrder(token, shop);

    await shipped(token, ali[0], 'LP00SPLIT0001');
    await b.drain();
    expect(shop.fulfillments()).toHaveLength(0);
    expect((await b.call(token, `/v1/store-orders/${id}`)).body.state).toBe('awaiting_fulfillment');

    await shipped(token, ali[1], 'LP00SPLIT0002');
    await b.drain();
    expect(shop.fulfillments()).toHaveLength(1);
    const [f] = shop.fulfillments();
    expect(f!.trackingInfo.map((t) => t.number).sort()).toEqual(['LP00SPLIT0001', 'LP00SPLIT0002']);
    expect(f!.trackingInfo[0]!.company).toBe('Cainiao');
    expect(f!.trackingInfo[0]!.url).toContain('LP00SPLIT0001');
    expect(f!.notifyCustomer).toBe(true);
    expect(shop.order(order.name).fulfillmentOrders.every((fo) => fo.status === 'CLOSED')).toBe(true);
    expect(shop.emails).toEqual([{ orderName: order.name, kind: 'shipping_confirmation', trackingNumbers: expect.arrayContaining(['LP00SPLIT0001', 'LP00SPLIT0002']) }]);

    const detail = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(detail.state).toBe('fulfilled');
    expect(detail.fulfillments).toEqual([
      { aliOrderIds: [...ali].sort(), trackingNumbers: ['LP00SPLIT0001', 'LP00SPLIT0002'], status: 'sent', storeFulfillmentId: `gid://shopify/Fulfillment/${f!.id}` },
    ]);
    // Shopify's own orders/fulfilled for our fulfillment does not lock the order.
    expect(detail.fulfillmentMode).toBe('auto');

    // A number that changes later updates that fulfillment (Shopify's shipping update e-mail), never a second one.
    await shipped(token, ali[1], 'LP00SPLIT0003');
    await b.drain();
    expect(shop.fulfillments()).toHaveLength(1);
    expect(shop.fulfillments()[0]!.trackingInfo.map((t) => t.number).sort()).toEqual(['LP00SPLIT0001', 'LP00SPLIT0002', 'LP00SPLIT0003']);
    expect(shop.emails.map((e) => e.kind)).toEqual(['shipping_confirmation', 'shipping_update']);
  });

  it('fulfils each supplier\'s items as they ship under each_supplier, and sends no e-mail when it is off', async () => {
    const { token, shop } = await b.merchantWithShop();
    await b.call(token, '/v1/settings', { method: 'PUT', body: { splitFulfillment: 'each_supplier' } });
    const { order, id, ali } = await splitOrder(token, shop);

    await shipped(token, ali[0], 'YT00EACH0001');
    await b.drain();
    expect(shop.fulfillments()).toHaveLength(1);
    expect(shop.fulfillments()[0]!.lines).toEqual([{ lineItemId: order.lineItems[0]!.id, quantity: 1 }]);
    // The shipped part is fulfilled on the store: the order waits for the other supplier, not for fulfillment.
    expect((await b.call(token, `/v1/store-orders/${id}`)).body.state).toBe('awaiting_shipment');

    await shipped(token, ali[1], 'YT00EACH0002');
    await b.drain();
    expect(shop.fulfillments().map((f) => f.lines)).toEqual([
      [{ lineItemId: order.lineItems[0]!.id, quantity: 1 }],
      [{ lineItemId: order.lineItems[1]!.id, quantity: 2 }],
    ]);
    expect(shop.fulfillments().every((f) => !f.notifyCustomer)).toBe(true);
    expect(shop.emails).toEqual([]);
    expect((await b.call(token, `/v1/store-orders/${id}`)).body.state).toBe('fulfilled');
  });

  it('stops everything when the order is canceled on the store', async () => {
    const { token, shop } = await b.merchantWithShop();
    const { order, id, ali } = await splitOrder(token, shop);
    shop.cancel(order.name);
    await shop.settled();
    const detail = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(detail.state).toBe('canceled');
    expect(detail.canceledOnStore).toBe(true);

    await shipped(token, ali[0], 'LP00CANCEL01');
    await shipped(token, ali[1], 'LP00CANCEL02');
    await b.drain();
    expect(shop.fulfillments()).toHaveLength(0);
    expect((await b.call(token, `/v1/store-orders/${id}`)).body.state).toBe('canceled');
    const watch = await b.call(token, '/v1/watchlist');
    expect(watch.body.aliOrders.map((a: { aliOrderId: string }) => a.aliOrderId)).not.toContain(ali[0]);
    // Final: it cannot be placed again, alone or in bulk.
    expect((await b.call(token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: newAliOrderId(), supplier: 'Other' }] } })).status).toBe(409);
    expect((await b.call(token, '/v1/store-orders/reorder', { body: { ids: [id] } })).body.results).toEqual([{ id, outcome: 'refused', reason: 'canceled_on_store' }]);
  });

  it('locks an order its staff fulfilled on the store: nothing is pushed for it', async () => {
    const { token, shop } = await b.merchantWithShop();
    const order = shop.placeOrder({ lineItems: [{ title: 'Mug', quantity: 1 }] });
    await shop.settled();
    const id = (await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`)).body.orders[0].id;
    const aliOrderId = newAliOrderId();
    await b.call(token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier: 'Mug Store' }] } });
    shop.fulfillByStaff(order.name, 'STAFF0000001');
    await shop.settled();
    const detail = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(detail).toMatchObject({ state: 'fulfilled', fulfillmentMode: 'store_fulfilled', locked: true });
    const sync = await shipped(token, aliOrderId, 'LP00LOCKED01');
    expect(sync.body.results[0]).toMatchObject({ outcome: 'ignored', reason: 'locked' });
    await b.drain();
    expect(shop.fulfillments().filter((f) => !f.byStaff)).toHaveLength(0);
  });

  it('locks the lines its staff fulfilled on the store: those are not pushed again, the rest is, and the order stays unlocked', async () => {
    const { token, shop } = await b.merchantWithShop();
    const { order, id, ali } = await splitOrder(token, shop);
    // The staff ship the lamp themselves, in the admin: orders/partially_fulfilled.
    shop.fulfillByStaff(order.name, 'STAFFLAMP0001', [0]);
    await shop.settled();
    const detail = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(detail).toMatchObject({ fulfillmentMode: 'auto', locked: false });
    expect(detail.lineItems.map((l: { fulfilledOnStore?: number }) => l.fulfilledOnStore)).toEqual([1, undefined]);

    // The lamp's supplier ships too: nothing of it goes to the store, and the order waits for no one else.
    await shipped(token, ali[0], 'LP00PARTIAL01');
    await b.drain();
    expect(shop.fulfillments().filter((f) => !f.byStaff)).toHaveLength(0);
    await shipped(token, ali[1], 'LP00PARTIAL02');
    await b.drain();
    const ours = shop.fulfillments().filter((f) => !f.byStaff);
    expect(ours.map((f) => [f.lines, f.trackingInfo.map((t) => t.number)])).toEqual([[[{ lineItemId: order.lineItems[1]!.id, quantity: 2 }], ['LP00PARTIAL02']]]);
    expect(shop.order(order.name).fulfillmentOrders.every((fo) => fo.status === 'CLOSED')).toBe(true);

    // Shopify's orders/fulfilled (part staff, part ours) does not lock it: a changed number still reaches the store.
    const after = (await b.call(token, `/v1/store-orders/${id}`)).body;
    expect(after).toMatchObject({ fulfillmentMode: 'auto', fulfillments: [{ aliOrderIds: [ali[1]], status: 'sent' }] });
    await shipped(token, ali[1], 'LP00PARTIAL03');
    await b.drain();
    expect(shop.fulfillments().filter((f) => !f.byStaff)[0]!.trackingInfo.map((t) => t.number).sort()).toEqual(['LP00PARTIAL02', 'LP00PARTIAL03']);
  });

  it('sends no queued push for items the staff fulfilled meanwhile, and learns which lines from the reconciling pass when the webhook is lost', async () => {
    const { token, storeId, shop } = await b.merchantWithShop();
    await b.call(token, '/v1/settings', { method: 'PUT', body: { splitFulfillment: 'each_supplier' } });
    const { order, id, ali } = await splitOrder(token, shop);
    await shipped(token, ali[0], 'LP00QUEUED001');
    expect((await b.call(token, `/v1/store-orders/${id}`)).body.fulfillments).toMatchObject([{ status: 'queued' }]);
    // The webhook is lost: the reconciling pass reads the staff's fulfillment and its line items.
    shop.holdWebhooks = true;
    shop.fulfillByStaff(order.name, 'STAFFLAMP0002', [0]);
    shop.held.length = 0;
    shop.holdWebhooks = false;
    await b.db.query('update stores set reconcile_due_at = $2 where id = $1', [storeId, new Date()]);
    await b.drain();
    expect(shop.fulfillments().filter((f) => !f.byStaff)).toHaveLength(0);
    const detail = (await b.call(token, `/v1/store-orders/${id}`)).body;
    // Whichever came first, the pass or the push (which reads what is left on the store), it is not sent.
    expect(detail.fulfillments).toEqual([expect.objectContaining({ status: 'failed', error: expect.stringMatching(/fulfilled on the store|fulfilled there already/) })]);
    expect(detail.lineItems[0].fulfilledOnStore).toBe(1);
  });

  it('catches a missed webhook with the reconciling pass', async () => {
    const { token, shop } = await b.merchantWithShop();
    shop.holdWebhooks = true;
    const order = shop.placeOrder({ lineItems: [{ title: 'Kettle', quantity: 1 }] });
    shop.held.length = 0; // lost for good
    await b.drain();
    const found = await b.call(token, `/v1/orders?q=${encodeURIComponent(order.name)}`);
    expect(found.body.orders.map((o: { state: string }) => o.state)).toEqual(['awaiting_order']);
  });
});
