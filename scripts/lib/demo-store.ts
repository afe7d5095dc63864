/**
 * The demo's Shopify store: the Shopify contract server (tests/contract/shopify) as the demo
 * merchant's shop, connected like a real one (its webhooks subscribed to the demo backend's URL,
 * as PUBLIC_URL would say), with two customer orders that arrive by webhook and
 * are placed to AliExpress orders of the sandbox's order list, so the Sync button's tracking
 * numbers go out to the store as fulfillments. At the end the demo prints what the store got.
 */
import { placeStoreOrder } from '../../server/store-orders';
import type { Database } from '../../server/db';
import type { StoreLeg } from '../../server/jobs/runner';
import type { SecretBox } from '../../server/secrets';
import { writeSettings } from '../../server/settings/settings';
import { registerStoreWebhooks } from '../../server/shopify/subscriptions';
import { connectStore } from '../../server/stores/stores';
import type { ContractShop, ShopifyContractServer } from '../../tests/contract/shopify/server';

export const DEMO_SHOP = 'aos-demo.myshopify.com';

export async function seedDemoStore(o: {
  db: Database;
  box: SecretBox;
  merchantId: string;
  backendUrl: string;
  shopify: ShopifyContractServer;
  storeLeg: StoreLeg;
}): Promise<ContractShop> {
  const shop = o.shopify.shop({ domain: DEMO_SHOP, accessToken: 'shpat_demo_access_token', clientSecret: 'shpss_demo_client_secret' });
  const store = await connectStore(o.db, o.box, o.merchantId, { shopDomain: DEMO_SHOP, accessToken: shop.options.accessToken, clientSecret: shop.options.clientSecret }, new Date());
  const subscribed = await registerStoreWebhooks(o.db, { id: store.id, client: (await o.storeLeg.clients.forStore(store.id))?.client }, o.backendUrl);
  if (subscribed.error) throw new Error(`the demo store's webhooks: ${subscribed.error}`);
  await writeSettings(o.db, o.merchantId, { shippingConfirmationEmail: true, splitFulfillment: 'wait_for_all' }, new Date());
  const single = shop.placeOrder({ name: '#2001', lineItems: [{ title: 'Silk scarf', sku: 'SCARF-01', quantity: 1 }] });
  const split = shop.placeOrder({ name: '#2002', lineItems: [{ title: 'Desk lamp', sku: 'LAMP-02', quantity: 1 }, { title: 'Lamp shade', sku: 'SHADE-02', quantity: 2 }] });
  await shop.settled();
  const idOf = async (externalId: number) =>
    (await o.db.query<{ id: string }>('select id::text as id from store_orders where external_id = $1', [`gid://shopify/Order/${externalId}`])).rows[0]!.id;
  const line = (order: typeof split, i: number) => ({ lineItemId: `gid://shopify/LineItem/${order.lineItems[i]!.id}`, quantity: order.lineItems[i]!.quantity });
  // AliExpress orders of the sandbox's saved order list that no other demo order uses.
  await placeStoreOrder(o.db, o.merchantId, await idOf(single.id), [{ aliOrderId: '8211589415816822', supplier: 'Jade Store' }]);
  await placeStoreOrder(o.db, o.merchantId, await idOf(split.id), [
    { aliOrderId: '8211748238135282', supplier: 'NANO Store', lineItems: [line(split, 0)] },
    { aliOrderId: '8211736227630231', supplier: 'Tango Store', lineItems: [line(split, 1)] },
  ]);
  return shop;
}

/** Waits (a while at most) until nothing is queued for the store, then prints its fulfillments and the e-mails Shopify would have sent. */
export async function printDemoStore(db: Database, shop: ContractShop): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { rows } = await db.query(`select 1 from store_fulfillments where status = 'queued' limit 1`);
    if (rows.length === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`\nThe Shopify store (${shop.domain}, the Shopify contract server) got ${shop.fulfillments().length} fulfillments:`);
  for (const f of shop.fulfillments()) {
    const tracking = f.trackingInfo.map((t) => `${t.number}${t.company ? ` (${t.company})` : ''}`).join(', ');
    const items = f.lines.reduce((n, l) => n + l.quantity, 0);
    console.log(`  ${f.orderName}: ${items} item${items === 1 ? '' : 's'}, tracking ${tracking || '—'}, notifyCustomer ${f.notifyCustomer}`);
  }
  const failed = await db.query<{ error: string }>(`select error from store_fulfillments where status = 'failed'`);
  for (const f of failed.rows) console.log(`  failed: ${f.error}`);
  console.log(`E-mails Shopify would have sent: ${shop.emails.length ? '' : 'none'}`);
  for (const e of shop.emails) console.log(`  ${e.orderName}: ${e.kind.replace('_', ' ')}, tracking ${e.trackingNumbers.join(', ')}`);
}
