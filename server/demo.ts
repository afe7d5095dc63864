/**
 * The demo merchant `npm start` runs with: store orders placed to the AliExpress orders of the
 * sandbox's saved order list, so a newcomer sees their statuses arrive. Safe to run again: the
 * merchant gets a fresh token, existing orders are kept.
 */
import { createMerchant, rotateToken } from './auth';
import type { Database } from './db';
import { createStoreOrder, placeStoreOrder } from './orders';

export const DEMO_MERCHANT = 'Demo merchant';

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

export async function seedDemo(db: Database): Promise<{ merchantId: string; token: string }> {
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
  return { merchantId, token };
}
