import { describe, expect, it } from 'vitest';
import { aliOrderStatusSchema, type Snapshot } from '../../../lib/domain/snapshot';
import { watchNeeds } from '../../../lib/domain/watchlist';
import { afterListPage, afterTrackingPage, newPlan, nextStep, trackingTargets, type WatchedOrder } from '../../../lib/sync/manual-plan';

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

  it('stops paging when the list has no more pages, even with watched orders unseen', () => {
    let plan = newPlan([watched('1000000000000001')]);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed']]));
    plan = afterListPage(plan, undefined);
    expect(nextStep(plan)).toEqual({ kind: 'done' });
  });

  it('stops paging once the list is older than every unseen watched order', () => {
    let plan = newPlan([watched('1000000000000001', { orderedAt: '2026-09-01' })]);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed', '2026-08-15']]));
    expect(plan.listDone).toBe(true);
    expect(nextStep(plan)).toEqual({ kind: 'done' });
  });

  it('keeps paging for an unseen order whose date is unknown', () => {
    let plan = newPlan([watched('1000000000000001')]);
    plan = afterListPage(plan, listPage([['1000000000000009', 'completed', '2026-08-15']]));
    expect(nextStep(plan)).toEqual({ kind: 'list_next_page' });
  });

  it('opens one tracking page per watched order that shipped without a tracking number, or whose events are stale', () => {
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
    // 1 shipped during the list pass; 2 has not shipped; 3 needs fresh events; 4 has its number.
    expect(trackingTargets(plan)).toEqual(['1000000000000001', '1000000000000003']);
    expect(nextStep(plan)).toEqual({ kind: 'tracking', aliOrderId: '1000000000000001' });
    plan = afterTrackingPage(plan, '1000000000000001');
    expect(nextStep(plan)).toEqual({ kind: 'tracking', aliOrderId: '1000000000000003' });
    plan = afterTrackingPage(plan, '1000000000000003');
    expect(nextStep(plan)).toEqual({ kind: 'done' });
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
