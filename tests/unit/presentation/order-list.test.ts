import { describe, expect, it } from 'vitest';
import type { CachedAliOrder } from '../../../lib/cache/db';
import { capturedEntries, initialTab, normalizeQuery, selectEntries, storeEntries, tabCounts, visibleTabs } from '../../../lib/presentation/order-list';
import { DAY, NOW, ago, ali, order, pkg } from './orders';

const orders = [
  order({ id: '9', storeOrderNumber: '#999', state: 'awaiting_shipment', aliOrders: [ali({ aliOrderId: '8200000000000999', status: 'awaiting_shipment', paidAt: ago(9 * DAY) })] }),
  order({ id: '10', storeOrderNumber: '#1000', aliOrders: [ali({ aliOrderId: '8200000000001000', packages: [pkg({ trackingNumber: 'LP00ABC', trackingStatus: 'abnormal' })] })] }),
  order({ id: '11', storeOrderNumber: '#1001', aliOrders: [ali({ aliOrderId: '8200000000001001', packages: [pkg({ trackingNumber: 'YT123' })] })] }),
];
const captured: CachedAliOrder[] = [
  { aliOrderId: '8200000000000001', order: { aliOrderId: '8200000000000001', status: 'shipped', packages: [] } },
  { aliOrderId: '8200000000001001', order: { aliOrderId: '8200000000001001', status: 'shipped', packages: [] } },
];
const seenADayAgo = () => ago(DAY);

const stores = storeEntries(orders, NOW);
const unlinked = capturedEntries(captured, new Set(orders.flatMap((o) => o.aliOrderIds)), seenADayAgo);
const find = (q: string) => selectEntries(stores, unlinked, 'all', q).map((e) => e.key);

describe('the popup list', () => {
  it('sorts store orders newest first by number, numerically', () => {
    expect(stores.map((e) => e.order.storeOrderNumber)).toEqual(['#1001', '#1000', '#999']);
  });

  it('lists orders unknown to the backend most recently seen first, with when they were seen', () => {
    const seen: Record<string, string> = { '8200000000000001': ago(2 * DAY), '8200000000000002': ago(DAY) };
    const more = [...captured, { aliOrderId: '8200000000000002', order: { aliOrderId: '8200000000000002', status: 'shipped' as const, packages: [] } }];
    const entries = capturedEntries(more, new Set(['8200000000001001']), (id) => seen[id]);
    expect(entries.map((e) => [e.key, e.seenAt])).toEqual([
      ['c:8200000000000002', ago(DAY)],
      ['c:8200000000000001', ago(2 * DAY)],
    ]);
  });

  it('counts every tab and opens on Needs action when something needs it', () => {
    const counts = tabCounts(stores, unlinked);
    expect(counts).toMatchObject({ needs_action: 2, all: 4, fulfilled: 2, awaiting_shipment: 1, unlinked: 1, canceled: 0 });
    expect(initialTab(counts)).toBe('needs_action');
    expect(visibleTabs(counts)).toEqual(['needs_action', 'all', 'awaiting_payment', 'awaiting_shipment', 'awaiting_fulfillment', 'fulfilled', 'canceled', 'failed', 'unlinked']);
    expect(initialTab(tabCounts([], []))).toBe('all');
  });

  it('Needs action is worst first; a state tab holds its state only', () => {
    expect(selectEntries(stores, unlinked, 'needs_action', '').map((e) => e.key)).toEqual(['s:10', 's:9']);
    expect(selectEntries(stores, unlinked, 'awaiting_shipment', '').map((e) => e.key)).toEqual(['s:9']);
    expect(selectEntries(stores, unlinked, 'all', '').map((e) => e.key)).toEqual(['s:11', 's:10', 's:9', 'c:8200000000000001']);
  });

  it('finds by store order number, AliExpress order id or tracking number, whatever the case or a "#"', () => {
    expect(find('#1001')).toEqual(['s:11']);
    expect(find(' 999 ')).toEqual(['s:9']);
    expect(find('8200000000001000')).toEqual(['s:10']);
    expect(find('lp00abc')).toEqual(['s:10']);
    expect(find('8200000000000001')).toEqual(['c:8200000000000001']);
    expect(find('nothing')).toEqual([]);
    expect(normalizeQuery('  #AbC ')).toBe('abc');
  });
});
