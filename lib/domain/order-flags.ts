/**
 * Flags computed from time, after the DSers tracking FAQ. Pure functions of an order, its packages
 * and "now", so the popup can recompute them offline from the same view the backend sends.
 * Zod-free for the popup; api.ts declares the flag schema from ORDER_FLAGS.
 */
import type { AliOrderStatus, TrackingStatus } from './ali-order';
import { isCanceled } from './store-order-rules';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** "No tracking number for 7+ days after payment" */
export const NO_TRACKING_AFTER_PAYMENT_MS = 7 * DAY_MS;
/** "Tracking number exists but no update for over 48 hours" */
export const STALE_TRACKING_MS = 48 * HOUR_MS;
/** "Order in Pending for 4-7 days — Contact supplier to confirm shipment" */
export const PENDING_HINT_MS = 4 * DAY_MS;
/** "Order in Pending for 7+ days — DSers flags it Yellow automatically" */
export const PENDING_TOO_LONG_MS = 7 * DAY_MS;

/** A store order's flags, in the order they are listed. */
export const ORDER_FLAGS = [
  /** Risk detected before it becomes a problem (no tracking number long after payment, or silent tracking). */
  'attention',
  /** A package pending 7+ days: shown yellow. */
  'pending_too_long',
  /** A package pending 4-7 days: the courier may have missed the first scan; ask the supplier. */
  'contact_supplier',
  /** The carrier confirmed a failure (delivery failed, returned, customs hold, lost). */
  'abnormal',
  /** In the Canceled tab although some of its AliExpress orders are still alive. */
  'partially_canceled',
] as const;
export type OrderFlag = (typeof ORDER_FLAGS)[number];

/** What the flags need of a package; OrderView's packages satisfy it. */
export interface PackageTimes {
  trackingStatus: TrackingStatus;
  /** The newest carrier event. */
  lastEventAt: string | null;
  /** The oldest carrier event (usually "label created"). */
  firstEventAt: string | null;
  /** When a snapshot first showed this tracking number. */
  firstSeenAt: string | null;
}

/** What the flags need of a store order; OrderView satisfies it. */
export interface FlagInput {
  locked: boolean;
  aliOrders: readonly {
    status: AliOrderStatus;
    paidAt: string | null;
    packages: readonly PackageTimes[];
  }[];
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

/** Since when a package has been pending: its first carrier event, else since its number appeared. */
export function pendingSince(pkg: PackageTimes): string | null {
  return pkg.trackingStatus === 'pending' ? (pkg.firstEventAt ?? pkg.firstSeenAt) : null;
}

/** "Order in Pending for 1-3 days: normal / 4-7 days: contact supplier / 7+ days: flagged yellow". */
export function pendingStage(pkg: PackageTimes, now: Date): 'normal' | 'contact_supplier' | 'pending_too_long' | null {
  const since = ms(pendingSince(pkg));
  if (since === null) return null;
  const age = now.getTime() - since;
  if (age >= PENDING_TOO_LONG_MS) return 'pending_too_long';
  if (age >= PENDING_HINT_MS) return 'contact_supplier';
  return 'normal';
}

/**
 * "Tracking number exists but no update for over 48 hours" (a delivered parcel has nothing left to
 * say). A parcel waiting at a pickup point is not delivered: it falls silent like one in transit.
 */
export function isTrackingSilent(pkg: PackageTimes, now: Date): boolean {
  if (pkg.trackingStatus === 'delivered') return false;
  const last = ms(pkg.lastEventAt ?? pkg.firstSeenAt);
  return last !== null && now.getTime() - last > STALE_TRACKING_MS;
}

/** "No tracking number for 7+ days after payment". A canceled order will never get one. */
export function lacksTrackingTooLong(ali: FlagInput['aliOrders'][number], now: Date): boolean {
  if (isCanceled(ali.status) || ali.packages.length > 0) return false;
  const paid = ms(ali.paidAt);
  return paid !== null && now.getTime() - paid >= NO_TRACKING_AFTER_PAYMENT_MS;
}

/**
 * A store order's flags at `now`, in a fixed order. Locked orders get none: nothing about them is
 * synced any more, so their tracking would look silent for ever. Canceled AliExpress orders are left
 * out of the tracking rules for the same reason.
 */
export function orderFlags(order: FlagInput, now: Date): OrderFlag[] {
  if (order.locked) return [];
  const flags = new Set<OrderFlag>();
  const alive = order.aliOrders.filter((a) => !isCanceled(a.status));
  if (alive.length > 0 && alive.length < order.aliOrders.length) flags.add('partially_canceled');
  for (const ali of alive) {
    if (lacksTrackingTooLong(ali, now)) flags.add('attention');
    for (const pkg of ali.packages) {
      if (isTrackingSilent(pkg, now)) flags.add('attention');
      if (pkg.trackingStatus === 'abnormal') flags.add('abnormal');
      const stage = pendingStage(pkg, now);
      if (stage === 'pending_too_long' || stage === 'contact_supplier') flags.add(stage);
    }
  }
  // One package 7+ days pending makes the softer hint for another one redundant.
  if (flags.has('pending_too_long')) flags.delete('contact_supplier');
  return ORDER_FLAGS.filter((f) => flags.has(f));
}

/**
 * One tracking status for a whole store order, from its packages: the worst news wins (abnormal),
 * delivered only when every package is, at a pickup point when the rest are delivered (the
 * customer still has to collect one), pending only while none has moved.
 */
export function summarizeTrackingStatus(statuses: readonly TrackingStatus[]): TrackingStatus | null {
  if (statuses.length === 0) return null;
  if (statuses.includes('abnormal')) return 'abnormal';
  if (statuses.every((s) => s === 'delivered')) return 'delivered';
  if (statuses.every((s) => s === 'delivered' || s === 'pickup')) return 'pickup';
  if (statuses.every((s) => s === 'pending')) return 'pending';
  return 'in_transit';
}

/**
 * What the merchant sees as the order's tracking status. "Manual changes are for your reference
 * only": a manual value is shown instead of the carrier's until Re-track drops it, and changes
 * nothing else (flags and sync keep following the carrier).
 */
export function effectiveTrackingStatus(manual: TrackingStatus | null, carrier: readonly TrackingStatus[]): TrackingStatus | null {
  return manual ?? summarizeTrackingStatus(carrier);
}
