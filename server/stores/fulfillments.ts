/**
 * Planning the store's fulfillments of store orders: after anything that can change them (a sync,
 * a placing, a setting, an order from the store), each store order's groups are worked out by the
 * shared rules and written to the outbox (store_fulfillments). Idempotent: planning twice plans
 * nothing new, so the runner's sweep can plan again whatever a crash left unplanned.
 */
import { isLocked, type FulfillmentMode } from '../../lib/domain/store-order';
import { coveredLinesFulfilledOnStore, planFulfillments, sameNumbers, type CoveredLine, type StoreLineItem } from '../../lib/domain/stores';
import type { Database, Queryable } from '../db';
import { splitSettingOf } from './state';

interface PlanOrderRow {
  id: string;
  merchant_id: string;
  store_id: string | null;
  fulfillment_mode: FulfillmentMode;
  canceled_on_store: boolean;
  store_live: boolean;
  line_items: StoreLineItem[] | null;
}

/** Plans the store fulfillments of some of a merchant's store orders; answers how many rows it queued. */
export async function planStoreFulfillments(db: Database, merchantId: string, storeOrderIds: readonly string[], now: Date): Promise<number> {
  if (storeOrderIds.length === 0) return 0;
  // Most orders of a sync may have no store: one read leaves them out.
  const { rows } = await db.query<{ id: string }>(
    'select id::text as id from store_orders where merchant_id = $1 and id = any($2::bigint[]) and store_id is not null order by id',
    [merchantId, storeOrderIds],
  );
  if (rows.length === 0) return 0;
  let queued = 0;
  const split = await splitSettingOf(db, merchantId);
  for (const { id } of rows) queued += await db.transaction((tx) => planOne(tx, merchantId, id, split, now));
  return queued;
}

async function planOne(tx: Queryable, merchantId: string, storeOrderId: string, split: Awaited<ReturnType<typeof splitSettingOf>>, now: Date): Promise<number> {
  // Under the store order's lock, as every writer of its AliExpress orders holds it.
  const { rows } = await tx.query<PlanOrderRow>(
    `select s.id::text as id, s.merchant_id::text as merchant_id, s.store_id::text as store_id, s.fulfillment_mode,
            s.canceled_on_store_at is not null as canceled_on_store, (st.id is not null and st.disconnected_at is null) as store_live, s.line_items
       from store_orders s left join stores st on st.id = s.store_id
      where s.id = $1 and s.merchant_id = $2 for update of s`,
    [storeOrderId, merchantId],
  );
  const order = rows[0];
  if (!order?.store_id) return 0;
  // Locks hold: nothing is pushed for orders fulfilled by hand or on the store, nor canceled there.
  const stop = !order.store_live ? 'the store was disconnected' : isLocked(order.fulfillment_mode) ? 'the order was fulfilled by hand or on the store' : order.canceled_on_store ? 'the order was canceled on the store' : null;
  if (stop) {
    await tx.query(`update store_fulfillments set status = 'failed', error = $2 where store_order_id = $1 and status = 'queued'`, [order.id, stop]);
    return 0;
  }
  const ali = await tx.query<{ ali_order_id: string; line_items: CoveredLine[] | null; tracking_numbers: string[] | null }>(
    `select a.ali_order_id, a.line_items,
            array_remove(array_agg(p.tracking_number order by p.id), null) as tracking_numbers
       from ali_orders a left join packages p on p.ali_order_pk = a.id
      where a.store_order_id = $1 and a.replaced_at is null
      group by a.id order by a.id`,
    [order.id],
  );
  const existing = await tx.query<{ id: string; group_key: string; ali_order_ids: string[]; tracking_numbers: string[]; status: string }>(
    'select id::text as id, group_key, ali_order_ids, tracking_numbers, status from store_fulfillments where store_order_id = $1',
    [order.id],
  );
  const sources = ali.rows.map((a) => ({
    aliOrderId: a.ali_order_id,
    trackingNumbers: a.tracking_numbers ?? [],
    lineItems: a.line_items,
    fulfilledOnStore: coveredLinesFulfilledOnStore(a.line_items, order.line_items ?? []),
  }));
  const onStore = sources.filter((s) => s.fulfilledOnStore).map((s) => s.aliOrderId);
  // Queued before the store's staff fulfilled those items themselves: not sent.
  if (onStore.length > 0) {
    await tx.query(
      `update store_fulfillments set status = 'failed', error = 'these items were fulfilled on the store' where store_order_id = $1 and status = 'queued' and ali_order_ids <@ $2::text[]`,
      [order.id, onStore],
    );
  }
  const planned = planFulfillments(split, sources, existing.rows.map((e) => ({ aliOrderIds: e.ali_order_ids })));
  let queued = 0;
  for (const p of planned) {
    const row = existing.rows.find((e) => e.group_key === p.key);
    if (row && sameNumbers(row.tracking_numbers, p.trackingNumbers)) continue;
    queued++;
    await tx.query(
      `insert into store_fulfillments (merchant_id, store_id, store_order_id, group_key, ali_order_ids, tracking_numbers, line_items, status,
                                       next_attempt_at, queued_at)
       values ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $8)
       on conflict (store_order_id, group_key) do update
         set tracking_numbers = excluded.tracking_numbers, status = 'queued', error = null, attempts = 0,
             next_attempt_at = excluded.next_attempt_at, queued_at = excluded.queued_at`,
      [merchantId, order.store_id, order.id, p.key, p.aliOrderIds, p.trackingNumbers, p.lineItems ? JSON.stringify(p.lineItems) : null, now],
    );
  }
  return queued;
}

/** Store orders from a store whose AliExpress orders changed since they were last planned: the sweep's work. */
export async function ordersToPlan(db: Queryable, since: Date, limit = 500): Promise<{ merchantId: string; storeOrderId: string }[]> {
  const { rows } = await db.query<{ merchant_id: string; id: string }>(
    `select distinct s.merchant_id::text as merchant_id, s.id::text as id
       from store_orders s join ali_orders a on a.store_order_id = s.id left join packages p on p.ali_order_pk = a.id
      where s.store_id is not null and s.fulfillment_mode = 'auto' and s.canceled_on_store_at is null
        and (a.updated_at >= $1 or p.updated_at >= $1)
      limit $2`,
    [since, limit],
  );
  return rows.map((r) => ({ merchantId: r.merchant_id, storeOrderId: r.id }));
}
