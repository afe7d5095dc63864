/**
 * What a manual sync loads, and in which order. Page loads are rationed: the order list only as
 * far as the watched orders that need a status reach, and the order page of each one the list
 * would take more pages to reach than there are such orders left; then every tracking number the watched
 * shipped orders have, through Cainiao's public tracking in batches (no page load); then one
 * tracking page per watched shipped order that lacks a tracking number, or whose number Cainiao
 * cannot serve or did not answer for. Pure: the plan is a value kept in IndexedDB with the run,
 * and every step is a function of it.
 */
import { orderDetailUrl, orderListUrl, syncTrackingUrl } from '../aliexpress/urls';
import type { WatchItem } from '../domain/api';
import { CAINIAO_BATCH_SIZE } from '../cainiao/url';
import type { AliOrderStatus, Snapshot } from '../domain/snapshot';
import { hasParcels } from '../domain/store-order-rules';

/** More list pages than this means something is wrong with the list (or the watchlist). */
export const MAX_LIST_PAGES = 30;

/** The pages a sync opens, on the merchant's own site (`origin`: lib/cache/site.ts; default www.aliexpress.com). */
export const trackingUrl = (aliOrderId: string, origin?: string) => syncTrackingUrl(aliOrderId, origin);
export { orderDetailUrl, orderListUrl };


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
  /**
   * The list has no more pages, or they are older than every watched order still unseen, or
   * reading the order page of each one left costs fewer loads than paging on to them.
   */
  listDone: boolean;
  /** The newest order date the list showed: with the pages read, how many days a page covers. */
  listNewest?: string;
  /** Watched orders whose own page (order detail) this run read for their status. */
  detailDone: string[];
  /** Statuses the list showed during this run. */
  seen: Record<string, AliOrderStatus>;
  trackingDone: string[];
  /** Numbers per Cainiao request. */
  cainiaoBatch: number;
  /** Numbers asked of Cainiao in this run. */
  cainiaoAsked: string[];
  /**
   * Numbers Cainiao cannot serve (known before the run, or answered so in it), or did not answer
   * for (it refused): their orders' tracking pages are read instead, so the run loses nothing.
   */
  cainiaoMissed: string[];
}

export type PlanStep =
  | { kind: 'list_first_page' }
  | { kind: 'list_next_page' }
  | { kind: 'detail'; aliOrderId: string }
  | { kind: 'cainiao'; trackingNumbers: string[] }
  | { kind: 'tracking'; aliOrderId: string }
  | { kind: 'done' };

/** `unserved`: numbers Cainiao said lately it cannot serve (their tracking pages are read instead). */
export function newPlan(watched: WatchedOrder[], { unserved = [], cainiaoBatch = CAINIAO_BATCH_SIZE }: { unserved?: readonly string[]; cainiaoBatch?: number } = {}): ManualPlan {
  const known = new Set(watched.flatMap((w) => w.trackingNumbers));
  return {
    watched,
    listPagesLoaded: 0,
    listDone: watched.length === 0,
    seen: {},
    detailDone: [],
    trackingDone: [],
    cainiaoBatch,
    cainiaoAsked: [],
    cainiaoMissed: unserved.filter((n) => known.has(n)),
  };
}

const statusOf = (plan: ManualPlan, w: WatchedOrder) => plan.seen[w.aliOrderId] ?? w.status;

function unseenNeedingStatus(plan: ManualPlan): WatchedOrder[] {
  return plan.watched.filter((w) => w.needs.includes('status') && !(w.aliOrderId in plan.seen) && !plan.detailDone.includes(w.aliOrderId));
}

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(date.slice(0, 10));

/**
 * Whether the order pages of the unseen watched orders cost fewer loads than paging on: the list
 * runs newest first at about the same number of days a page, so an order's date says how many more
 * pages reach it. Paging k more pages and reading the order pages of those beyond costs k plus
 * their number; when no k beats reading them all now, the list stops here. An order of unknown
 * date keeps the paging going (nothing says how far it is).
 */
function orderPagesCheaper(plan: ManualPlan, oldestOnPage: string | undefined): boolean {
  const unseen = unseenNeedingStatus(plan);
  if (!oldestOnPage || !plan.listNewest || unseen.some((w) => !w.orderedAt)) return false;
  const daysPerPage = (dayOf(plan.listNewest) - dayOf(oldestOnPage)) / DAY_MS / plan.listPagesLoaded;
  if (daysPerPage <= 0) return false;
  const away = unseen.map((w) => Math.max(1, Math.ceil((dayOf(oldestOnPage) - dayOf(w.orderedAt!)) / DAY_MS / daysPerPage)));
  return away.every((k) => k + away.filter((a) => a > k).length >= unseen.length);
}

/**
 * Every tracking number of the watched orders, most urgent order first: Cainiao refreshes them (a
 * known number is a parcel whatever the order's status says).
 */
export function cainiaoTargets(plan: ManualPlan): string[] {
  return [...new Set(plan.watched.flatMap((w) => w.trackingNumbers))];
}

/**
 * The watched orders that need their tracking page, in the watchlist's order (most urgent first):
 * shipped, and without a tracking number, or perhaps with more parcels to come, or with a number
 * Cainiao cannot serve or did not answer for.
 */
export function trackingTargets(plan: ManualPlan): string[] {
  const missed = new Set(plan.cainiaoMissed);
  return plan.watched
    .filter((w) => {
      const status = statusOf(plan, w);
      // A known tracking number is a parcel whatever the status says (a dispute says nothing of shipping).
      if (!hasParcels(status) && w.trackingNumbers.length === 0) return false;
      return w.trackingNumbers.length === 0 || w.needs.includes('tracking_number') || w.trackingNumbers.some((n) => missed.has(n));
    })
    .map((w) => w.aliOrderId);
}

export function nextStep(plan: ManualPlan): PlanStep {
  if (plan.watched.length === 0) return { kind: 'done' };
  // The list tells statuses only: without a watched order that needs one, it is not loaded at all.
  if (plan.listPagesLoaded === 0 && !plan.listDone && unseenNeedingStatus(plan).length > 0) return { kind: 'list_first_page' };
  const unseen = unseenNeedingStatus(plan);
  if (!plan.listDone && plan.listPagesLoaded > 0 && unseen.length > 0) return { kind: 'list_next_page' };
  // The list is done with watched orders it did not show: their own pages say their status.
  if (unseen.length > 0 && plan.listDone) return { kind: 'detail', aliOrderId: unseen[0]!.aliOrderId };
  const done = new Set([...plan.cainiaoAsked, ...plan.cainiaoMissed]);
  const numbers = cainiaoTargets(plan).filter((n) => !done.has(n));
  if (numbers.length > 0) return { kind: 'cainiao', trackingNumbers: numbers.slice(0, plan.cainiaoBatch) };
  const next = trackingTargets(plan).find((id) => !plan.trackingDone.includes(id));
  return next ? { kind: 'tracking', aliOrderId: next } : { kind: 'done' };
}

/** The plan after one Cainiao request for `asked`: `missed`, the numbers it did not refresh. */
export function afterCainiao(plan: ManualPlan, asked: readonly string[], missed: readonly string[]): ManualPlan {
  return { ...plan, cainiaoAsked: [...plan.cainiaoAsked, ...asked], cainiaoMissed: [...new Set([...plan.cainiaoMissed, ...missed])] };
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
  const dates = page.orders.map((o) => o.orderedAt?.slice(0, 10)).filter((d): d is string => Boolean(d)).sort();
  const oldestOnPage = dates[0];
  const newest = [plan.listNewest, dates.at(-1)].filter((d): d is string => Boolean(d)).sort().at(-1);
  if (newest) next.listNewest = newest;
  const olderThanAllUnseen = oldestOnPage !== undefined && unseen.every((w) => w.orderedAt !== undefined && w.orderedAt.slice(0, 10) > oldestOnPage);
  next.listDone = unseen.length === 0 || olderThanAllUnseen || next.listPagesLoaded >= MAX_LIST_PAGES || orderPagesCheaper(next, oldestOnPage);
  return next;
}

/** The plan after a watched order's own page: what it showed of its status, if anything. */
export function afterDetailPage(plan: ManualPlan, aliOrderId: string, page: Snapshot | undefined): ManualPlan {
  const seen = { ...plan.seen };
  const status = page?.orders.find((o) => o.aliOrderId === aliOrderId)?.status;
  if (status && status !== 'unknown') seen[aliOrderId] = status;
  return { ...plan, seen, detailDone: [...plan.detailDone, aliOrderId] };
}

export function afterTrackingPage(plan: ManualPlan, aliOrderId: string): ManualPlan {
  return { ...plan, trackingDone: [...plan.trackingDone, aliOrderId] };
}
