/**
 * What a store order's state is worked out from, read in one place for every writer: its flags,
 * the AliExpress orders that still decide it (one placed again replaces the canceled one, which
 * stays for the history only), the cancel on the store, and the merchant's Fulfillment setting.
 */
import type { AliOrderStatus } from '../../lib/domain/snapshot';
import type { FulfillmentMode, StoreOrderFacts } from '../../lib/domain/store-order';
import { DEFAULT_SETTINGS, type SplitFulfillment } from '../../lib/domain/stores';
import type { Queryable } from '../db';

export async function splitSettingOf(db: Queryable, merchantId: string): Promise<SplitFulfillment> {
  const { rows } = await db.query<{ split_fulfillment: SplitFulfillment }>('select split_fulfillment from merchant_settings where merchant_id = $1', [merchantId]);
  return rows[0]?.split_fulfillment ?? DEFAULT_SETTINGS.splitFulfillment;
}

export async function storeOrderFacts(
  db: Queryable,
  storeOrderId: string,
  order: { paid: boolean; fulfillment_mode: FulfillmentMode; placing_failed: boolean; canceled_on_store: boolean; split: SplitFulfillment },
): Promise<StoreOrderFacts> {
  const { rows } = await db.query<{ status: AliOrderStatus; tracking_numbers: string[] | null }>(
    `select a.status, array_remove(array_agg(p.tracking_number), null) as tracking_numbers
       from ali_orders a left join packages p on p.ali_order_pk = a.id
      where a.store_order_id = $1 and a.replaced_at is null group by a.id`,
    [storeOrderId],
  );
  return {
    paid: order.paid,
    fulfillmentMode: order.fulfillment_mode,
    placingFailed: order.placing_failed,
    canceledOnStore: order.canceled_on_store,
    splitFulfillment: order.split,
    aliOrders: rows.map((r) => ({ status: r.status, trackingNumbers: r.tracking_numbers ?? [] })),
  };
}
