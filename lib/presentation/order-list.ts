/**
 * The popup's list model: which orders a tab holds, in which order, and what a search finds.
 * Pure and linear in the number of orders, so 5,000 cached orders filter within a keystroke.
 */
import type { CachedAliOrder, CachedStoreOrder } from '../cache/db';
import { DSERS_STATES, type DsersState } from '../domain/store-order-rules';
import { compareReasons, needsAction, orderReasons, type Reason } from './needs-action';

export type Tab = 'needs_action' | 'all' | DsersState | 'unlinked';

/** The DSers tabs the merchant works through, in DSers' order; the first two only appear when used. */
export const STATE_TABS: readonly DsersState[] = DSERS_STATES;
/** Tabs shown even when empty, as DSers always shows them. */
const ALWAYS_SHOWN: ReadonlySet<Tab> = new Set(['needs_action', 'all', 'awaiting_payment', 'awaiting_shipment', 'awaiting_fulfillment', 'fulfilled', 'canceled', 'failed']);

export interface StoreEntry {
  type: 'store';
  key: string;
  order: CachedStoreOrder;
  reasons: Reason[];
  needsAction: boolean;
  /** Lower-cased store order number, AliExpress order ids and tracking numbers, for the search. */
  haystack: string;
}

/** An AliExpress order a page showed that no store order on the backend claims. */
export interface CapturedEntry {
  type: 'captured';
  key: string;
  captured: CachedAliOrder;
  /** When a page last showed it. */
  seenAt: string | undefined;
  haystack: string;
}

export type Entry = StoreEntry | CapturedEntry;

const SEP = '\u0000';
const collator = new Intl.Collator('en', { numeric: true });

/** Newest store order first: "#1010" before "#1009", as order numbers count up. */
const byNumberDesc = (a: StoreEntry, b: StoreEntry) => collator.compare(b.order.storeOrderNumber, a.order.storeOrderNumber);

export function storeEntries(orders: readonly CachedStoreOrder[], now: Date): StoreEntry[] {
  return orders
    .map((order): StoreEntry => {
      const reasons = orderReasons(order, now);
      const haystack = [
        order.storeOrderNumber,
        ...order.aliOrders.flatMap((a) => [a.aliOrderId, ...a.packages.map((p) => p.trackingNumber)]),
      ]
        .join(SEP)
        .toLowerCase();
      return { type: 'store', key: `s:${order.id}`, order, reasons, needsAction: needsAction(reasons), haystack };
    })
    .sort(byNumberDesc);
}

/** AliExpress orders read from pages but unknown to the backend, most recently seen first. */
export function capturedEntries(
  captured: readonly CachedAliOrder[],
  linkedAliOrderIds: ReadonlySet<string>,
  seenAt: (aliOrderId: string) => string | undefined,
): CapturedEntry[] {
  return captured
    .filter((c) => !linkedAliOrderIds.has(c.aliOrderId))
    .map((c): CapturedEntry => ({
      type: 'captured',
      key: `c:${c.aliOrderId}`,
      captured: c,
      seenAt: seenAt(c.aliOrderId),
      haystack: [c.aliOrderId, ...c.order.packages.map((p) => p.trackingNumber)].join(SEP).toLowerCase(),
    }))
    .sort((a, b) => (b.seenAt ?? '').localeCompare(a.seenAt ?? ''));
}

/** What the merchant typed, as it is matched: case and a leading "#" do not matter. */
export function normalizeQuery(query: string): string {
  return query.trim().replace(/^#/, '').toLowerCase();
}

export type TabCounts = Record<Tab, number>;

export function tabCounts(stores: readonly StoreEntry[], captured: readonly CapturedEntry[]): TabCounts {
  const counts = Object.fromEntries([...ALWAYS_SHOWN, ...STATE_TABS, 'unlinked'].map((t) => [t, 0])) as TabCounts;
  for (const e of stores) {
    counts[e.order.state] += 1;
    if (e.needsAction) counts.needs_action += 1;
  }
  counts.all = stores.length + captured.length;
  counts.unlinked = captured.length;
  return counts;
}

/** The tabs to offer: DSers' usual ones, plus any other that holds orders. */
export function visibleTabs(counts: TabCounts): Tab[] {
  const tabs: Tab[] = ['needs_action', 'all', ...STATE_TABS, 'unlinked'];
  return tabs.filter((t) => ALWAYS_SHOWN.has(t) || counts[t] > 0);
}

/** The entries of one tab that match the search. "Needs action" comes worst first, the rest newest first. */
export function selectEntries(stores: readonly StoreEntry[], captured: readonly CapturedEntry[], tab: Tab, query: string): Entry[] {
  const q = normalizeQuery(query);
  const hit = (e: Entry) => q === '' || e.haystack.includes(q);
  switch (tab) {
    case 'needs_action':
      return stores.filter((e) => e.needsAction && hit(e)).sort((a, b) => compareReasons(a.reasons[0]!, b.reasons[0]!) || byNumberDesc(a, b));
    case 'all':
      return [...stores.filter(hit), ...captured.filter(hit)];
    case 'unlinked':
      return captured.filter(hit);
    default:
      return stores.filter((e) => e.order.state === tab && hit(e));
  }
}

/** The tab the popup opens on: what needs action, when anything does. */
export function initialTab(counts: TabCounts): Tab {
  return counts.needs_action > 0 ? 'needs_action' : 'all';
}
