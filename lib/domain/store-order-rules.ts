/**
 * The DSers side of the model without its schemas: the state tabs, the locks, and how a store
 * order's state follows from its AliExpress orders. Pure and zod-free, so the popup can use it;
 * store-order.ts declares the schemas from these lists and re-exports this module.
 */
import type { AliOrderStatus } from './ali-order';
import type { SplitFulfillment } from './store-fulfillment-rules';

/** DSers' tabs, in the order DSers shows them. */
export const DSERS_STATES = [
  'pending',
  'awaiting_order',
  'awaiting_payment',
  'awaiting_shipment',
  'awaiting_fulfillment',
  'fulfilled',
  'canceled',
  'failed',
] as const;
export type DsersState = (typeof DSERS_STATES)[number];

export const FULFILLMENT_MODES = ['auto', 'manual_before_placing', 'manual_after_placing', 'store_fulfilled'] as const;
export type FulfillmentMode = (typeof FULFILLMENT_MODES)[number];

export interface AliOrderFacts {
  status: AliOrderStatus;
  /** Tracking numbers known for this AliExpress order. */
  trackingNumbers: readonly string[];
}

export interface StoreOrderFacts {
  /** The store captured the customer's payment. */
  paid: boolean;
  fulfillmentMode: FulfillmentMode;
  /** Placing to AliExpress failed (errors or restrictions). */
  placingFailed: boolean;
  /** One per supplier; empty until placed. AliExpress orders replaced by a new placing are left out. */
  aliOrders: readonly AliOrderFacts[];
  /** Canceled (or refunded) on the store itself: final, it cannot be placed again. */
  canceledOnStore?: boolean;
  /** The merchant's Fulfillment setting (default `wait_for_all`). */
  splitFulfillment?: SplitFulfillment;
}

/** "Orders that are (partially) Canceled / (partially) Refunded on AliExpress … will be moved to this tab." */
const CANCELED: ReadonlySet<AliOrderStatus> = new Set(['closed']);
/**
 * Statuses under which the supplier has handed over (some) parcels, so tracking numbers should
 * exist and a tracking page has something to say. A completed order shipped too. A dispute says
 * nothing about shipping (it is opened before shipment as well): an order in dispute has parcels
 * only when a tracking number is known. The watchlist, the manual sync's plan and the store
 * order's state all ask this.
 */
const HAS_PARCELS: ReadonlySet<AliOrderStatus> = new Set(['partially_shipped', 'shipped', 'completed']);

export function hasParcels(status: AliOrderStatus): boolean {
  return HAS_PARCELS.has(status);
}

/** An AliExpress order that was canceled or refunded: it will never ship. */
export function isCanceled(status: AliOrderStatus): boolean {
  return CANCELED.has(status);
}

/** A fulfillment mode other than `auto` locks the order: sync must not touch it. */
export function isLocked(mode: FulfillmentMode): boolean {
  return mode !== 'auto';
}

/**
 * The lock a merchant's "fulfill" click puts on an order. The seed tells the two manual cases apart
 * only by whether the order was placed to AliExpress already (it keeps its AliExpress number);
 * fulfilling on the store itself is a third case whatever was placed.
 */
export function manualFulfillmentMode(placed: boolean, onStore: boolean): FulfillmentMode {
  if (onStore) return 'store_fulfilled';
  return placed ? 'manual_after_placing' : 'manual_before_placing';
}

export type Cancellation = 'none' | 'partial' | 'full';

/** How much of a placed order AliExpress canceled: the Canceled tab holds both, marked apart. */
export function cancellationOf(aliOrders: readonly { status: AliOrderStatus }[]): Cancellation {
  const canceled = aliOrders.filter((a) => isCanceled(a.status)).length;
  if (canceled === 0) return 'none';
  return canceled === aliOrders.length ? 'full' : 'partial';
}

/** Which DSers tab a store order belongs in, from what is known of its AliExpress orders. */
export function deriveStoreOrderState(order: StoreOrderFacts): DsersState {
  // "Orders that are (partially) Canceled / (partially) Refunded on AliExpress and Shopify will be moved to this tab."
  if (order.canceledOnStore) return 'canceled';
  // Every lock leaves the order in Fulfilled for good (seed: "Orders will be moved to the Fulfilled tab").
  if (isLocked(order.fulfillmentMode)) return 'fulfilled';
  // "Orders for which the payment from your customers has not yet been captured"
  if (!order.paid) return 'pending';
  // "Orders with errors or restrictions will be shown here."
  if (order.placingFailed) return 'failed';
  // "payment … has been captured", not yet placed: no AliExpress order number exists.
  if (order.aliOrders.length === 0) return 'awaiting_order';
  // "(partially) Canceled / (partially) Refunded … will be moved to this tab."
  if (cancellationOf(order.aliOrders) !== 'none') return 'canceled';
  // "placed to AliExpress with success but not yet paid."
  if (order.aliOrders.some((a) => a.status === 'awaiting_payment')) return 'awaiting_payment';
  const tracked = order.aliOrders.filter((a) => a.trackingNumbers.length > 0).length;
  // "The order only moves to Fulfilled when every supplier has provided a tracking number."
  if (tracked === order.aliOrders.length) return 'fulfilled';
  // "Supplier A ships — order still shows Awaiting fulfillment" (split over several suppliers), unless
  // the Fulfillment setting fulfils each supplier's part as it ships: then nothing waits for
  // fulfillment, and the order waits for the suppliers that have not shipped.
  const shipped = order.aliOrders.filter((a) => a.trackingNumbers.length > 0 || hasParcels(a.status)).length;
  if (order.aliOrders.length > 1 && shipped > 0 && order.splitFulfillment !== 'each_supplier') return 'awaiting_fulfillment';
  // "paid on AliExpress but not yet shipped out" — or shipped with its tracking number not yet read.
  return 'awaiting_shipment';
}
