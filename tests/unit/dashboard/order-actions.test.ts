import { describe, expect, it } from 'vitest';
import { availableActions, isReorderable, whereLeftEvents } from '../../../lib/dashboard/order-actions';
import type { OrderView } from '../../../lib/domain/api';

const ali = (status: OrderView['aliOrders'][number]['status']): OrderView['aliOrders'][number] => ({
  aliOrderId: '8000000000000001',
  supplier: 'S',
  status,
  paidAt: null,
  lastSeenAt: null,
  packages: [],
});

const order = (over: Partial<Pick<OrderView, 'state' | 'locked' | 'paid' | 'aliOrders'>>) => ({ state: 'awaiting_order' as const, locked: false, paid: true, aliOrders: [], ...over });

describe('which actions an order offers', () => {
  it('offers payment captured to a Pending order, placing to Awaiting order, fulfilment by hand before placing', () => {
    expect(availableActions(order({ state: 'pending', paid: false }))).toEqual(['payment_captured', 'fulfill_before_placing']);
    expect(availableActions(order({}))).toEqual(['place', 'placing_failed', 'fulfill_before_placing']);
  });

  it('offers fulfilment by hand after placing once AliExpress orders exist, and nothing on a locked order', () => {
    expect(availableActions(order({ state: 'awaiting_shipment', aliOrders: [ali('awaiting_shipment')] }))).toEqual(['fulfill_after_placing']);
    expect(availableActions(order({ state: 'fulfilled', locked: true }))).toEqual([]);
  });

  it('re-orders Failed orders and orders canceled on AliExpress, not those canceled on the store', () => {
    expect(isReorderable(order({ state: 'failed' }))).toBe(true);
    expect(isReorderable(order({ state: 'canceled', aliOrders: [ali('closed')] }))).toBe(true);
    expect(isReorderable(order({ state: 'canceled', aliOrders: [] }))).toBe(false);
    expect(isReorderable(order({ state: 'failed', locked: true }))).toBe(false);
  });
});

describe('where a delivered parcel was left', () => {
  it('marks the delivered event (by its code) and the seed\u2019s “left with” / “left at” wording', () => {
    const marked = whereLeftEvents([
      { at: '2026-07-10T10:00:00Z', text: 'Delivered, left at front door' },
      { at: '2026-07-10T09:00:00Z', text: 'Signed', code: 'AE_GTMS_SIGNED' },
      { at: '2026-07-09T09:00:00Z', text: 'Out for delivery', code: 'AE_GTMS_DELIVERING' },
      { at: '2026-07-08T09:00:00Z', text: 'Left with individual' },
    ]);
    expect([...marked]).toEqual([0, 1, 3]);
  });
});
