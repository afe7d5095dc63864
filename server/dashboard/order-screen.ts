/** What the order screen reads beyond the order list: the tabs' counts and a store order's package timelines. */
import { DSERS_STATES, type DsersState } from '../../lib/domain/store-order-rules';
import type { OrderCounts, TimelinesResponse } from '../../lib/domain/dashboard';
import type { TrackingEvent, TrackingStatus } from '../../lib/domain/snapshot';
import type { Queryable } from '../db';
import { countUnlinked } from './unlinked';

/** One grouped count over the (merchant_id, state) index, plus the unlinked AliExpress orders. */
export async function orderCounts(db: Queryable, merchantId: string): Promise<OrderCounts> {
  const [{ rows }, unlinked] = await Promise.all([
    db.query<{ state: DsersState; n: number }>('select state, count(*)::int as n from store_orders where merchant_id = $1 group by state', [merchantId]),
    countUnlinked(db, merchantId),
  ]);
  const states = Object.fromEntries(DSERS_STATES.map((s) => [s, 0])) as Record<DsersState, number>;
  for (const r of rows) states[r.state] = r.n;
  return { states, all: rows.reduce((n, r) => n + r.n, 0), unlinked };
}

/** Every package of one of the merchant's store orders with all its events; undefined when the order is not theirs. */
export async function packageTimelines(db: Queryable, merchantId: string, storeOrderId: string): Promise<TimelinesResponse | undefined> {
  if (!/^\d{1,18}$/.test(storeOrderId)) return undefined;
  const owned = await db.query('select 1 from store_orders where id = $1 and merchant_id = $2', [storeOrderId, merchantId]);
  if (owned.rows.length === 0) return undefined;
  const { rows } = await db.query<{ ali_order_id: string; tracking_number: string; carrier: string | null; tracking_status: TrackingStatus; events: TrackingEvent[] }>(
    `select a.ali_order_id, p.tracking_number, p.carrier, p.tracking_status, p.events
       from ali_orders a join packages p on p.ali_order_pk = a.id
      where a.store_order_id = $1 and a.merchant_id = $2 order by a.id, p.id`,
    [storeOrderId, merchantId],
  );
  return {
    packages: rows.map((r) => ({
      aliOrderId: r.ali_order_id,
      trackingNumber: r.tracking_number,
      carrier: r.carrier,
      trackingStatus: r.tracking_status,
      events: r.events,
    })),
  };
}
