/** Store orders and AliExpress orders in the database, and applying what the extension read. */
import type { OrderView, SyncRequest, SyncResponse, SyncResult } from '../lib/domain/api';
import { carriesOrders, type AliOrder, type AliOrderStatus } from '../lib/domain/snapshot';
import { deriveStoreOrderState, isLocked, type DsersState, type FulfillmentMode } from '../lib/domain/store-order';
import type { Database, Queryable } from './db';

export class NotFoundError extends Error {}
export class ConflictError extends Error {}

interface StoreOrderRow {
  id: string;
  store_order_number: string;
  paid: boolean;
  fulfillment_mode: FulfillmentMode;
  placing_failed: boolean;
  state: DsersState;
}

async function storeOrder(db: Queryable, merchantId: string, storeOrderId: string, lock = false): Promise<StoreOrderRow> {
  if (!/^\d{1,18}$/.test(storeOrderId)) throw new NotFoundError(`no store order ${storeOrderId}`);
  const { rows } = await db.query<StoreOrderRow>(
    `select id::text as id, store_order_number, paid, fulfillment_mode, placing_failed, state
       from store_orders where id = $1 and merchant_id = $2${lock ? ' for update' : ''}`,
    [storeOrderId, merchantId],
  );
  if (!rows[0]) throw new NotFoundError(`no store order ${storeOrderId}`);
  return rows[0];
}

/** Recomputes a store order's state from its AliExpress orders; records the change if there is one. */
async function refreshState(db: Queryable, merchantId: string, order: StoreOrderRow, cause: string): Promise<DsersState> {
  const { rows } = await db.query<{ status: AliOrderStatus; tracking_numbers: string[] | null }>(
    `select a.status, array_remove(array_agg(p.tracking_number), null) as tracking_numbers
       from ali_orders a left join packages p on p.ali_order_pk = a.id
      where a.store_order_id = $1 group by a.id`,
    [order.id],
  );
  const state = deriveStoreOrderState({
    paid: order.paid,
    fulfillmentMode: order.fulfillment_mode,
    placingFailed: order.placing_failed,
    aliOrders: rows.map((r) => ({ status: r.status, trackingNumbers: r.tracking_numbers ?? [] })),
  });
  if (state !== order.state) {
    await db.query('update store_orders set state = $2, updated_at = now() where id = $1', [order.id, state]);
    await db.query(
      'insert into state_changes (merchant_id, store_order_id, from_state, to_state, cause) values ($1, $2, $3, $4, $5)',
      [merchantId, order.id, order.state, state, cause],
    );
  }
  return state;
}

export async function createStoreOrder(db: Database, merchantId: string, storeOrderNumber: string, paid: boolean): Promise<string> {
  return db.transaction(async (tx) => {
    const state = deriveStoreOrderState({ paid, fulfillmentMode: 'auto', placingFailed: false, aliOrders: [] });
    const { rows } = await tx.query<{ id: string }>(
      `insert into store_orders (merchant_id, store_order_number, paid, state) values ($1, $2, $3, $4)
       on conflict (merchant_id, store_order_number) do nothing returning id::text as id`,
      [merchantId, storeOrderNumber, paid, state],
    );
    if (!rows[0]) throw new ConflictError(`store order ${storeOrderNumber} exists already`);
    await tx.query(
      'insert into state_changes (merchant_id, store_order_id, from_state, to_state, cause) values ($1, $2, null, $3, $4)',
      [merchantId, rows[0].id, state, 'created'],
    );
    return rows[0].id;
  });
}

/** Records that a store order was placed to AliExpress: one AliExpress order per supplier. */
export async function placeStoreOrder(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  aliOrders: { aliOrderId: string; supplier: string }[],
): Promise<DsersState> {
  return db.transaction(async (tx) => {
    const order = await storeOrder(tx, merchantId, storeOrderId, true);
    if (isLocked(order.fulfillment_mode)) throw new ConflictError('the order was fulfilled by hand or on the store and cannot be placed again');
    for (const { aliOrderId, supplier } of aliOrders) {
      const { rows } = await tx.query(
        `insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier) values ($1, $2, $3, $4)
         on conflict (merchant_id, ali_order_id) do nothing returning id`,
        [merchantId, order.id, aliOrderId, supplier],
      );
      if (!rows[0]) throw new ConflictError(`AliExpress order ${aliOrderId} belongs to a store order already`);
    }
    return refreshState(tx, merchantId, order, 'placed');
  });
}

async function applyOrder(tx: Queryable, merchantId: string, read: AliOrder, capturedAt: string): Promise<SyncResult> {
  const { rows } = await tx.query<{ pk: string; store_order_id: string; last_seen_at: Date | null; status: AliOrderStatus }>(
    `select id::text as pk, store_order_id::text as store_order_id, last_seen_at, status
       from ali_orders where merchant_id = $1 and ali_order_id = $2`,
    [merchantId, read.aliOrderId],
  );
  const ali = rows[0];
  if (!ali) return { outcome: 'ignored', aliOrderId: read.aliOrderId, reason: 'unknown_order' };
  const order = await storeOrder(tx, merchantId, ali.store_order_id, true);
  if (isLocked(order.fulfillment_mode)) return { outcome: 'ignored', aliOrderId: read.aliOrderId, reason: 'locked' };

  // A snapshot older than what was applied already (an outbox retry) must not roll the status back.
  const fresher = !ali.last_seen_at || new Date(capturedAt) >= ali.last_seen_at;
  const newStatus = fresher && read.status !== 'unknown' ? read.status : ali.status;
  if (fresher) {
    await tx.query(
      `update ali_orders set status = $2, status_text = coalesce($3, status_text), ordered_at = coalesce($4, ordered_at),
              paid_at = coalesce($5, paid_at), total_amount = coalesce($6, total_amount),
              total_currency = coalesce($7, total_currency), last_seen_at = $8, updated_at = now()
        where id = $1`,
      [ali.pk, newStatus, read.statusText ?? null, read.orderedAt ?? null, read.paidAt ?? null, read.total?.amount ?? null, read.total?.currency ?? null, capturedAt],
    );
  }
  // Packages are only ever added or refreshed: a page that shows none says nothing about them.
  for (const pkg of read.packages) {
    const lastEventAt = pkg.events.reduce<string | null>((latest, e) => (!latest || e.at > latest ? e.at : latest), null);
    await tx.query(
      `insert into packages (ali_order_pk, tracking_number, carrier, tracking_status, events, last_event_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (ali_order_pk, tracking_number) do update
         set carrier = coalesce(excluded.carrier, packages.carrier), tracking_status = excluded.tracking_status,
             events = excluded.events, last_event_at = excluded.last_event_at, updated_at = now()`,
      [ali.pk, pkg.trackingNumber, pkg.carrier ?? null, pkg.trackingStatus, JSON.stringify(pkg.events), lastEventAt],
    );
  }
  const before = order.state;
  const state = await refreshState(tx, merchantId, order, 'sync');
  return {
    outcome: 'applied',
    aliOrderId: read.aliOrderId,
    storeOrderId: order.id,
    storeOrderNumber: order.store_order_number,
    state,
    changed: state !== before || newStatus !== ali.status || read.packages.length > 0,
  };
}

const UNIQUE_VIOLATION = '23505';

/** Applies a push from the extension, once per idempotency key. */
export async function applySync(db: Database, merchantId: string, request: SyncRequest, now: Date): Promise<SyncResponse> {
  const replay = async () => {
    const { rows } = await db.query<{ response: SyncResponse }>(
      'select response from sync_requests where merchant_id = $1 and idempotency_key = $2',
      [merchantId, request.idempotencyKey],
    );
    return rows[0]?.response;
  };
  const previous = await replay();
  if (previous) return previous;
  try {
    return await db.transaction(async (tx) => {
      const results: SyncResult[] = [];
      for (const snapshot of request.snapshots) {
        if (!carriesOrders(snapshot.kind)) continue;
        for (const order of snapshot.orders) results.push(await applyOrder(tx, merchantId, order, snapshot.capturedAt));
      }
      const response: SyncResponse = { results, syncedAt: now.toISOString() };
      await tx.query('insert into sync_requests (merchant_id, idempotency_key, response) values ($1, $2, $3)', [
        merchantId,
        request.idempotencyKey,
        JSON.stringify(response),
      ]);
      return response;
    });
  } catch (error) {
    // The same key arrived twice at once: the other request won, answer what it answered.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      const winner = await replay();
      if (winner) return winner;
    }
    throw error;
  }
}

export interface ListOptions {
  state?: DsersState;
  q?: string;
  cursor?: string;
  limit: number;
}

/** The merchant's store orders, newest first, with their AliExpress orders and packages. */
export async function listOrders(db: Queryable, merchantId: string, options: ListOptions): Promise<{ orders: OrderView[]; nextCursor: string | null }> {
  const params: unknown[] = [merchantId];
  const where = ['s.merchant_id = $1'];
  if (options.state) {
    params.push(options.state);
    where.push(`s.state = $${params.length}`);
  }
  if (options.cursor) {
    params.push(options.cursor);
    where.push(`s.id < $${params.length}`);
  }
  if (options.q) {
    params.push(options.q.trim());
    const p = `$${params.length}`;
    where.push(`(s.store_order_number = ${p} or exists (select 1 from ali_orders a left join packages p on p.ali_order_pk = a.id
                 where a.store_order_id = s.id and (a.ali_order_id = ${p} or p.tracking_number = ${p})))`);
  }
  params.push(options.limit + 1);
  const { rows } = await db.query<{ id: string; store_order_number: string; state: DsersState }>(
    `select s.id::text as id, s.store_order_number, s.state from store_orders s
      where ${where.join(' and ')} order by s.id desc limit $${params.length}`,
    params,
  );
  const page = rows.slice(0, options.limit);
  const ids = page.map((r) => r.id);
  const aliRows = ids.length
    ? (
        await db.query<{ store_order_id: string; pk: string; ali_order_id: string; supplier: string | null; status: AliOrderStatus }>(
          `select store_order_id::text as store_order_id, id::text as pk, ali_order_id, supplier, status
             from ali_orders where store_order_id = any($1::bigint[]) order by id`,
          [ids],
        )
      ).rows
    : [];
  const packageRows = aliRows.length
    ? (
        await db.query<{ ali_order_pk: string; tracking_number: string; carrier: string | null; tracking_status: OrderView['aliOrders'][number]['packages'][number]['trackingStatus']; last_event_at: Date | null }>(
          `select ali_order_pk::text as ali_order_pk, tracking_number, carrier, tracking_status, last_event_at
             from packages where ali_order_pk = any($1::bigint[]) order by id`,
          [aliRows.map((a) => a.pk)],
        )
      ).rows
    : [];
  const orders: OrderView[] = page.map((s) => ({
    id: s.id,
    storeOrderNumber: s.store_order_number,
    state: s.state,
    flags: [],
    aliOrders: aliRows
      .filter((a) => a.store_order_id === s.id)
      .map((a) => ({
        aliOrderId: a.ali_order_id,
        supplier: a.supplier,
        status: a.status,
        packages: packageRows
          .filter((p) => p.ali_order_pk === a.pk)
          .map((p) => ({
            trackingNumber: p.tracking_number,
            carrier: p.carrier,
            trackingStatus: p.tracking_status,
            lastEventAt: p.last_event_at ? new Date(p.last_event_at).toISOString() : null,
          })),
      })),
  }));
  return { orders, nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null };
}
