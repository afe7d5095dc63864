/**
 * The store leg's figures, against the Shopify contract server at the Standard plan's throttle
 * (100 points/s, a 2,000-point bucket): how long from a tracking read accepted (POST /v1/sync
 * answered) to its fulfillment created at the store, and 1,000 fulfillments pushed through the
 * throttle without a failure, in little more than the time the throttle allows them.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../server/app';
import { createMerchant } from '../server/auth';
import { openDatabase, type Database } from '../server/db';
import { createStoreLeg } from '../server/jobs/runner';
import { silentLogger } from '../server/log';
import { newSecretsKey, parseSecretsKey, secretBox } from '../server/secrets';
import { placeStoreOrder } from '../server/store-orders';
import { connectStore } from '../server/stores/stores';
import { STANDARD_PLAN, startShopifyContractServer, type ContractShop } from '../tests/contract/shopify/server';
import { log, percentile, round, type Figure } from './lib';

const LATENCY_ORDERS = 40;
const BULK_FULFILLMENTS = 1000;

const aliId = (n: number) => `81${String(n).padStart(14, '0')}`;

async function setup(domain: string, orderCount: number, base: number) {
  const db = await openDatabase({});
  const box = secretBox(parseSecretsKey(newSecretsKey()));
  const shopify = await startShopifyContractServer();
  const leg = createStoreLeg({ db, log: silentLogger, box, adminOrigin: shopify.origin });
  const app = createApp({ db, log: silentLogger, box, storeLeg: leg });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { merchant, token } = await createMerchant(db, 'bench store');
  const shop = shopify.shop({ domain, accessToken: 'shpat_bench_token', clientSecret: 'shpss_bench_secret', webhookUrl: `${url}/v1/webhooks/shopify`, plan: STANDARD_PLAN });
  await connectStore(db, box, merchant.id, { shopDomain: domain, accessToken: 'shpat_bench_token', clientSecret: 'shpss_bench_secret' }, new Date());
  // The orders arrive by webhook, as from a real shop, and are each placed to one supplier.
  for (let i = 0; i < orderCount; i++) shop.placeOrder({ name: `#${10_000 + i}`, lineItems: [{ title: `Item ${i}`, quantity: 1 }] });
  await shop.settled();
  const { rows } = await db.query<{ id: string; store_order_number: string }>('select id::text as id, store_order_number from store_orders where merchant_id = $1 order by id', [merchant.id]);
  for (const [i, r] of rows.entries()) await placeStoreOrder(db, merchant.id, r.id, [{ aliOrderId: aliId(base + i), supplier: 'Bench Store' }]);
  const sync = async (ids: number[]) => {
    const capturedAt = new Date().toISOString();
    const orders = ids.map((i) => ({ aliOrderId: aliId(base + i), status: 'shipped', packages: [{ trackingNumber: `LPBENCH${base + i}`, carrier: 'Cainiao', trackingStatus: 'in_transit', events: [] }] }));
    const res = await fetch(`${url}/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ idempotencyKey: `bench-${base}-${ids[0]}-${ids.length}`, snapshots: [{ kind: 'order_detail', url: 'https://www.aliexpress.com/p/order/index.html', capturedAt, orders, warnings: [] }] }),
    });
    if (res.status !== 200) throw new Error(`sync answered ${res.status}: ${await res.text()}`);
  };
  leg.start();
  const close = async () => {
    await leg.stop();
    await shopify.close();
    await new Promise((r) => server.close(r));
    await db.close();
  };
  return { db, shop, sync, close };
}

async function failedCount(db: Database): Promise<number> {
  return (await db.query<{ n: number }>(`select count(*)::int as n from store_fulfillments where status = 'failed'`)).rows[0]!.n;
}

async function waitFor(shop: ContractShop, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (shop.fulfillments().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

export async function measureStore(): Promise<Figure[]> {
  log(`store push: latency of ${LATENCY_ORDERS} fulfillments, one tracking read at a time`);
  const latency = await setup('bench-latency.myshopify.com', LATENCY_ORDERS, 0);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < LATENCY_ORDERS; i++) {
      await latency.sync([i]);
      const accepted = performance.now();
      await waitFor(latency.shop, i + 1, 30_000);
      latencies.push(performance.now() - accepted);
    }
  } finally {
    await latency.close();
  }
  const p99 = percentile(latencies, 99);

  log(`store push: ${BULK_FULFILLMENTS} fulfillments through the Standard plan's throttle (about 2-3 minutes)`);
  const bulk = await setup('bench-bulk.myshopify.com', BULK_FULFILLMENTS, 100_000);
  let elapsed: number;
  let failed: number;
  let throttledCalls: number;
  let allowedMs: number;
  let made: number;
  try {
    const started = performance.now();
    await bulk.sync(Array.from({ length: BULK_FULFILLMENTS }, (_, i) => i));
    await waitFor(bulk.shop, BULK_FULFILLMENTS, 600_000);
    elapsed = performance.now() - started;
    made = bulk.shop.fulfillments().length;
    failed = await failedCount(bulk.db);
    throttledCalls = bulk.shop.calls.filter((c) => c.throttled).length;
    // What the throttle allows: every point the calls cost, less the full bucket they start with, at the restore rate.
    const points = bulk.shop.calls.reduce((n, c) => n + (c.actualCost ?? 0), 0);
    allowedMs = (Math.max(0, points - STANDARD_PLAN.maximumAvailable) / STANDARD_PLAN.restoreRate) * 1000;
  } finally {
    await bulk.close();
  }
  const ratio = elapsed / allowedMs;
  return [
    {
      id: 'store_push.latency_p99_ms',
      figure: 'store push: tracking read accepted → fulfillment created at the Shopify contract server, p99',
      value: round(p99, 1),
      unit: 'ms',
      shown: `${round(p99, 1)} ms (median ${round(percentile(latencies, 50), 1)} ms, ${LATENCY_ORDERS} fulfillments)`,
      budget: '< 2,000 ms',
      verdict: p99 < 2000 ? 'pass' : 'fail',
      details: { latenciesMs: latencies.map((l) => round(l, 1)) },
    },
    {
      id: 'store_push.throttled_failures',
      figure: `store push: failures among ${BULK_FULFILLMENTS} fulfillments at the Standard plan's throttle (100 points/s)`,
      value: failed + (BULK_FULFILLMENTS - made),
      unit: 'fulfillments',
      shown: `${failed + (BULK_FULFILLMENTS - made)} (${made} made in ${round(elapsed / 1000, 1)} s; the throttle allows ${round(allowedMs / 1000, 1)} s: ratio ${round(ratio, 2)}; ${throttledCalls} calls answered THROTTLED)`,
      budget: '0, within 20% of the time the throttle allows',
      verdict: failed === 0 && made === BULK_FULFILLMENTS && ratio <= 1.2 ? 'pass' : 'fail',
      details: { elapsedMs: round(elapsed), allowedMs: round(allowedMs), ratio: round(ratio, 3), throttledCalls, failed, made },
    },
  ];
}
