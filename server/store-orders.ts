/**
 * Store-order commands: the merchant's side of a store order (create, place, payment captured,
 * placing failed, fulfilled by hand, manual tracking status, Re-track), each in one transaction on
 * the locked order, each change audited.
 */
import type { OrderView, StateChange } from '../lib/domain/api';
import type { TrackingStatus } from '../lib/domain/snapshot';
import { deriveStoreOrderState, isCanceled, isLocked, manualFulfillmentMode, type DsersState } from '../lib/domain/store-order';
import type { CoveredLine } from '../lib/domain/stores';
import type { Database, Queryable } from './db';
import { ConflictError } from './errors';
import { storeOrder, type StoreOrderRow } from './rows';
import { splitSettingOf, storeOrderFacts } from './stores/state';
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
export async function refreshState(db: Queryable, merchantId: string, order: StoreOrderRow, cause: string, now: Date): Promise<DsersState> {
  const state = deriveStoreOrderState(await storeOrderFacts(db, order.id, { ...order, split: await splitSettingOf(db, merchantId) }));
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
  // "You can bulk order the Canceled orders from AliExpress, but not the ones from Shopify."
  if (order.canceled_on_store) throw new ConflictError(`the order was canceled on the store; it cannot be ${what}`);
}

/** One AliExpress order of a placing, and the store line items it covers (none: every line). */
export interface PlacedAliOrder {
  aliOrderId: string;
  supplier: string;
  lineItems?: CoveredLine[];
}

/**
 * Records that a store order was placed to AliExpress: one AliExpress order per supplier. Placed
 * again, the new AliExpress orders replace the canceled ones, which stay in the history but no
 * longer decide the state.
 */
export async function placeStoreOrder(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  aliOrders: PlacedAliOrder[],
  now = new Date(),
): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    refuseIfLocked(order, 'placed again');
    const { rows: current } = await tx.query<{ id: string; ali_order_id: string; status: Parameters<typeof isCanceled>[0] }>(
      'select id::text as id, ali_order_id, status from ali_orders where store_order_id = $1 and replaced_at is null',
      [order.id],
    );
    const replaced = current.filter((a) => isCanceled(a.status));
    if (replaced.length) {
      await tx.query('update ali_orders set replaced_at = $2 where id = any($1::bigint[])', [replaced.map((a) => a.id), now]);
      for (const a of replaced) {
        await audit(tx, { merchantId, storeOrderId: order.id, field: 'ali_order', from: a.ali_order_id, to: null, cause: 'replaced_by_new_placing', at: now });
      }
    }
    const live = current.length - replaced.length + aliOrders.length;
    const lines = await tx.query<{ line_items: unknown[] | null }>('select line_items from store_orders where id = $1', [order.id]);
    // Which lines each supplier covers decides what each fulfillment fulfils: only one supplier may leave it out.
    if (lines.rows[0]?.line_items && live > 1 && aliOrders.some((a) => !a.lineItems)) {
      throw new ConflictError('this store order is split over several AliExpress orders: give each one its lineItems');
    }
    for (const { aliOrderId, supplier, lineItems } of aliOrders) {
      const { rows } = await tx.query(
        `insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier, updated_at, line_items) values ($1, $2, $3, $4, $5, $6)
         on conflict (merchant_id, ali_order_id) do nothing returning id`,
        [merchantId, order.id, aliOrderId, supplier, now, lineItems ? JSON.stringify(lineItems) : null],
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
