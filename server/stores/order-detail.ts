/** The store leg's part of one store order's detail: its fulfillments on the store, line items, cancel on the store, replaced AliExpress orders. */
import type { StoreOrderDetail } from '../../lib/domain/api';
import type { AliOrderStatus } from '../../lib/domain/snapshot';
import type { StoreFulfillment, StoreLineItem } from '../../lib/domain/stores';
import type { Queryable } from '../db';

type StorePart = Pick<StoreOrderDetail, 'fulfillments' | 'lineItems' | 'canceledOnStore' | 'replacedAliOrders'>;

export async function storePartOf(db: Queryable, storeOrderId: string): Promise<StorePart> {
  const [order, fulfillments, replaced] = await Promise.all([
    db.query<{ line_items: StoreLineItem[] | null; canceled: boolean }>(
      'select line_items, canceled_on_store_at is not null as canceled from store_orders where id = $1',
      [storeOrderId],
    ),
    db.query<{ ali_order_ids: string[]; tracking_numbers: string[]; status: StoreFulfillment['status']; error: string | null; store_fulfillment_id: string | null }>(
      'select ali_order_ids, tracking_numbers, status, error, store_fulfillment_id from store_fulfillments where store_order_id = $1 order by id',
      [storeOrderId],
    ),
    db.query<{ ali_order_id: string; supplier: string | null; status: AliOrderStatus; replaced_at: Date }>(
      'select ali_order_id, supplier, status, replaced_at from ali_orders where store_order_id = $1 and replaced_at is not null order by id',
      [storeOrderId],
    ),
  ]);
  return {
    lineItems: order.rows[0]?.line_items ?? null,
    canceledOnStore: order.rows[0]?.canceled ?? false,
    fulfillments: fulfillments.rows.map((f) => ({
      aliOrderIds: f.ali_order_ids,
      trackingNumbers: f.tracking_numbers,
      status: f.status,
      ...(f.error !== null && { error: f.error }),
      ...(f.store_fulfillment_id !== null && { storeFulfillmentId: f.store_fulfillment_id }),
    })),
    replacedAliOrders: replaced.rows.map((a) => ({ aliOrderId: a.ali_order_id, supplier: a.supplier, status: a.status, replacedAt: a.replaced_at.toISOString() })),
  };
}
