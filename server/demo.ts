/**
 * The demo merchant `npm start` runs with: store orders placed to the AliExpress orders of the
 * sandbox's saved order list, so a newcomer sees their statuses arrive, plus orders that show the
 * other DSers tabs, a lock and the flags at once. Safe to run again: the merchant gets a fresh
 * token, existing orders are kept.
 */
import type { AliOrder } from '../lib/domain/snapshot';
import { orderListUrl } from '../lib/aliexpress/urls';
import { DAY_MS } from '../lib/domain/order-flags';
import { createMerchant, rotateToken } from './auth';
import { setLogin } from './dashboard/accounts';
import { randomPassword } from './dashboard/password';
import type { Database } from './db';
import { createStoreOrder, fulfillManually, markPlacingFailed, placeStoreOrder } from './store-orders';
import { applySync } from './sync/pipeline';

export const DEMO_MERCHANT = 'Demo merchant';
/** The demo merchant signs in to the dashboard as `demo`, with a new random password on every run. */
export const DEMO_LOGIN = 'demo';

const DEMO_ORDERS: { storeOrderNumber: string; paid: boolean; aliOrders: { aliOrderId: string; supplier: string }[] }[] = [
  { storeOrderNumber: '#1001', paid: true, aliOrders: [{ aliOrderId: '8214398062177351', supplier: 'LIMA Store' }] },
  {
    storeOrderNumber: '#1002',
    paid: true,
    aliOrders: [
      { aliOrderId: '8214779947343229', supplier: 'LIMA Store' },
      { aliOrderId: '8212313961591322', supplier: 'Vega Store' },
    ],
  },
  { storeOrderNumber: '#1003', paid: true, aliOrders: [{ aliOrderId: '8212611134562621', supplier: 'XENON Store' }] },
  { storeOrderNumber: '#1004', paid: true, aliOrders: [] },
  { storeOrderNumber: '#1005', paid: false, aliOrders: [] },
];

/**
 * Orders whose state does not wait for the extension. Their AliExpress ids are made up (the
 * sandbox does not list them), except #1008's: reading the sandbox shows that sync leaves a locked
 * order alone.
 */
type Extra = { storeOrderNumber: string; aliOrderIds: string[]; after?: 'placing_failed' | 'fulfill_manually' | 'fulfill_on_store' };
const EXTRA_ORDERS: Extra[] = [
  { storeOrderNumber: '#1006', aliOrderIds: ['8100000000001006'] },
  { storeOrderNumber: '#1007', aliOrderIds: [], after: 'placing_failed' },
  { storeOrderNumber: '#1008', aliOrderIds: ['8211781299384136'], after: 'fulfill_manually' },
  { storeOrderNumber: '#1009', aliOrderIds: [], after: 'fulfill_on_store' },
  { storeOrderNumber: '#1010', aliOrderIds: ['8100000000001010', '8100000000002010'] },
  { storeOrderNumber: '#1011', aliOrderIds: ['8100000000001011', '8100000000002011'] },
  { storeOrderNumber: '#1012', aliOrderIds: ['8100000000001012'] },
  { storeOrderNumber: '#1013', aliOrderIds: ['8100000000001013'] },
];

/** What a first read of the made-up orders would have found, dated relative to `now`. */
function demoReads(now: Date): AliOrder[] {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  const parcel = (trackingNumber: string, trackingStatus: 'pending' | 'in_transit', eventDaysAgo: number) => ({
    trackingNumber,
    carrier: 'Cainiao',
    trackingStatus,
    events: [{ at: ago(eventDaysAgo), text: trackingStatus === 'pending' ? 'Label created' : 'Departed from sorting center' }],
  });
  return [
    // Split: one supplier shipped, the other not yet → Awaiting fulfillment.
    { aliOrderId: '8100000000001010', status: 'shipped', paidAt: ago(3), packages: [parcel('LP00DEMO1010', 'in_transit', 0.5)] },
    { aliOrderId: '8100000000002010', status: 'awaiting_shipment', paidAt: ago(3), packages: [] },
    // One supplier canceled → Canceled, marked partial.
    { aliOrderId: '8100000000001011', status: 'closed', paidAt: ago(2), packages: [] },
    { aliOrderId: '8100000000002011', status: 'awaiting_shipment', paidAt: ago(2), packages: [] },
    // Fulfilled, but the label was printed 8 days ago and nothing moved since: attention, pending too long.
    { aliOrderId: '8100000000001012', status: 'shipped', paidAt: ago(9), packages: [parcel('LP00DEMO1012', 'pending', 8)] },
    // Paid 8 days ago and still no tracking number: attention.
    { aliOrderId: '8100000000001013', status: 'awaiting_shipment', paidAt: ago(8), packages: [] },
  ];
}

export async function seedDemo(db: Database): Promise<{ merchantId: string; token: string; login: string; password: string }> {
  const { rows } = await db.query<{ id: string }>('select id::text as id from merchants where name = $1 order by id limit 1', [DEMO_MERCHANT]);
  const existing = rows[0];
  const { merchantId, token } = existing
    ? { merchantId: existing.id, token: await rotateToken(db, existing.id) }
    : await createMerchant(db, DEMO_MERCHANT).then(({ merchant, token: t }) => ({ merchantId: merchant.id, token: t }));
  for (const order of DEMO_ORDERS) {
    const found = await db.query('select 1 from store_orders where merchant_id = $1 and store_order_number = $2', [merchantId, order.storeOrderNumber]);
    if (found.rows.length > 0) continue;
    const id = await createStoreOrder(db, merchantId, order.storeOrderNumber, order.paid);
    if (order.aliOrders.length > 0) await placeStoreOrder(db, merchantId, id, order.aliOrders);
  }
  await seedExtras(db, merchantId, new Date());
  const password = randomPassword();
  await setLogin(db, merchantId, DEMO_LOGIN, password);
  return { merchantId, token, login: DEMO_LOGIN, password };
}

async function seedExtras(db: Database, merchantId: string, now: Date): Promise<void> {
  let added = false;
  for (const order of EXTRA_ORDERS) {
    const found = await db.query('select 1 from store_orders where merchant_id = $1 and store_order_number = $2', [merchantId, order.storeOrderNumber]);
    if (found.rows.length > 0) continue;
    added = true;
    const id = await createStoreOrder(db, merchantId, order.storeOrderNumber, true, now);
    if (order.aliOrderIds.length > 0) {
      await placeStoreOrder(db, merchantId, id, order.aliOrderIds.map((aliOrderId, i) => ({ aliOrderId, supplier: `Demo Supplier ${i + 1}` })), now);
    }
    if (order.after === 'placing_failed') await markPlacingFailed(db, merchantId, id, 'The product is no longer available in the buyer\'s country', now);
    if (order.after === 'fulfill_manually' || order.after === 'fulfill_on_store') await fulfillManually(db, merchantId, id, order.after === 'fulfill_on_store', now);
  }
  if (!added) return;
  await applySync(db, merchantId, {
    idempotencyKey: `demo-seed-${now.getTime()}`,
    snapshots: [{ kind: 'order_detail', url: orderListUrl(), capturedAt: now.toISOString(), orders: demoReads(now), warnings: [] }],
  }, now);
}
