/**
 * The store leg end to end: a backend process connected to a Shopify store (the Shopify contract
 * server), its webhooks subscribed on connect; Shopify orders arrive by signed webhook, are placed
 * to two suppliers each, the built extension reads the tracking numbers from AliExpress's tracking
 * pages (the sandbox, under their real URLs), and the store gets its fulfillments as the
 * Fulfillment setting says, with notifyCustomer as the e-mail setting says; a cancel on the store
 * stops what is left.
 */
import { createServer } from 'node:net';
import type { StoreView } from '../../lib/domain/stores';
import { newSecretsKey } from '../../server/secrets';
import { startShopifyContractServer, type ContractOrder, type ContractShop } from '../contract/shopify/server';
import { cachedAliOrders, configureExtension, expect, launchBackend, readStore, test, type Backend, type Extension } from './fixtures';

/** AliExpress orders of the sandbox whose tracking pages show one parcel each. */
const PARCELS = {
  lamp: { aliOrderId: '8214398062177351', number: 'LP062177351BR' },
  shade: { aliOrderId: '8214779947343229', number: 'LP947343229BR' },
  scarf: { aliOrderId: '8211748238135282', number: 'LP238135282BR' },
  gloves: { aliOrderId: '8211736227630231', number: 'LP227630231BR' },
} as const;
type Parcel = (typeof PARCELS)[keyof typeof PARCELS];

interface OrderDetail {
  id: string;
  state: string;
  canceledOnStore: boolean;
  lineItems: { id: string }[];
  aliOrders: { aliOrderId: string; packages: { trackingNumber: string }[] }[];
  fulfillments: { aliOrderIds: string[]; trackingNumbers: string[]; status: string; error?: string }[];
}

/** A port nobody listens on, so the backend can be told its own public URL before it starts. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** A customer's order of two items, in by webhook, placed to one supplier per item. */
async function placedSplitOrder(backend: Backend, shop: ContractShop, name: string, items: [string, Parcel][]): Promise<{ order: ContractOrder; id: string }> {
  const order = shop.placeOrder({ name, lineItems: items.map(([title]) => ({ title, quantity: 1 })) });
  await shop.settled();
  const { orders } = await backend.api<{ orders: { id: string; state: string }[] }>(`/v1/orders?q=${encodeURIComponent(name)}`);
  expect(orders.map((o) => o.state)).toEqual(['awaiting_order']);
  const { id } = orders[0]!;
  const { lineItems } = await backend.api<OrderDetail>(`/v1/store-orders/${id}`);
  await backend.api(`/v1/store-orders/${id}/place`, {
    body: { aliOrders: items.map(([title, parcel], i) => ({ aliOrderId: parcel.aliOrderId, supplier: `${title} Store`, lineItems: [{ lineItemId: lineItems[i]!.id, quantity: 1 }] })) },
  });
  return { order, id };
}

/** The merchant opens an AliExpress order's tracking page; the extension reads it and pushes it. */
async function readTrackingPage(extension: Extension, parcel: Parcel): Promise<void> {
  const page = await extension.context.newPage();
  await page.goto(`https://www.aliexpress.com/p/tracking/index.html?_addShare=no&_login=yes&tradeOrderId=${parcel.aliOrderId}`);
  await expect
    .poll(async () => (await cachedAliOrders(extension)).find((c) => c.aliOrderId === parcel.aliOrderId)?.order.packages.map((p) => p.trackingNumber))
    .toEqual([parcel.number]);
  // The backend took it: it answers a sync after planning the store's fulfillments.
  await expect.poll(async () => (await readStore<unknown[]>(extension, 'outbox', { all: true })).length).toBe(0);
  await page.close();
}

const fulfillmentsOf = (shop: ContractShop, name: string) => shop.fulfillments().filter((f) => f.orderName === name);

test('Shopify orders in by webhook, tracking read in the browser, fulfilled on the store as the settings say; a cancel on the store stops the rest', async ({ extension }) => {
  test.setTimeout(120_000);
  const shopify = await startShopifyContractServer();
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const backend = await launchBackend({ PORT: String(port), PUBLIC_URL: publicUrl, SECRETS_KEY: newSecretsKey(), SHOPIFY_ADMIN_ORIGIN: shopify.origin });
  try {
    // No webhook URL in the app's settings: the store's webhooks come by the subscriptions made on connect.
    const shop = shopify.shop({ domain: 'e2e-store.myshopify.com', accessToken: 'shpat_e2e_store_token', clientSecret: 'shpss_e2e_store_secret' });
    const store = await backend.api<StoreView>('/v1/stores', {
      body: { platform: 'shopify', shopDomain: shop.domain, accessToken: shop.options.accessToken, clientSecret: shop.options.clientSecret },
    });
    expect(store).toMatchObject({ status: 'connected', missingScopes: [], webhooks: { callbackUrl: `${publicUrl}/v1/webhooks/shopify` } });
    expect(store.webhooks.topics).toEqual(expect.arrayContaining(['orders/create', 'orders/paid', 'orders/cancelled', 'orders/fulfilled']));
    const first = await placedSplitOrder(backend, shop, '#1001', [['Lamp', PARCELS.lamp], ['Shade', PARCELS.shade]]);
    const second = await placedSplitOrder(backend, shop, '#1002', [['Scarf', PARCELS.scarf], ['Gloves', PARCELS.gloves]]);

    // The merchant browses their AliExpress orders: the list says which suppliers shipped.
    await configureExtension(extension, backend);
    const list = await extension.context.newPage();
    await list.goto('https://www.aliexpress.com/p/order/index.html');
    await expect.poll(async () => (await backend.api<OrderDetail>(`/v1/store-orders/${second.id}`)).state).toBe('awaiting_fulfillment');
    await list.close();

    await test.step('wait_for_all with the shipping e-mail on: one fulfillment once both suppliers shipped, the customer notified', async () => {
      await backend.api('/v1/settings', { method: 'PUT', body: { splitFulfillment: 'wait_for_all', shippingConfirmationEmail: true } });
      const { id } = first;

      await readTrackingPage(extension, PARCELS.lamp);
      const waiting = await backend.api<OrderDetail>(`/v1/store-orders/${id}`);
      expect(waiting.state).toBe('awaiting_fulfillment');
      expect(waiting.fulfillments).toEqual([]);

      await readTrackingPage(extension, PARCELS.shade);
      await expect.poll(async () => (await backend.api<OrderDetail>(`/v1/store-orders/${id}`)).fulfillments.map((f) => f.status)).toEqual(['sent']);
      const [fulfillment, ...more] = fulfillmentsOf(shop, '#1001');
      expect(more).toEqual([]);
      expect(fulfillment!.trackingInfo.map((t) => t.number).sort()).toEqual([PARCELS.lamp.number, PARCELS.shade.number].sort());
      expect(fulfillment!.trackingInfo[0]!.company).toBe('J&T Express');
      expect(fulfillment!.notifyCustomer).toBe(true);
      expect(shop.order('#1001').fulfillmentOrders.every((fo) => fo.status === 'CLOSED')).toBe(true);
      expect(shop.emails).toEqual([{ orderName: '#1001', kind: 'shipping_confirmation', trackingNumbers: expect.arrayContaining([PARCELS.lamp.number, PARCELS.shade.number]) }]);
      expect((await backend.api<OrderDetail>(`/v1/store-orders/${id}`)).state).toBe('fulfilled');
    });

    await test.step('each_supplier with the e-mail off: the first supplier\'s item fulfilled alone, no e-mail; canceled on the store, nothing more is pushed', async () => {
      await backend.api('/v1/settings', { method: 'PUT', body: { splitFulfillment: 'each_supplier', shippingConfirmationEmail: false } });
      const { order, id } = second;

      await readTrackingPage(extension, PARCELS.scarf);
      await expect.poll(async () => (await backend.api<OrderDetail>(`/v1/store-orders/${id}`)).fulfillments.map((f) => f.status)).toEqual(['sent']);
      const [scarf] = fulfillmentsOf(shop, '#1002');
      expect(scarf!.lines).toEqual([{ lineItemId: order.lineItems[0]!.id, quantity: 1 }]);
      expect(scarf!.trackingInfo.map((t) => t.number)).toEqual([PARCELS.scarf.number]);
      expect(scarf!.notifyCustomer).toBe(false);
      expect(shop.emails.filter((e) => e.orderName === '#1002')).toEqual([]);

      shop.cancel('#1002');
      await shop.settled();
      expect(await backend.api<OrderDetail>(`/v1/store-orders/${id}`)).toMatchObject({ state: 'canceled', canceledOnStore: true });

      // The other supplier ships after all: the number is read and kept, and the store is told nothing.
      await readTrackingPage(extension, PARCELS.gloves);
      const canceled = await backend.api<OrderDetail>(`/v1/store-orders/${id}`);
      expect(canceled.aliOrders.find((a) => a.aliOrderId === PARCELS.gloves.aliOrderId)?.packages.map((p) => p.trackingNumber)).toEqual([PARCELS.gloves.number]);
      expect(canceled.fulfillments).toEqual([expect.objectContaining({ aliOrderIds: [PARCELS.scarf.aliOrderId], status: 'sent' })]);
      expect(fulfillmentsOf(shop, '#1002')).toHaveLength(1);
      expect(canceled.state).toBe('canceled');
    });
  } finally {
    await backend.dispose();
    await shopify.close();
  }
});
