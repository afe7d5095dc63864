/**
 * Two backend processes on one PostgreSQL, both running the store leg's outbox: every store
 * fulfillment reaches the store exactly once, whichever process the tracking numbers came in through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMerchant } from '../../server/auth';
import { openDatabase, type Database } from '../../server/db';
import { newSecretsKey } from '../../server/secrets';
import { startBackend, type BackendProcess } from '../../scripts/lib/backend-process';
import { startShopifyContractServer, type ShopifyContractServer } from '../contract/shopify/server';
import { aliOrder, dropSchema, newAliOrderId, pkg, snapshot, syncBody, uniqueSchema } from './helpers';

const databaseUrl = process.env.DATABASE_URL;
const ORDERS = 40;

describe.skipIf(!databaseUrl)('two backend processes pushing to one store', { timeout: 180_000 }, () => {
  const schema = uniqueSchema(import.meta.filename);
  let db: Database;
  let shopify: ShopifyContractServer;
  let backends: BackendProcess[] = [];

  beforeAll(async () => {
    db = await openDatabase({ databaseUrl, schema });
    shopify = await startShopifyContractServer();
    const env = { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, SECRETS_KEY: newSecretsKey(), SHOPIFY_ADMIN_ORIGIN: shopify.origin, LOG_LEVEL: 'info' };
    backends = await Promise.all([startBackend(env), startBackend(env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(backends.map((b) => b.stop()));
    await shopify?.close();
    await dropSchema(db, schema);
    await db.close();
  });

  it('never pushes a fulfillment twice', async () => {
    const { token } = await createMerchant(db, 'two processes');
    const call = async (backend: BackendProcess, path: string, body?: unknown) => {
      const res = await fetch(backend.url + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    };
    const [a, b] = backends as [BackendProcess, BackendProcess];
    const shop = shopify.shop({ domain: 'two-processes.myshopify.com', accessToken: 'shpat_two_processes_1', clientSecret: 'shpss_two_processes_1', webhookUrl: `${a.url}/v1/webhooks/shopify` });
    expect((await call(a, '/v1/stores', { platform: 'shopify', shopDomain: shop.domain, accessToken: shop.options.accessToken, clientSecret: shop.options.clientSecret })).status).toBe(201);

    const placed: { aliOrderId: string; via: BackendProcess }[] = [];
    for (let i = 0; i < ORDERS; i++) shop.placeOrder({ lineItems: [{ title: `Item ${i}`, quantity: 1 }] });
    await shop.settled();
    const orders = (await call(a, '/v1/orders?limit=500')).body.orders as { id: string }[];
    expect(orders).toHaveLength(ORDERS);
    for (const [i, order] of orders.entries()) {
      const via = i % 2 ? a : b;
      const aliOrderId = newAliOrderId();
      expect((await call(via, `/v1/store-orders/${order.id}/place`, { aliOrders: [{ aliOrderId, supplier: 'One Store' }] })).status).toBe(200);
      placed.push({ aliOrderId, via });
    }
    // The tracking numbers arrive through both processes at once.
    const now = new Date().toISOString();
    const reads = (via: BackendProcess) =>
      placed.filter((p) => p.via === via).map((p, n) => aliOrder(p.aliOrderId, 'shipped', { packages: [pkg(`LP2P${p.aliOrderId.slice(-8)}${n}`, 'in_transit')] }));
    await Promise.all([call(a, '/v1/sync', syncBody([snapshot(now, reads(a))])), call(b, '/v1/sync', syncBody([snapshot(now, reads(b))]))]);

    const deadline = Date.now() + 120_000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent = (await db.query<{ n: number }>(`select count(*)::int as n from store_fulfillments where status = 'sent'`)).rows[0]!.n;
      if (sent === ORDERS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(sent).toBe(ORDERS);
    expect(shop.fulfillments()).toHaveLength(ORDERS);
    expect(new Set(shop.fulfillments().map((f) => f.orderName)).size).toBe(ORDERS);
    expect(shop.calls.filter((c) => c.operation === 'FulfillmentCreate')).toHaveLength(ORDERS);
  });
});
