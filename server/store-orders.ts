/**
 * Store-order commands: the merchant's side of a store order (create, place, payment captured,
 * placing failed, fulfilled by hand, manual tracking status, Re-track), each in one transaction on
 * the locked order, each change audited.
 */
import type { OrderView, StateChange } from '../lib/domain/api';
import type { AliOrderStatus, TrackingStatus } from '../lib/domain/snapshot';
import { deriveStoreOrderState, isLocked, manualFulfillmentMode, type DsersState } from '../lib/domain/store-order';
import type { Database, Queryable } from './db';
import { ConflictError } from './errors';
import { storeOrder, type StoreOrderRow } from './rows';
import { viewOf } from './views';

type AuditField = StateChange['field'];

async function audit(
  db: Queryable,
  row: { merchantId: string; storeOrderId: string; field: AuditField; from: string | null; to: string | null; cause: string; at: Date },
): Promise<void> {
  await db.query(
    `insert into state_changes (merchant_id, store_order_id, field, from_state, to_state, cause, at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [row.merchantId, row.storeOrderId, row.field, row.from, row.to, row.cause, row.at],
  );
}

/** Recomputes a store order's state from its AliExpress orders; records the change if there is one. */
async function refreshState(db: Queryable, merchantId: string, order: StoreOrderRow, cause: string, now: Date): Promise<DsersState> {
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
    await db.query('update store_orders set state = $2, updated_at = $3 where id = $1', [order.id, state, now]);
    await audit(db, { merchantId, storeOrderId: order.id, field: 'state', from: order.state, to: state, cause, at: now });
    order.state = state;
  }
  return state;
}

export async function createStoreOrder(db: Database, merchantId: string, storeOrderNumber: string, paid: boolean, now = new Date()): Promise<string> {
  return db.transaction(async (tx) => {
    const state = deriveStoreOrderState({ paid, fulfillmentMode: 'auto', placingFailed: false, aliOrders: [] });
    const { rows } = await tx.query<{ id: string }>(
      `insert into store_orders (merchant_id, store_order_number, paid, state, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)
       on conflict (merchant_id, store_order_number) do nothing returning id::text as id`,
      [merchantId, storeOrderNumber, paid, state, now],
    );
    if (!rows[0]) throw new ConflictError(`store order ${storeOrderNumber} exists already`);
    await audit(tx, { merchantId, storeOrderId: rows[0].id, field: 'state', from: null, to: state, cause: 'created', at: now });
    return rows[0].id;
  });
}

/** Runs a merchant-side change on one locked store order and answers its view afterwards. */
async function changeStoreOrder(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  now: Date,
  change: (tx: Queryable, order: StoreOrderRow) => Promise<void>,
): Promise<OrderView> {
  await db.transaction(async (tx) => change(tx, await storeOrder(tx, merchantId, storeOrderId, true)));
  return viewOf(db, merchantId, storeOrderId, now);
}

function refuseIfLocked(order: StoreOrderRow, what: string): void {
  // "You can't place this orders with DSers anymore" / "can't be placed again with DSers".
  if (isLocked(order.fulfillment_mode)) throw new ConflictError(`the order was fulfilled by hand or on the store; it cannot be ${what}`);
}

/** Records that a store order was placed to AliExpress: one AliExpress order per supplier. */
export async function placeStoreOrder(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  aliOrders: { aliOrderId: string; supplier: string }[],
  now = new Date(),
): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    refuseIfLocked(order, 'placed again');
    for (const { aliOrderId, supplier } of aliOrders) {
      const { rows } = await tx.query(
        `insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier, updated_at) values ($1, $2, $3, $4, $5)
         on conflict (merchant_id, ali_order_id) do nothing returning id`,
        [merchantId, order.id, aliOrderId, supplier, now],
      );
      if (!rows[0]) throw new ConflictError(`AliExpress order ${aliOrderId} belongs to a store order already`);
    }
    // "Deal with the errors and you can bulk order the Failed orders again."
    if (order.placing_failed) {
      await tx.query('update store_orders set placing_failed = false, placing_error = null where id = $1', [order.id]);
      order.placing_failed = false;
    }
    await refreshState(tx, merchantId, order, 'placed', now);
  });
}

/** The store captured the customer's payment: Pending → Awaiting order ("Orders for which the payment … has been captured"). */
export async function markPaymentCaptured(db: Database, merchantId: string, storeOrderId: string, now: Date): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    if (order.paid) return;
    await tx.query('update store_orders set paid = true, updated_at = $2 where id = $1', [order.id, now]);
    order.paid = true;
    await refreshState(tx, merchantId, order, 'payment_captured', now);
  });
}

/** "Orders with errors or restrictions will be shown here." */
export async function markPlacingFailed(db: Database, merchantId: string, storeOrderId: string, reason: string, now: Date): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    refuseIfLocked(order, 'placed again');
    await tx.query('update store_orders set placing_failed = true, placing_error = $2 where id = $1', [order.id, reason]);
    order.placing_failed = true;
    await refreshState(tx, merchantId, order, 'placing_failed', now);
  });
}

/** Fulfilled by hand (before or after placing) or on the store: the order moves to Fulfilled and is locked for good. */
export async function fulfillManually(db: Database, merchantId: string, storeOrderId: string, onStore: boolean, now: Date): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    // "Orders will not be rolled back": a lock is final, so a second click has nothing to change.
    if (isLocked(order.fulfillment_mode)) throw new ConflictError(`the order is fulfilled already (${order.fulfillment_mode})`);
    const placed = await tx.query('select 1 from ali_orders where store_order_id = $1 limit 1', [order.id]);
    const mode = manualFulfillmentMode(placed.rows.length > 0, onStore);
    await tx.query('update store_orders set fulfillment_mode = $2, updated_at = $3 where id = $1', [order.id, mode, now]);
    const cause = onStore ? 'fulfilled_on_store' : 'fulfilled_manually';
    await audit(tx, { merchantId, storeOrderId: order.id, field: 'fulfillment_mode', from: order.fulfillment_mode, to: mode, cause, at: now });
    order.fulfillment_mode = mode;
    await refreshState(tx, merchantId, order, cause, now);
  });
}

/** A tracking status set by hand, for reference; null (Re-track) returns the order to automatic sync. */
async function writeManualTrackingStatus(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  status: TrackingStatus | null,
  now: Date,
): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    const retrack = status === null;
    await tx.query(
      `update store_orders set manual_tracking_status = $2, updated_at = $3,
              retrack_requested_at = case when $4::boolean then $3 else retrack_requested_at end
        where id = $1`,
      [order.id, status, now, retrack],
    );
    if (order.manual_tracking_status !== status) {
      const cause = retrack ? 'retrack' : 'set_by_hand';
      await audit(tx, { merchantId, storeOrderId: order.id, field: 'tracking_status', from: order.manual_tracking_status, to: status, cause, at: now });
    }
  });
}

export const setManualTrackingStatus = (db: Database, merchantId: string, storeOrderId: string, status: TrackingStatus, now: Date) =>
  writeManualTrackingStatus(db, merchantId, storeOrderId, status, now);

/** "Re-track … pulls live carrier data and resumes automatic syncing": the watchlist asks for fresh events. */
export const retrack = (db: Database, merchantId: string, storeOrderId: string, now: Date) =>
  writeManualTrackingStatus(db, merchantId, storeOrderId, null, now);
