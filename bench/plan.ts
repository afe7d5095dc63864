/**
 * Manual sync: how many page loads the rationed plan (lib/sync/manual-plan.ts) spends on 100
 * watched orders, against the naive walk (the whole order list, then one tracking page per watched
 * order). Pure: a synthetic account of 400 orders over 40 list pages (10 cards a page, newest
 * first, about 4 months), statuses by age as a dropshipper sees them, needs from the backend's
 * own rule (watchNeeds), and a list that moved on since the last sync (some orders shipped). Its
 * tabs list the orders of their status as the list shows it now (lib/aliexpress/order-status.ts:
 * listTabOf); an order in dispute is under none of them, since no source says which lists it.
 */
import { readFileSync } from 'node:fs';
import { readOrderListJson } from '../lib/aliexpress/order-list';
import type { AliOrderStatus, Snapshot, TrackingStatus } from '../lib/domain/snapshot';
import { watchNeeds } from '../lib/domain/watchlist';
import { CAINIAO_PAUSE_MS } from '../lib/cainiao/refresh-plan';
import { listTabOf } from '../lib/aliexpress/order-status';
import { afterCainiao, afterDetailPage, afterListPage, afterTrackingPage, ALL_TAB, newPlan, nextStep, type ManualPlan, type WatchedOrder } from '../lib/sync/manual-plan';
import { round, underBudget, type Figure } from './lib';

const ORDERS = 400;
const PER_PAGE = 10;
const WATCHED = 100;
const DAY = 86_400_000;

interface AccountOrder {
  aliOrderId: string;
  orderedAt: string;
  /** What the backend knows (last sync). */
  known: AliOrderStatus;
  /** What the list shows now. */
  now: AliOrderStatus;
  packages: { trackingStatus: TrackingStatus; readAt: string | null }[];
}

/** Deterministic pseudo-random numbers (mulberry32), so every run plans the same account. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: number, table: [number, T][]): T {
  let sum = 0;
  for (const [weight, value] of table) if (r < (sum += weight)) return value;
  return table.at(-1)![1];
}

export function syntheticAccount(now: Date, seed = 7, count = ORDERS): AccountOrder[] {
  const rnd = random(seed);
  const orders: AccountOrder[] = [];
  // Days between two orders: the account's orders spread over about 120 days.
  const spacing = 120 / count;
  for (let i = 0; i < count; i++) {
    const age = i * spacing + rnd() * spacing;
    const known: AliOrderStatus =
      age < 2
        ? pick(rnd(), [[0.15, 'awaiting_payment'], [0.85, 'awaiting_shipment']])
        : age < 7
          ? pick(rnd(), [[0.4, 'awaiting_shipment'], [0.6, 'shipped']])
          : age < 25
            ? pick(rnd(), [[0.8, 'shipped'], [0.15, 'completed'], [0.05, 'dispute']])
            : age < 60
              ? pick(rnd(), [[0.35, 'shipped'], [0.6, 'completed'], [0.03, 'dispute'], [0.02, 'closed']])
              : pick(rnd(), [[0.9, 'completed'], [0.08, 'closed'], [0.02, 'dispute']]);
    // Since the last sync some orders moved on: the list shows it.
    const moved = rnd() < 0.2;
    const nowStatus: AliOrderStatus =
      moved && known === 'awaiting_payment' ? 'awaiting_shipment' : moved && known === 'awaiting_shipment' ? 'shipped' : moved && known === 'shipped' ? 'completed' : known;
    const shipped = known === 'shipped' || known === 'completed' || known === 'dispute';
    const hasNumber = shipped && (age > 7 || rnd() < 0.7);
    const trackingStatus: TrackingStatus = known === 'completed' ? 'delivered' : age > 40 && rnd() < 0.1 ? 'abnormal' : 'in_transit';
    orders.push({
      aliOrderId: String(8_300_000_000_000_000 + count - i),
      orderedAt: new Date(now.getTime() - age * DAY).toISOString().slice(0, 10),
      known,
      now: nowStatus,
      // Read by the last sync, 12 hours ago: past the 6-hour refresh.
      packages: hasNumber ? [{ trackingStatus, readAt: new Date(now.getTime() - 12 * 3_600_000).toISOString() }] : [],
    });
  }
  return orders;
}

/** The backend's watchlist: orders with needs, most urgent first (never read first, then longest unread), cut at WATCHED. */
export function watchedOf(account: AccountOrder[], now: Date, seed = 11, count = WATCHED): WatchedOrder[] {
  const rnd = random(seed);
  const candidates = account
    .map((o) => ({
      o,
      lastSeen: now.getTime() - rnd() * 3 * DAY,
      needs: watchNeeds({ locked: false, status: o.known, lastSeenAt: new Date(now.getTime() - DAY).toISOString(), retrackRequestedAt: null, packages: o.packages }, now),
    }))
    .filter((c) => c.needs.length > 0)
    .sort((a, b) => a.lastSeen - b.lastSeen);
  return candidates.slice(0, count).map(({ o, needs }) => ({
    aliOrderId: o.aliOrderId,
    status: o.known,
    trackingNumbers: o.packages.map((_, i) => `LP${o.aliOrderId}${i}`),
    needs,
    orderedAt: o.orderedAt,
  }));
}

export interface Simulated {
  /** List pages of every tab together. */
  listPages: number;
  /** Of those, the first pages of tabs (a click on the tab). */
  tabPages: number;
  /** The lists read, each with its pages ("all 4", "processing 2"). */
  lists: string[];
  /** Order pages of watched orders the list would have taken longer to reach. */
  detailPages: number;
  trackingPages: number;
  cainiaoRequests: number;
  /** Page loads: list and tracking pages (a Cainiao request loads no page). */
  steps: number;
}

/** The real list header's tabs, as the reader takes them from the real capture's `statusTabList`. */
const LIST_TABS = readOrderListJson(JSON.parse(readFileSync(new URL('../tests/fixtures/aliexpress-real/mtop-order-list-page1.json', import.meta.url), 'utf8'))).list?.tabs ?? [];

/** Walks the plan over the account as the sandbox would answer it; Cainiao serves every number. */
export function simulate(account: AccountOrder[], watched: WatchedOrder[]): Simulated {
  // Every order was read by an earlier sync (the watchlist's lastSeenAt), so the cache knows its date.
  let plan: ManualPlan = newPlan(watched, { knownDates: account.map((o) => o.orderedAt) });
  let listPages = 0;
  let trackingPages = 0;
  let detailPages = 0;
  let cainiaoRequests = 0;
  let tabPages = 0;
  for (let step = nextStep(plan), guard = 0; step.kind !== 'done' && guard < 10_000; step = nextStep(plan), guard++) {
    if (step.kind === 'tracking') {
      trackingPages++;
      plan = afterTrackingPage(plan, step.aliOrderId);
      continue;
    }
    if (step.kind === 'detail') {
      detailPages++;
      const order = account.find((o) => o.aliOrderId === step.aliOrderId)!;
      plan = afterDetailPage(plan, step.aliOrderId, {
        kind: 'order_detail',
        url: `https://www.aliexpress.com/p/order/detail.html?orderId=${order.aliOrderId}`,
        capturedAt: new Date().toISOString(),
        orders: [{ aliOrderId: order.aliOrderId, status: order.now, orderedAt: order.orderedAt, packages: [] }],
        warnings: [],
      });
      continue;
    }
    if (step.kind === 'cainiao') {
      cainiaoRequests++;
      plan = afterCainiao(plan, step.trackingNumbers, []);
      continue;
    }
    // The all-tab lists every order; a tab the orders whose status it lists (disputes none: no
    // source says under which tab they are).
    const code = step.kind === 'list_first_page' ? ALL_TAB : step.kind === 'list_tab' ? step.code : plan.lists.at(-1)!.code;
    const index = step.kind === 'list_next_page' ? plan.lists.at(-1)!.pages : 0;
    if (step.kind === 'list_tab') tabPages++;
    const list = code === ALL_TAB ? account : account.filter((o) => listTabOf(o.now) === code);
    const cards = list.slice(index * PER_PAGE, (index + 1) * PER_PAGE);
    const opened = step.kind === 'list_next_page' ? undefined : code;
    if (cards.length === 0) {
      plan = afterListPage(plan, undefined, opened);
      continue;
    }
    listPages++;
    const page: Snapshot = {
      kind: 'order_list',
      url: 'https://www.aliexpress.com/p/order/index.html',
      capturedAt: new Date().toISOString(),
      orders: cards.map((o) => ({ aliOrderId: o.aliOrderId, status: o.now, orderedAt: o.orderedAt, packages: [] })),
      warnings: [],
      list: { tab: code, ...(index === 0 && { tabs: LIST_TABS }) },
    };
    plan = afterListPage(plan, page, opened);
  }
  return { listPages, tabPages, lists: plan.lists.map((l) => `${l.code} ${l.pages}`), detailPages, trackingPages, cainiaoRequests, steps: listPages + detailPages + trackingPages };
}

/**
 * The settings' default pause between page loads (DEFAULT_SETTINGS in lib/settings.ts, which reads
 * the build's environment and so cannot be loaded here).
 */
const DEFAULT_PAUSE_MS = 3000;
/** A real order page's load, as the issue models it (3-5 s measured on the live site). */
const PAGE_LOAD_MS = 4000;
/** What a Cainiao request costs beyond what is measured here: the round trip to China and back. */
const CAINIAO_ROUND_TRIP_MS = 1000;

/** The run's wall time: page loads with the pause between them, Cainiao requests with theirs. */
function modeledMs(run: Simulated, cainiaoRequestMs: number): number {
  const pages = run.steps * PAGE_LOAD_MS + Math.max(0, run.steps - 1) * DEFAULT_PAUSE_MS;
  const cainiao = run.cainiaoRequests * (cainiaoRequestMs + CAINIAO_ROUND_TRIP_MS) + Math.max(0, run.cainiaoRequests - 1) * CAINIAO_PAUSE_MS;
  return pages + cainiao;
}

function planOf(orders: number, watchedCount: number, now: Date) {
  const account = syntheticAccount(now, 7, orders);
  const watched = watchedOf(account, now, 11, watchedCount);
  const started = performance.now();
  const planned = simulate(account, watched);
  return { account, watched, planned, planMs: performance.now() - started };
}

/** "8 list (all-tab 2, processing tab 6) + 29 order + 19 tracking pages, 9 Cainiao requests". */
const detail = (run: Simulated) => {
  const lists = run.tabPages > 0 ? ` (${run.lists.map((l) => (l.startsWith(`${ALL_TAB} `) ? l.replace(ALL_TAB, 'all-tab') : l.replace(' ', ' tab '))).join(', ')})` : '';
  return `${run.listPages} list${lists} + ${run.detailPages} order + ${run.trackingPages} tracking pages, ${run.cainiaoRequests} Cainiao requests`;
};

export function measurePlan(cainiaoRequestMs: number): Figure[] {
  const now = new Date('2026-11-20T12:00:00Z');
  const { watched, planned, planMs } = planOf(ORDERS, WATCHED, now);
  const naive = Math.ceil(ORDERS / PER_PAGE) + watched.length;
  const ratio = planned.steps / naive;
  const byStatus: Record<string, number> = {};
  for (const w of watched) byStatus[w.status] = (byStatus[w.status] ?? 0) + 1;
  const oldestWatched = watched.map((w) => w.orderedAt!).sort()[0];
  const minutes = (watchedCount: number, orders: number, max: number): Figure => {
    const { planned: run, watched: w } = planOf(orders, watchedCount, now);
    const value = modeledMs(run, cainiaoRequestMs) / 60_000;
    return underBudget(
      {
        id: `manual_sync.modeled_minutes.${watchedCount}`,
        figure: `manual sync: modeled wall time, ${w.length} watched of ${orders} orders (${PAGE_LOAD_MS / 1000} s a page load + ${DEFAULT_PAUSE_MS / 1000} s pause; Cainiao ${round(cainiaoRequestMs + CAINIAO_ROUND_TRIP_MS, 0)} ms a request + ${CAINIAO_PAUSE_MS / 1000} s pause)`,
        value: round(value, 2),
        unit: 'min',
        shown: `${round(value, 1)} min (${detail(run)})`,
        details: {
          planned: run,
          pageLoadMs: PAGE_LOAD_MS,
          pauseMs: DEFAULT_PAUSE_MS,
          cainiaoRequestMs: { measuredHere: round(cainiaoRequestMs, 1), roundTripAllowance: CAINIAO_ROUND_TRIP_MS, pauseMs: CAINIAO_PAUSE_MS },
        },
      },
      max,
      `< ${max} min`,
    );
  };
  return [
    underBudget(
      {
        id: 'manual_sync.page_loads_ratio',
        figure: `manual sync: page loads, plan vs naive (${watched.length} watched of ${ORDERS} orders, ${ORDERS / PER_PAGE} list pages)`,
        value: round(ratio, 3),
        unit: 'ratio',
        shown: `${round(ratio, 2)} (${planned.steps} vs ${naive} loads: ${detail(planned)})`,
        details: {
          planned,
          naive: { listPages: ORDERS / PER_PAGE, trackingPages: watched.length, steps: naive },
          watchedByStatus: byStatus,
          oldestWatchedOrderedAt: oldestWatched,
          planComputeMs: round(planMs, 2),
        },
      },
      0.25,
      '≤ 0.25',
      true,
    ),
    minutes(100, ORDERS, 2),
    // A store selling 20 orders a day: 120 days of them.
    minutes(300, 2400, 5),
  ];
}
