/** The one statement a sync writes with: every table's rows as JSON, sent with the commit. */
import { prepared, type Transaction } from '../db';
import type { SyncPlan } from './plan';

/**
 * Writes a planned sync and records its answer under its idempotency key, in one statement sent
 * with the commit: every round trip costs the server and the database more than the rows themselves. The parts touch
 * different tables and none reads another's result, so they can share one snapshot; an empty
 * array writes nothing. A key that another request recorded meanwhile fails the whole statement
 * with a unique violation, and nothing is written.
 */
export function writeSync(
  tx: Transaction,
  merchantId: string,
  plan: SyncPlan,
  record: { key: string; hash: string; json: string },
  now: Date,
): void {
  // Rows go as JSON documents, one per table: node-postgres escapes array parameters element by
  // element in JavaScript, which cost more than JSON.stringify by an order of magnitude.
  const ali = plan.aliWrites.map((w) => ({
    id: w.pk,
    status: w.status,
    status_text: w.write!.statusText,
    status_source: w.status_source,
    ordered_at: w.write!.orderedAt,
    paid_at: w.write!.paidAt,
    total_amount: w.write!.totalAmount,
    total_currency: w.write!.totalCurrency,
    aliexpress_origin: w.write!.aliexpressOrigin,
    last_seen_at: w.last_seen_at,
  }));
  const packages = plan.packageWrites.map((w, n) => ({
    ali_order_pk: w.aliPk,
    tracking_number: w.trackingNumber,
    carrier: w.carrier,
    tracking_status: w.trackingStatus,
    events: w.events,
    last_event_at: w.lastEventAt,
    first_event_at: w.firstEventAt,
    first_seen_at: w.firstSeenAt,
    read_at: w.readAt,
    n,
  }));
  const moved = plan.moved.map((w, n) => ({ id: w.store.id, from_state: w.from, to_state: w.store.state, n }));
  tx.beforeCommit(
    prepared(`with ali as (
       update ali_orders a
          set status = v.status, status_text = coalesce(v.status_text, a.status_text), status_source = v.status_source, ordered_at = coalesce(v.ordered_at, a.ordered_at),
              paid_at = coalesce(v.paid_at, a.paid_at), total_amount = coalesce(v.total_amount, a.total_amount),
              total_currency = coalesce(v.total_currency, a.total_currency), aliexpress_origin = coalesce(v.aliexpress_origin, a.aliexpress_origin),
              last_seen_at = v.last_seen_at, updated_at = $1::timestamptz
         from json_to_recordset($3::json) as v(id bigint, status text, status_text text, status_source text, ordered_at text, paid_at timestamptz,
                                                total_amount numeric, total_currency text, aliexpress_origin text, last_seen_at timestamptz)
        -- The ids again as an array, which the planner finds through the primary key: joined with
        -- the rows alone it read the whole table whenever that looked cheaper than 100 look-ups.
        where a.id = v.id and a.id = any($9::bigint[])
     ), pkg as (
       insert into packages (ali_order_pk, tracking_number, carrier, tracking_status, events, last_event_at, first_event_at,
                             first_seen_at, read_at, updated_at)
       select v.ali_order_pk, v.tracking_number, v.carrier, v.tracking_status, v.events, v.last_event_at, v.first_event_at,
              v.first_seen_at, v.read_at, $1::timestamptz
         from json_to_recordset($4::json) as v(ali_order_pk bigint, tracking_number text, carrier text, tracking_status text, events jsonb,
                                                last_event_at timestamptz, first_event_at timestamptz, first_seen_at timestamptz,
                                                read_at timestamptz, n int)
        -- New packages take their ids in the order they were read.
        order by v.n
       on conflict (ali_order_pk, tracking_number) do update
         set carrier = coalesce(excluded.carrier, packages.carrier), tracking_status = excluded.tracking_status,
             events = excluded.events, last_event_at = excluded.last_event_at,
             first_event_at = least(packages.first_event_at, excluded.first_event_at),
             first_seen_at = least(packages.first_seen_at, excluded.first_seen_at),
             read_at = excluded.read_at, updated_at = excluded.updated_at
     ), moved as (
       select * from json_to_recordset($5::json) as v(id bigint, from_state text, to_state text, n int)
     ), state as (
       update store_orders s set state = moved.to_state, updated_at = $1::timestamptz from moved
        where s.id = moved.id and s.id = any($10::bigint[])
     ), audit as (
       -- Every state change leaves its audit row, in store order id order.
       insert into state_changes (merchant_id, store_order_id, field, from_state, to_state, cause, at)
       select $2::bigint, moved.id, 'state', moved.from_state, moved.to_state, 'sync', $1::timestamptz from moved order by moved.n
     )
     insert into sync_requests (merchant_id, idempotency_key, response, request_hash, created_at) values ($2::bigint, $6, $7, $8, $1::timestamptz)`),
    [
      now,
      merchantId,
      JSON.stringify(ali),
      JSON.stringify(packages),
      JSON.stringify(moved),
      record.key,
      record.json,
      record.hash,
      ali.map((w) => w.id),
      moved.map((w) => w.id),
    ],
  );
}
