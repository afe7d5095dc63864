/** A changed Fulfillment setting: the open split orders' states are worked out again (the rule takes the setting). */
import type { Database } from '../db';
import { storeOrder } from '../rows';
import { refreshState } from '../store-orders';

export async function rederiveSplitOrders(db: Database, merchantId: string, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `select s.id::text as id from store_orders s
      where s.merchant_id = $1 and s.fulfillment_mode = 'auto' and s.state in ('awaiting_fulfillment', 'awaiting_shipment')
        and (select count(*) from ali_orders a where a.store_order_id = s.id and a.replaced_at is null) > 1`,
    [merchantId],
  );
  for (const { id } of rows) {
    await db.transaction(async (tx) => {
      await refreshState(tx, merchantId, await storeOrder(tx, merchantId, id, true), 'fulfillment_setting', now);
    });
  }
  return rows.map((r) => r.id);
}
