/**
 * Which AliExpress orders are worth a page load, and what each still lacks. Page loads are
 * rationed (DESIGN: "only orders the backend watches"), so an order with nothing left to learn is
 * not on the list.
 */
import { z } from 'zod';
import type { AliOrderStatus, TrackingStatus } from './ali-order';
import { hasParcels, isCanceled } from './store-order-rules';
import { HOUR_MS } from './order-flags';

/**
 * How old a tracking read may get before the extension should look again: the backend's own
 * polling brings news "within 6 hours", and the fast lane is there to beat that.
 */
export const TRACKING_REFRESH_MS = 6 * HOUR_MS;

export const watchNeedSchema = z.enum(['status', 'tracking_number', 'fresh_events']);
export type WatchNeed = z.infer<typeof watchNeedSchema>;

/** Statuses that the order list page can still move on. */
const STATUS_CAN_MOVE: ReadonlySet<AliOrderStatus> = new Set([
  'unknown',
  'awaiting_payment',
  'awaiting_shipment',
  'partially_shipped',
  'dispute',
]);

export interface WatchInput {
  /** The store order is locked (fulfilled by hand or on the store): never watched. */
  locked: boolean;
  status: AliOrderStatus;
  /** When a snapshot last showed this order; null when the extension never read it. */
  lastSeenAt: string | null;
  /** The merchant asked for Re-track at this time (drops the manual status, wants live data). */
  retrackRequestedAt: string | null;
  packages: readonly { trackingStatus: TrackingStatus; readAt: string | null }[];
}

/** What an AliExpress order still lacks at `now`; empty when it is final or up to date. */
export function watchNeeds(order: WatchInput, now: Date): WatchNeed[] {
  // A canceled order is final. So is a locked one: the seed says sync must not touch it.
  if (order.locked || isCanceled(order.status)) return [];
  const needs: WatchNeed[] = [];
  if (order.lastSeenAt === null || STATUS_CAN_MOVE.has(order.status)) needs.push('status');
  // A partial shipment may be followed by more parcels, so it keeps asking for numbers.
  if (order.status === 'partially_shipped' || (hasParcels(order.status) && order.packages.length === 0)) needs.push('tracking_number');
  const retrack = order.retrackRequestedAt === null ? null : Date.parse(order.retrackRequestedAt);
  const stale = order.packages.some((p) => {
    if (p.trackingStatus === 'delivered') return false;
    if (p.readAt === null) return true;
    const read = Date.parse(p.readAt);
    return now.getTime() - read >= TRACKING_REFRESH_MS || (retrack !== null && retrack > read);
  });
  if (stale) needs.push('fresh_events');
  return needs;
}
