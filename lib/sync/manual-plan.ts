/**
 * What a manual sync loads, and in which order. Page loads are rationed: the order list only as
 * far as the watched orders that need a status reach, read by tab where a tab reaches them in fewer
 * loads or decides statuses the all-tab's cards leave open, and the order page of each one no list
 * reaches for less; then every tracking number the watched shipped orders have, through Cainiao's
 * public tracking in batches (no page load); then one tracking page per watched shipped order that
 * lacks a tracking number, or whose number Cainiao cannot serve or did not answer for. Pure: the
 * plan is a value kept in IndexedDB with the run, and every step is a function of it.
 */
import { orderDetailUrl, orderListUrl, syncTrackingUrl } from '../aliexpress/urls';
import { listTabOf } from '../aliexpress/order-status';
import type { WatchItem } from '../domain/api';
import { CAINIAO_BATCH_SIZE } from '../cainiao/url';
import type { AliOrderStatus, ListTab, Snapshot } from '../domain/snapshot';
import { hasParcels } from '../domain/store-order-rules';
import type { SyncWarning } from '../cache/sync-run';

/** More pages of one list than this means something is wrong with the list (or the watchlist). */
export const MAX_LIST_PAGES = 30;
/** Cards a list page shows until a page of this run shows more (the real list's `pageSize`: 10). */
const DEFAULT_PAGE_SIZE = 10;
/** The list as the order list page opens: every tab (`statusTab: "all"`). */
export const ALL_TAB = 'all';

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

/** One list this run read: the all-tab, or one tab, from its first page on. */
export interface ListRead {
  /** `all`, or the tab's code (`unpaid`, `processing`, `shipped` …). */
  code: string;
  pages: number;
  /** Not paged any further: no more pages, or paging on costs more than what is left. */
  done: boolean;
  /** The list has no more pages. */
  exhausted?: boolean;
  /** The newest and oldest order dates its pages showed: with the pages read, the days a page covers. */
  newest?: string;
  oldest?: string;
}

export interface ManualPlan {
  watched: WatchedOrder[];
  /** List pages loaded, every list together. */
  listPagesLoaded: number;
  /** The lists read so far, in order; the last one is the one the tab shows. */
  lists: ListRead[];
  /** The tabs the list offers, with their titles in the page's language (from its first page). */
  tabs: ListTab[];
  /** A tab was not found on the page: the rest is read from the all-tab. */
  tabsOff: boolean;
  /** Dates of the cards the all-tab showed, by the tab that lists their status: how dense each tab is. */
  allTabDates: Record<string, string[]>;
  /** The most cards one list page of this run showed. */
  pageSize: number;
  /** Watched orders a list showed without deciding their status (its cards said too little). */
  undecided: string[];
  /** Watched orders whose own page (order detail) this run read for their status. */
  detailDone: string[];
  /** Statuses the lists showed during this run. */
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
  /** What the merchant should know of how the run read the list (a tab it could not find). */
  warnings: SyncWarning[];
  /**
   * How many orders the extension knows of each day (`YYYY-MM-DD`), watched or not: the list shows
   * every one of them, so the orders known between a page's last card and a watched order are
   * cards the list must show first.
   */
  knownDays: Record<string, number>;
}

export type PlanStep =
  | { kind: 'list_first_page' }
  | { kind: 'list_next_page' }
  | { kind: 'list_tab'; code: string; title: string }
  | { kind: 'detail'; aliOrderId: string }
  | { kind: 'cainiao'; trackingNumbers: string[] }
  | { kind: 'tracking'; aliOrderId: string }
  | { kind: 'done' };

/** `unserved`: numbers Cainiao said lately it cannot serve (their tracking pages are read instead). */
export function newPlan(
  watched: WatchedOrder[],
  { unserved = [], cainiaoBatch = CAINIAO_BATCH_SIZE, knownDates = [] }: { unserved?: readonly string[]; cainiaoBatch?: number; knownDates?: readonly string[] } = {},
): ManualPlan {
  const known = new Set(watched.flatMap((w) => w.trackingNumbers));
  const knownDays: Record<string, number> = {};
  for (const date of knownDates) knownDays[date.slice(0, 10)] = (knownDays[date.slice(0, 10)] ?? 0) + 1;
  return {
    watched,
    listPagesLoaded: 0,
    lists: [],
    tabs: [],
    tabsOff: false,
    allTabDates: {},
    pageSize: DEFAULT_PAGE_SIZE,
    undecided: [],
    seen: {},
    detailDone: [],
    trackingDone: [],
    cainiaoBatch,
    cainiaoAsked: [],
    cainiaoMissed: unserved.filter((n) => known.has(n)),
    warnings: [],
    knownDays,
  };
}

const statusOf = (plan: ManualPlan, w: WatchedOrder) => plan.seen[w.aliOrderId] ?? w.status;
const currentList = (plan: ManualPlan): ListRead | undefined => plan.lists.at(-1);

function unseenNeedingStatus(plan: ManualPlan): WatchedOrder[] {
  return plan.watched.filter((w) => w.needs.includes('status') && !(w.aliOrderId in plan.seen) && !plan.detailDone.includes(w.aliOrderId));
}

/** The tab this run may still read for a watched order read before: the one that lists its status, not read yet. */
function tabFor(plan: ManualPlan, w: WatchedOrder): string | undefined {
  // An order never read has the backend's placeholder status (a placed order is "awaiting
  // payment" until a page says otherwise) and no date: nothing says which tab lists it.
  if (plan.tabsOff || !w.orderedAt) return undefined;
  const code = listTabOf(w.status);
  if (!code || !plan.tabs.some((t) => t.code === code)) return undefined;
  return plan.lists.some((l) => l.code === code) ? undefined : code;
}

const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(date.slice(0, 10));

/** How many days one page of the list covers, once its pages say (newest first, about even). */
function daysPerPage(list: ListRead): number | undefined {
  if (!list.newest || !list.oldest || list.pages === 0) return undefined;
  const days = (dayOf(list.newest) - dayOf(list.oldest)) / DAY_MS / list.pages;
  return days > 0 ? days : undefined;
}

/**
 * How many more pages of the all-tab reach an order of that date (at least the next one): by the
 * days a page has covered, and by the orders known to lie between (each a card before it).
 */
function pagesAway(plan: ManualPlan, list: ListRead, perPage: number, orderedAt: string): number {
  const date = orderedAt.slice(0, 10);
  const byDays = Math.ceil((dayOf(list.oldest!) - dayOf(date)) / DAY_MS / perPage);
  if (list.code !== ALL_TAB) return Math.max(1, byDays);
  let between = 0;
  for (const [day, count] of Object.entries(plan.knownDays)) if (day < list.oldest! && day > date) between += count;
  return Math.max(1, byDays, Math.ceil((between + 1) / plan.pageSize));
}

/**
 * The fewest loads for orders `away[i]` more pages on: k more pages and the rest read another way
 * (`rest`, of the orders beyond k), for k = 0 (none) or the distance of one of them.
 */
function cheapest(away: readonly number[], rest: (beyond: number[]) => number): { pages: number; loads: number } {
  let best = { pages: 0, loads: rest(away.map((_, i) => i)) };
  for (const k of [...new Set(away)].sort((a, b) => a - b)) {
    const loads = k + rest(away.flatMap((a, i) => (a > k ? [i] : [])));
    if (loads < best.loads) best = { pages: k, loads };
  }
  return best;
}

/**
 * Where in tab `code` a watched order should be, in pages: behind every watched order of the same
 * tab that is newer, and behind as many of the tab's orders as the all-tab's pages showed per day.
 */
function tabPagesAway(plan: ManualPlan, code: string, orders: readonly WatchedOrder[]): number[] {
  const all = plan.lists.find((l) => l.code === ALL_TAB);
  const dates = plan.allTabDates[code] ?? [];
  const spanDays = all?.newest && all.oldest ? (dayOf(all.newest) - dayOf(all.oldest)) / DAY_MS + 1 : 1;
  const perDay = dates.length / spanDays;
  const sameTab = plan.watched.filter((w) => listTabOf(w.status) === code);
  return orders.map((o) => {
    if (!o.orderedAt) return Math.ceil(sameTab.length / plan.pageSize);
    const date = o.orderedAt.slice(0, 10);
    const newerWatched = sameTab.filter((w) => !w.orderedAt || w.orderedAt.slice(0, 10) >= date).length;
    const shown = dates.filter((d) => d >= date).length;
    const beyondShown = all?.oldest && date < all.oldest ? ((dayOf(all.oldest) - dayOf(date)) / DAY_MS) * perDay : 0;
    return Math.max(1, Math.ceil(Math.max(newerWatched, shown + beyondShown + 1) / plan.pageSize));
  });
}

/** Loads to learn these orders' statuses without the list being read: their tabs where cheaper, else their order pages. */
function loadsWithoutTheList(plan: ManualPlan, orders: readonly WatchedOrder[]): number {
  const byTab = new Map<string, WatchedOrder[]>();
  let loads = 0;
  for (const w of orders) {
    const code = tabFor(plan, w);
    if (code) byTab.set(code, [...(byTab.get(code) ?? []), w]);
    else loads += 1;
  }
  for (const [code, served] of byTab) loads += cheapest(tabPagesAway(plan, code, served), (beyond) => beyond.length).loads;
  return loads;
}

/** The orders the current list can still decide: for a tab, those of its status; a list that left one undecided cannot. */
function servedByList(plan: ManualPlan, list: ListRead): WatchedOrder[] {
  return unseenNeedingStatus(plan).filter((w) => !plan.undecided.includes(w.aliOrderId) && (list.code === ALL_TAB || (w.orderedAt !== undefined && listTabOf(w.status) === list.code)));
}

/**
 * Whether `list` pages on after a page that ended at `oldestOnPage`. It stops when it has no more
 * pages, holds none of the orders left, has passed the oldest of them, or when paging k more
 * pages and reading those beyond another way never beats reading them all another way now. An
 * order of unknown date keeps it going (nothing says how far it is), unless a tab will find it.
 */
function pagesOn(plan: ManualPlan, list: ListRead, oldestOnPage: string | undefined): boolean {
  if (list.exhausted || list.pages >= MAX_LIST_PAGES) return false;
  const served = servedByList(plan, list);
  if (served.length === 0) return false;
  const rest = (orders: readonly WatchedOrder[]) => (list.code === ALL_TAB ? loadsWithoutTheList(plan, orders) : orders.length);
  const judged = served.filter((w) => w.orderedAt || list.code !== ALL_TAB || !tabFor(plan, w));
  if (judged.some((w) => !w.orderedAt)) return true;
  if (oldestOnPage !== undefined && judged.every((w) => w.orderedAt!.slice(0, 10) > oldestOnPage) && judged.length === served.length) return false;
  const perPage = daysPerPage(list);
  if (!oldestOnPage || !perPage) return true;
  const away = judged.map((w) => pagesAway(plan, list, perPage, w.orderedAt!));
  // Orders of unknown date a tab will find are left to it.
  const toTabs = served.filter((w) => !judged.includes(w));
  const restOf = (beyond: number[]) => rest([...beyond.map((i) => judged[i]!), ...toTabs]);
  const best = cheapest(away, restOf);
  if (best.pages > 0) return true;
  // As cheap to page on as to read a tab: the all-tab, no tab for its own sake. As cheap as the
  // order pages: those, they are certain.
  const tabsAsCheap = list.code === ALL_TAB && best.loads < served.length;
  return tabsAsCheap && [...new Set(away)].some((k) => k + restOf(away.flatMap((a, i) => (a > k ? [i] : []))) === best.loads);
}

/** The tab worth clicking next: the one that saves the most loads over the order pages of its orders. */
function tabToRead(plan: ManualPlan): ListTab | undefined {
  const byTab = new Map<string, WatchedOrder[]>();
  for (const w of unseenNeedingStatus(plan)) {
    const code = tabFor(plan, w);
    if (code) byTab.set(code, [...(byTab.get(code) ?? []), w]);
  }
  let best: { tab: ListTab; saved: number } | undefined;
  for (const [code, served] of byTab) {
    const saved = served.length - cheapest(tabPagesAway(plan, code, served), (beyond) => beyond.length).loads;
    const tab = plan.tabs.find((t) => t.code === code)!;
    if (saved > 0 && (!best || saved > best.saved)) best = { tab, saved };
  }
  return best?.tab;
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
  const unseen = unseenNeedingStatus(plan);
  // The list tells statuses only: without a watched order that needs one, it is not loaded at all.
  if (unseen.length > 0) {
    const list = currentList(plan);
    if (!list) return { kind: 'list_first_page' };
    // A tab could not be found while another tab was shown: the all-tab again, from its first page.
    if (plan.tabsOff && list.code !== ALL_TAB && !plan.lists.some((l) => l.code === ALL_TAB && l.exhausted)) return { kind: 'list_first_page' };
    if (!list.done) return { kind: 'list_next_page' };
    const tab = tabToRead(plan);
    if (tab) return { kind: 'list_tab', code: tab.code, title: tab.title };
    // No list reaches the rest for less: their own pages say their status.
    return { kind: 'detail', aliOrderId: unseen[0]!.aliOrderId };
  }
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

/**
 * The plan after one more page of a list (or the news that it has none). `opened`: the page is
 * the first of that list (the order list's URL opens the all-tab; a tab click opens the tab);
 * otherwise it is the next page of the current list.
 */
export function afterListPage(plan: ManualPlan, page: Snapshot | undefined, opened?: string): ManualPlan {
  const lists = plan.lists.map((l) => ({ ...l }));
  if (opened !== undefined || lists.length === 0) lists.push({ code: opened ?? ALL_TAB, pages: 0, done: false });
  const list = lists.at(-1)!;
  if (!page) {
    list.done = list.exhausted = true;
    return { ...plan, lists };
  }
  const seen = { ...plan.seen };
  const watchedIds = new Set(plan.watched.map((w) => w.aliOrderId));
  const undecided = new Set(plan.undecided);
  const allTabDates = { ...plan.allTabDates };
  for (const order of page.orders) {
    if (order.status !== 'unknown') {
      seen[order.aliOrderId] = order.status;
      undecided.delete(order.aliOrderId);
    } else if (watchedIds.has(order.aliOrderId) && !(order.aliOrderId in seen)) undecided.add(order.aliOrderId);
    const code = list.code === ALL_TAB ? listTabOf(order.status) : undefined;
    if (code && order.orderedAt) allTabDates[code] = [...(allTabDates[code] ?? []), order.orderedAt.slice(0, 10)];
  }
  const dates = page.orders.map((o) => o.orderedAt?.slice(0, 10)).filter((d): d is string => Boolean(d)).sort();
  const oldestOnPage = dates[0];
  list.pages += 1;
  const newest = [list.newest, dates.at(-1)].filter((d): d is string => Boolean(d)).sort().at(-1);
  const oldest = [list.oldest, oldestOnPage].filter((d): d is string => Boolean(d)).sort()[0];
  if (newest) list.newest = newest;
  if (oldest) list.oldest = oldest;
  const next: ManualPlan = {
    ...plan,
    lists,
    seen,
    undecided: [...undecided],
    allTabDates,
    listPagesLoaded: plan.listPagesLoaded + 1,
    pageSize: Math.max(plan.pageSize, page.orders.length),
    tabs: plan.tabs.length > 0 ? plan.tabs : (page.list?.tabs ?? []),
  };
  list.done = !pagesOn(next, list, oldestOnPage);
  return next;
}

/**
 * The plan after the tab `code` was not found on the page: the run goes on from the all-tab (where
 * the page still shows it, paging on from where it stopped) and says so in its warnings.
 */
export function afterTabMissing(plan: ManualPlan, code: string): ManualPlan {
  const title = plan.tabs.find((t) => t.code === code)?.title ?? code;
  const lists = plan.lists.map((l) => ({ ...l }));
  const list = lists.at(-1);
  const next: ManualPlan = {
    ...plan,
    lists,
    tabsOff: true,
    warnings: [...plan.warnings, { kind: 'tab_not_found', code, title }],
  };
  if (list?.code === ALL_TAB && !list.exhausted && list.pages < MAX_LIST_PAGES) list.done = !pagesOn(next, list, list.oldest);
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
