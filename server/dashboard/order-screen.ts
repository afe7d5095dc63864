/** What the order screen reads beyond the order list: the tabs' counts and a store order's package timelines. */
import { DSERS_STATES, type DsersState } from '../../lib/domain/store-order-rules';
import type { OrderCounts, TimelinesResponse } from '../../lib/domain/dashboard';
import { orderFlags, type FlagInput } from '../../lib/domain/order-flags';
import type { AliOrderStatus, TrackingEvent, TrackingStatus } from '../../lib/domain/snapshot';
import { ACTION_FLAG_LIST, ACTION_FLAGS } from '../../lib/presentation/needs-action';
import type { Queryable } from '../db';
import { actionFlagCandidate } from '../flag-candidates';
import { iso } from '../rows';
import { countUnlinked } from './unlinked';

/** One grouped count over the (merchant_id, state) index, the Needs action orders, and the unlinked AliExpress orders. */
export async function orderCounts(db: Queryable, merchantId: string, now: Date): Promise<OrderCounts> {
  const [{ rows }, needsAction, unlinked] = await Promise.all([
    db.query<{ state: DsersState; n: number }>('select state, count(*)::int as n from store_orders where merchant_id = $1 group by state', [merchantId]),
    countNeedsAction(db, merchantId, now),
    countUnlinked(db, merchantId),
  ]);
  const states = Object.fromEntries(DSERS_STATES.map((s) => [s, 0])) as Record<DsersState, number>;
  for (const r of rows) states[r.state] = r.n;
  return { states, all: rows.reduce((n, r) => n + r.n, 0), needsAction, unlinked };
}

interface FlagRow {
  store_order_id: string;
  ali_pk: string;
  status: AliOrderStatus;
  paid_at: Date | null;
  tracking_status: TrackingStatus | null;
  last_event_at: Date | null;
  first_event_at: Date | null;
  first_seen_at: Date | null;
}

/**
 * How many store orders Needs action lists (GET /v1/needs-action): the flags are time rules in
 * lib/domain/order-flags.ts, so they are computed here by the same function, over only what they
 * read, and only for the orders that can have one of its flags (server/flag-candidates.ts, as
 * listOrders narrows the list).
 */
export async function countNeedsAction(db: Queryable, merchantId: string, now: Date): Promise<number> {
  const { rows } = await db.query<FlagRow>(
    `select a.store_order_id::text as store_order_id, a.id::text as ali_pk, a.status, a.paid_at,
            p.tracking_status, p.last_event_at, p.first_event_at, p.first_seen_at
       from ali_orders a join store_orders s on s.id = a.store_order_id
       left join packages p on p.ali_order_pk = a.id
      where s.merchant_id = $1 and a.merchant_id = $1 and a.replaced_at is null
        and ${actionFlagCandidate('s', () => '$2::timestamptz', ACTION_FLAG_LIST)}`,
    [merchantId, now],
  );
  const orders = new Map<string, Map<string, FlagInput['aliOrders'][number] & { packages: FlagInput['aliOrders'][number]['packages'][number][] }>>();
  for (const r of rows) {
    let aliOrders = orders.get(r.store_order_id);
    if (!aliOrders) orders.set(r.store_order_id, (aliOrders = new Map()));
    let ali = aliOrders.get(r.ali_pk);
    if (!ali) aliOrders.set(r.ali_pk, (ali = { status: r.status, paidAt: iso(r.paid_at), packages: [] }));
    if (r.tracking_status !== null) {
      ali.packages.push({ trackingStatus: r.tracking_status, lastEventAt: iso(r.last_event_at), firstEventAt: iso(r.first_event_at), firstSeenAt: iso(r.first_seen_at) });
    }
  }
  let count = 0;
  for (const aliOrders of orders.values()) {
    if (orderFlags({ locked: false, aliOrders: [...aliOrders.values()] }, now).some((flag) => ACTION_FLAGS.has(flag))) count++;
  }
  return count;
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
