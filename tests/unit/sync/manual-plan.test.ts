import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readOrderListJson } from '../../../lib/aliexpress/order-list';
import { aliOrderStatusSchema, type Snapshot } from '../../../lib/domain/snapshot';
import { watchNeeds } from '../../../lib/domain/watchlist';
import { afterCainiao, afterDetailPage, afterListPage, afterTabMissing, afterTrackingPage, newPlan, nextStep, trackingTargets, type WatchedOrder } from '../../../lib/sync/manual-plan';

const watched = (aliOrderId: string, over: Partial<WatchedOrder> = {}): WatchedOrder => ({
  aliOrderId,
  status: 'awaiting_shipment',
  trackingNumbers: [],
  needs: ['status'],
  ...over,
});

const listPage = (orders: [string, Snapshot['orders'][number]['status'], string?][]): Snapshot => ({
  kind: 'order_list',
  url: 'https://www.aliexpress.com/p/order/index.html',
  capturedAt: '2026-11-22T10:00:00.000Z',
  warnings: [],
  orders: orders.map(([aliOrderId, status, orderedAt]) => ({ aliOrderId, status, packages: [], ...(orderedAt && { orderedAt }) })),
});

const shipped = (n: number, numbers: string[]) => watched(String(1_000_000_000_000_000 + n), { status: 'shipped', trackingNumbers: numbers, needs: ['fresh_events'] });

describe('the manual sync plan', () => {
  it('loads nothing at all when the backend watches no order', () => {
    expect(nextStep(newPlan([]))).toEqual({ kind: 'done' });
  });

  it('pages the list until every watched order that needs a status was seen', () => {
    let plan = newPlan([watched('1000000000000001'), watched('1000000000000002')]);
    expect(nextStep(plan)).toEqual({ kind: 'list_first_page' });
    plan = afterListPage(plan, listPage([['1000000000000001', 'awaiting_shipment']]));
    expect(nextStep(plan)).toEqual({ kind: 'list_next_page' });
    plan = afterListPage(plan, listPage([['1000000000000002', 'awaiting_shipment']]));
    expect(nextStep(plan)).toEqual({ kind: 'done' });
    expect(plan.listPagesLoaded).toBe(2);
  });

  it('stops paging when the list has no more pages, and reads the order page of a watched order it did not show', () => {
    let plan = newPlan([watched('1000000000000001')]);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed']]));
    plan = afterListPage(plan, undefined);
    expect(nextStep(plan)).toEqual({ kind: 'detail', aliOrderId: '1000000000000001' });
    plan = afterDetailPage(plan, '1000000000000001', listPage([['1000000000000001', 'awaiting_shipment']]));
    expect(plan.seen['1000000000000001']).toBe('awaiting_shipment');
    expect(nextStep(plan)).toEqual({ kind: 'done' });
  });

  it('stops paging once the list is older than every unseen watched order', () => {
    let plan = newPlan([watched('1000000000000001', { orderedAt: '2026-09-01' })]);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed', '2026-08-15']]));
    expect(plan.lists.at(-1)?.done).toBe(true);
    expect(nextStep(plan)).toEqual({ kind: 'detail', aliOrderId: '1000000000000001' });
    // An order page that shows no status is not read again.
    plan = afterDetailPage(plan, '1000000000000001', undefined);
    expect(nextStep(plan)).toEqual({ kind: 'done' });
  });

  it('reads the order pages of a few old watched orders instead of paging on to them', () => {
    // Ten days a page; two watched orders 60 and 90 days back: 6 and 9 more pages, or 2 order pages.
    let plan = newPlan([watched('1000000000000001', { orderedAt: '2026-09-01' }), watched('1000000000000002', { orderedAt: '2026-08-02' }), watched('1000000000000003', { orderedAt: '2026-10-30' })]);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed', '2026-11-10'], ['1000000000000003', 'shipped', '2026-10-31']]));
    expect(plan.lists.at(-1)?.done).toBe(true);
    expect(nextStep(plan)).toEqual({ kind: 'detail', aliOrderId: '1000000000000001' });
  });

  it('pages on while the next pages hold more of the unseen watched orders than they cost', () => {
    const near = ['1000000000000001', '1000000000000002', '1000000000000003'].map((id) => watched(id, { orderedAt: '2026-10-28' }));
    let plan = newPlan(near);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed', '2026-11-10'], ['1000000000000008', 'completed', '2026-10-31']]));
    expect(nextStep(plan)).toEqual({ kind: 'list_next_page' });
  });

  it('keeps paging for an unseen order whose date is unknown', () => {
    let plan = newPlan([watched('1000000000000001')]);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed', '2026-08-15']]));
    expect(nextStep(plan)).toEqual({ kind: 'list_next_page' });
  });

  it('refreshes every known number of the watched shipped orders through Cainiao, then opens a tracking page only where no number is known', () => {
    let plan = newPlan([
      watched('1000000000000001'),
      watched('1000000000000002'),
      watched('1000000000000003', { status: 'shipped', trackingNumbers: ['LP1'], needs: ['fresh_events'] }),
      watched('1000000000000004', { status: 'shipped', trackingNumbers: ['LP2'], needs: ['status'] }),
    ]);
    plan = afterListPage(
      plan,
      listPage([
        ['1000000000000001', 'shipped'],
        ['1000000000000002', 'awaiting_shipment'],
        ['1000000000000004', 'shipped'],
      ]),
    );
    // 1 shipped during the list pass, number unknown: its page. 2 has not shipped. 3 and 4: Cainiao.
    expect(nextStep(plan)).toEqual({ kind: 'cainiao', trackingNumbers: ['LP1', 'LP2'] });
    plan = afterCainiao(plan, ['LP1', 'LP2'], []);
    expect(trackingTargets(plan)).toEqual(['1000000000000001']);
    expect(nextStep(plan)).toEqual({ kind: 'tracking', aliOrderId: '1000000000000001' });
    plan = afterTrackingPage(plan, '1000000000000001');
    expect(nextStep(plan)).toEqual({ kind: 'done' });
  });

  it('loads no list page when no watched order needs its status', () => {
    const plan = newPlan([watched('1000000000000003', { status: 'shipped', trackingNumbers: ['LP1'], needs: ['fresh_events'] })]);
    expect(nextStep(plan)).toEqual({ kind: 'cainiao', trackingNumbers: ['LP1'] });
  });

  it('asks Cainiao in batches, and reads the tracking page of an order whose number Cainiao cannot serve or did not answer for', () => {
    let plan = newPlan([shipped(1, ['A']), shipped(2, ['B', 'C']), shipped(3, ['D']), shipped(4, ['EXT'])], { unserved: ['EXT', 'NOT-WATCHED'], cainiaoBatch: 2 });
    expect(nextStep(plan)).toEqual({ kind: 'cainiao', trackingNumbers: ['A', 'B'] });
    plan = afterCainiao(plan, ['A', 'B'], []);
    expect(nextStep(plan)).toEqual({ kind: 'cainiao', trackingNumbers: ['C', 'D'] });
    // Cainiao refused: neither C nor D was refreshed.
    plan = afterCainiao(plan, ['C', 'D'], ['C', 'D']);
    expect(trackingTargets(plan)).toEqual(['1000000000000002', '1000000000000003', '1000000000000004']);
    expect(plan.cainiaoMissed).toEqual(['EXT', 'C', 'D']);
  });
});

/** The real list header's tabs, as the reader takes them from the real capture. */
const TABS = readOrderListJson(JSON.parse(readFileSync('tests/fixtures/aliexpress-real/mtop-order-list-page1.json', 'utf8'))).list?.tabs ?? [];
const withTabs = (snapshot: Snapshot, tab: string, tabs = TABS): Snapshot => ({ ...snapshot, list: { tab, tabs } });
const id = (n: number) => String(1_000_000_000_000_000 + n);

// The all-tab's first page: ten orders over ten days, none of them watched.
const firstPage = (tabs = TABS) =>
  withTabs(listPage(Array.from({ length: 10 }, (_, i) => [id(900 + i), 'completed', `2026-11-${String(20 - i).padStart(2, '0')}`] as [string, 'completed', string])), 'all', tabs);

describe('the manual sync plan, by tab', () => {
  it('clicks the tab that lists the watched orders awaiting shipment instead of paging the all-tab on to them, by the title the page gave it', () => {
    // Three orders awaiting shipment, 30 to 60 days back: 3 to 6 more all-tab pages, or 3 order pages, or one page of the tab.
    const deep = [watched(id(1), { orderedAt: '2026-10-12' }), watched(id(2), { orderedAt: '2026-09-25' }), watched(id(3), { orderedAt: '2026-09-12' })];
    let plan = newPlan(deep);
    plan = afterListPage(plan, firstPage(), 'all');
    expect(nextStep(plan)).toEqual({ kind: 'list_tab', code: 'processing', title: 'Processing' });
    plan = afterListPage(plan, withTabs(listPage(deep.map((w) => [w.aliOrderId, 'awaiting_shipment', w.orderedAt])), 'processing'), 'processing');
    expect(nextStep(plan)).toEqual({ kind: 'done' });
    expect(plan.listPagesLoaded).toBe(2);
  });

  it("takes the tab's title from the page, in the page's language", () => {
    const localized = TABS.map((t) => ({ ...t, title: `[es] ${t.code}` }));
    let plan = newPlan([watched(id(1), { orderedAt: '2026-10-12' }), watched(id(2), { orderedAt: '2026-09-25' })]);
    plan = afterListPage(plan, firstPage(localized), 'all');
    expect(nextStep(plan)).toEqual({ kind: 'list_tab', code: 'processing', title: '[es] processing' });
  });

  it('reads the all-tab when it reaches the watched orders in as few pages (no tab for its own sake)', () => {
    const near = [id(1), id(2), id(3)].map((n) => watched(n, { orderedAt: '2026-11-09' }));
    let plan = newPlan(near);
    plan = afterListPage(plan, firstPage(), 'all');
    expect(nextStep(plan)).toEqual({ kind: 'list_next_page' });
  });

  it("reads a tab for watched orders the all-tab showed without deciding their status (a language whose texts no source has)", () => {
    const unread = [watched(id(1), { orderedAt: '2026-11-19' }), watched(id(2), { orderedAt: '2026-11-18' })];
    let plan = newPlan(unread);
    const page = withTabs(listPage([[id(1), 'unknown', '2026-11-19'], [id(2), 'unknown', '2026-11-18'], [id(9), 'completed', '2026-11-01']]), 'all');
    plan = afterListPage(plan, page, 'all');
    expect(nextStep(plan)).toEqual({ kind: 'list_tab', code: 'processing', title: 'Processing' });
    plan = afterListPage(plan, withTabs(listPage([[id(1), 'awaiting_shipment', '2026-11-19'], [id(2), 'awaiting_shipment', '2026-11-18']]), 'processing'), 'processing');
    expect(plan.seen).toEqual({ [id(1)]: 'awaiting_shipment', [id(2)]: 'awaiting_shipment', [id(9)]: 'completed' });
    expect(nextStep(plan)).toEqual({ kind: 'done' });
  });

  it('reads the order page of a watched order the tab did not list (it moved on), and never a tab for disputes', () => {
    const orders = [watched(id(1), { orderedAt: '2026-10-12' }), watched(id(2), { orderedAt: '2026-09-25' }), watched(id(3), { status: 'dispute', orderedAt: '2026-08-01' })];
    let plan = newPlan(orders);
    plan = afterListPage(plan, firstPage(), 'all');
    expect(nextStep(plan)).toEqual({ kind: 'list_tab', code: 'processing', title: 'Processing' });
    // The tab's only page lists order 2; order 1 has shipped since.
    plan = afterListPage(plan, withTabs(listPage([[id(2), 'awaiting_shipment', '2026-09-25']]), 'processing'), 'processing');
    plan = afterListPage(plan, undefined);
    expect(nextStep(plan)).toEqual({ kind: 'detail', aliOrderId: id(1) });
    plan = afterDetailPage(plan, id(1), listPage([[id(1), 'shipped']]));
    expect(nextStep(plan)).toEqual({ kind: 'detail', aliOrderId: id(3) });
  });

  it('falls back to the all-tab when the page shows no such tab, and says so', () => {
    const deep = [watched(id(1), { orderedAt: '2026-10-12' }), watched(id(2), { orderedAt: '2026-09-25' }), watched(id(3), { orderedAt: '2026-09-12' })];
    let plan = afterListPage(newPlan(deep), firstPage(), 'all');
    expect(nextStep(plan)).toMatchObject({ kind: 'list_tab', code: 'processing' });
    plan = afterTabMissing(plan, 'processing');
    expect(plan.warnings).toEqual([{ kind: 'tab_not_found', code: 'processing', title: 'Processing' }]);
    // The all-tab again, as it would have been read without tabs: further pages or the order pages.
    expect(['list_next_page', 'detail']).toContain(nextStep(plan).kind);
    expect(nextStep(plan).kind).not.toBe('list_tab');
  });

  it('goes back to the all-tab from another tab when a second tab is not found', () => {
    const orders = [watched(id(1), { orderedAt: '2026-10-12' }), watched(id(2), { orderedAt: '2026-09-25' }), watched(id(3), { status: 'awaiting_payment', orderedAt: '2026-09-20' }), watched(id(4), { status: 'awaiting_payment', orderedAt: '2026-09-10' })];
    let plan = afterListPage(newPlan(orders), firstPage(), 'all');
    const first = nextStep(plan);
    expect(first).toMatchObject({ kind: 'list_tab' });
    const code = first.kind === 'list_tab' ? first.code : '';
    const listed = orders.filter((w) => (code === 'processing' ? w.status === 'awaiting_shipment' : w.status === 'awaiting_payment'));
    plan = afterListPage(plan, withTabs(listPage(listed.map((w) => [w.aliOrderId, w.status, w.orderedAt])), code), code);
    plan = afterListPage(plan, undefined);
    const second = nextStep(plan);
    expect(second).toMatchObject({ kind: 'list_tab' });
    plan = afterTabMissing(plan, second.kind === 'list_tab' ? second.code : '');
    expect(nextStep(plan)).toEqual({ kind: 'list_first_page' });
  });
});

describe('the plan and the watchlist', () => {
  it('agree on which statuses have parcels: a disputed order without tracking gets no tracking page the backend did not ask for', () => {
    const now = new Date('2026-11-22T10:00:00.000Z');
    for (const status of aliOrderStatusSchema.options) {
      const needs = watchNeeds({ locked: false, status, lastSeenAt: now.toISOString(), retrackRequestedAt: null, packages: [] }, now);
      const plan = afterListPage(newPlan([watched('1000000000000001', { status, needs })]), listPage([['1000000000000001', status]]));
      expect({ status, tracking: trackingTargets(plan).length > 0 }).toEqual({ status, tracking: needs.includes('tracking_number') });
    }
  });
});
