/**
 * Bulk re-order (seed: "You can bulk order the Canceled orders from AliExpress, but not the ones
 * from Shopify"; "you can bulk order the Failed orders again"): each order canceled on AliExpress
 * or failed goes back to be placed again. Its canceled AliExpress orders are replaced (kept in the
 * history, no longer deciding the state) and its placing error cleared.
 */
import type { ReorderResponse } from '../../lib/domain/stores';
import { isLocked } from '../../lib/domain/store-order';
import type { Database } from '../db';
import { NotFoundError } from '../errors';
import { storeOrder } from '../rows';
import { refreshState } from '../store-orders';

export async function reorder(db: Database, merchantId: string, ids: readonly string[], now: Date): Promise<ReorderResponse> {
  const results: ReorderResponse['results'] = [];
  for (const id of new Set(ids)) {
    const result = await db.transaction(async (tx): Promise<ReorderResponse['results'][number]> => {
      let order;
      try {
        order = await storeOrder(tx, merchantId, id, true);
      } catch (error) {
        if (error instanceof NotFoundError) return { id, outcome: 'refused', reason: 'not_found' };
        throw error;
      }
      if (order.canceled_on_store) return { id, outcome: 'refused', reason: 'canceled_on_store' };
      if (isLocked(order.fulfillment_mode)) return { id, outcome: 'refused', reason: 'locked' };
      if (order.state !== 'canceled' && order.state !== 'failed') return { id, outcome: 'refused', reason: 'not_canceled_or_failed' };
      const replaced = await tx.query<{ ali_order_id: string }>(
        `update ali_orders set replaced_at = $2 where store_order_id = $1 and replaced_at is null and status = 'closed' returning ali_order_id`,
        [order.id, now],
      );
      for (const r of replaced.rows) {
        await tx.query(
          `insert into state_changes (merchant_id, store_order_id, field, from_state, to_state, cause, at) values ($1, $2, 'ali_order', $3, null, 'reorder', $4)`,
          [merchantId, order.id, r.ali_order_id, now],
        );
      }
      await tx.query('update store_orders set placing_failed = false, placing_error = null where id = $1', [order.id]);
      order.placing_failed = false;
      await refreshState(tx, merchantId, order, 'reorder', now);
      return { id, outcome: 'reopened' };
    });
    results.push(result);
  }
  return { results };
}
