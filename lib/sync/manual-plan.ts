/**
 * What a manual sync loads, and in which order. Page loads are rationed: the order list only as
 * far as the watched orders that need a status reach, then one tracking page per watched order
 * that is shipped and lacks a tracking number or whose events need a refresh. Pure: the plan is a
 * value kept in IndexedDB with the run, and every step is a function of it.
 */
import { orderListUrl, syncTrackingUrl } from '../aliexpress/urls';
import type { WatchItem } from '../domain/api';
import type { AliOrderStatus, Snapshot } from '../domain/snapshot';
import { hasParcels } from '../domain/store-order-rules';

/** More list pages than this means something is wrong with the list (or the watchlist). */
export const MAX_LIST_PAGES = 30;

export const ORDER_LIST_URL = orderListUrl();
export const trackingUrl = (aliOrderId: string) => syncTrackingUrl(aliOrderId);


export interface WatchedOrder {
  aliOrderId: string;
  status: AliOrderStatus;
  trackingNumbers: string[];
  needs: WatchItem['needs'];
  /** The order's date, where the cache knows it: lets the list paging stop early. */
  orderedAt?: string;
}

export interface ManualPlan {
  watched: WatchedOrder[];
  listPagesLoaded: number;
  /** The list has no more pages, or they are older than every watched order still unseen. */
  listDone: boolean;
  /** Statuses the list showed during this run. */
  seen: Record<string, AliOrderStatus>;
  trackingDone: string[];
}

export type PlanStep = { kind: 'list_first_page' } | { kind: 'list_next_page' } | { kind: 'tracking'; aliOrderId: string } | { kind: 'done' };

export function newPlan(watched: WatchedOrder[]): ManualPlan {
  return { watched, listPagesLoaded: 0, listDone: watched.length === 0, seen: {}, trackingDone: [] };
}

function unseenNeedingStatus(plan: ManualPlan): WatchedOrder[] {
  return plan.watched.filter((w) => w.needs.includes('status') && !(w.aliOrderId in plan.seen));
}

/** The watched orders that need their tracking page, in the watchlist's order (most urgent first). */
export function trackingTargets(plan: ManualPlan): string[] {
  return plan.watched
    .filter((w) => {
      const status = plan.seen[w.aliOrderId] ?? w.status;
      // A known tracking number is a parcel whatever the status says (a dispute says nothing of shipping).
      if (!hasParcels(status) && w.trackingNumbers.length === 0) return false;
      return w.trackingNumbers.length === 0 || w.needs.includes('tracking_number') || w.needs.includes('fresh_events');
    })
    .map((w) => w.aliOrderId);
}

export function nextStep(plan: ManualPlan): PlanStep {
  if (plan.watched.length === 0) return { kind: 'done' };
  if (plan.listPagesLoaded === 0) return { kind: 'list_first_page' };
  if (!plan.listDone && unseenNeedingStatus(plan).length > 0) return { kind: 'list_next_page' };
  const next = trackingTargets(plan).find((id) => !plan.trackingDone.includes(id));
  return next ? { kind: 'tracking', aliOrderId: next } : { kind: 'done' };
}

/** The plan after one more page of the order list (or the news that there is none). */
export function afterListPage(plan: ManualPlan, page: Snapshot | undefined): ManualPlan {
  if (!page) return { ...plan, listDone: true };
  const seen = { ...plan.seen };
  for (const order of page.orders) if (order.status !== 'unknown') seen[order.aliOrderId] = order.status;
  const next: ManualPlan = { ...plan, seen, listPagesLoaded: plan.listPagesLoaded + 1 };
  // The list runs newest first: once a page ends before the oldest unseen watched order was
  // placed, further pages cannot hold it. Orders of unknown date keep the paging going.
  const unseen = unseenNeedingStatus(next);
  const dates = page.orders.map((o) => o.orderedAt?.slice(0, 10)).filter((d): d is string => Boolean(d));
  const oldestOnPage = dates.sort()[0];
  const olderThanAllUnseen = oldestOnPage !== undefined && unseen.every((w) => w.orderedAt !== undefined && w.orderedAt.slice(0, 10) > oldestOnPage);
  next.listDone = unseen.length === 0 || (unseen.length > 0 && olderThanAllUnseen) || next.listPagesLoaded >= MAX_LIST_PAGES;
  return next;
}

export function afterTrackingPage(plan: ManualPlan, aliOrderId: string): ManualPlan {
  return { ...plan, trackingDone: [...plan.trackingDone, aliOrderId] };
}
