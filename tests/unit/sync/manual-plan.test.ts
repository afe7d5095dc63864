import { describe, expect, it } from 'vitest';
import { aliOrderStatusSchema, type Snapshot } from '../../../lib/domain/snapshot';
import { watchNeeds } from '../../../lib/domain/watchlist';
import { afterCainiao, afterDetailPage, afterListPage, afterTrackingPage, newPlan, nextStep, trackingTargets, type WatchedOrder } from '../../../lib/sync/manual-plan';

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
