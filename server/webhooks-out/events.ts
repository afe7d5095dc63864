/**
 * The events outgoing webhooks carry, worked out from store orders as they stand (so emitting
 * twice emits nothing new): `tracking.updated` for each tracking number and status an AliExpress
 * order shows, `order.fulfilled` when a store order reaches Fulfilled, `order.abnormal` when a
 * carrier reports a failure. Each becomes one delivery per subscribed endpoint, keyed by the event.
 */
import type { OutgoingEvent } from '../../lib/domain/stores';
import type { Queryable } from '../db';

interface EventRow {
  store_order_id: string;
  store_order_number: string;
  state: string;
  ali_order_id: string | null;
  tracking_number: string | null;
  carrier: string | null;
  tracking_status: string | null;
}

export async function emitOrderEvents(db: Queryable, merchantId: string, storeOrderIds: readonly string[], now: Date): Promise<number> {
  if (storeOrderIds.length === 0) return 0;
  const endpoints = await db.query<{ id: string; events: OutgoingEvent[] }>(
    'select id::text as id, events from webhook_endpoints where merchant_id = $1 and deleted_at is null',
    [merchantId],
  );
  if (endpoints.rows.length === 0) return 0;
  const { rows } = await db.query<EventRow>(
    `select s.id::text as store_order_id, s.store_order_number, s.state, a.ali_order_id, p.tracking_number, p.carrier, p.tracking_status
       from store_orders s left join ali_orders a on a.store_order_id = s.id and a.replaced_at is null
       left join packages p on p.ali_order_pk = a.id
      where s.merchant_id = $1 and s.id = any($2::bigint[]) and s.fulfillment_mode = 'auto'`,
    [merchantId, storeOrderIds],
  );
  const events: { event: OutgoingEvent; key: string; data: Record<string, unknown> }[] = [];
  const fulfilled = new Set<string>();
  for (const r of rows) {
    const order = { storeOrderId: r.store_order_id, storeOrderNumber: r.store_order_number };
    if (r.state === 'fulfilled' && !fulfilled.has(r.store_order_id)) {
      fulfilled.add(r.store_order_id);
      events.push({ event: 'order.fulfilled', key: `order.fulfilled:${r.store_order_id}`, data: { ...order, state: r.state } });
    }
    if (!r.tracking_number) continue;
    const parcel = { ...order, aliOrderId: r.ali_order_id, trackingNumber: r.tracking_number, carrier: r.carrier, trackingStatus: r.tracking_status };
    events.push({ event: 'tracking.updated', key: `tracking.updated:${r.ali_order_id}:${r.tracking_number}:${r.tracking_status}`, data: parcel });
    if (r.tracking_status === 'abnormal') events.push({ event: 'order.abnormal', key: `order.abnormal:${r.ali_order_id}:${r.tracking_number}`, data: parcel });
  }
  let queued = 0;
  for (const endpoint of endpoints.rows) {
    const mine = events.filter((e) => endpoint.events.includes(e.event));
    if (mine.length === 0) continue;
    const inserted = await db.query(
      `insert into webhook_deliveries (endpoint_id, merchant_id, event, event_key, payload, status, next_attempt_at, created_at)
       select $1, $2, v.event, v.key, v.data, 'queued', $3, $3 from json_to_recordset($4::json) as v(event text, key text, data jsonb)
       on conflict (endpoint_id, event_key) do nothing returning id`,
      [endpoint.id, merchantId, now, JSON.stringify(mine)],
    );
    queued += inserted.rows.length;
  }
  return queued;
}
