import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderFlags } from '../../../lib/domain/order-flags';
import { ACTION_FLAGS, alertingFlags, needsAction, orderReasons, type ReasonKind } from '../../../lib/presentation/needs-action';
import { DAY, HOUR, NOW, ago, ali, order, pkg } from './orders';

describe('orderReasons', () => {
  it('says why, worst first: a confirmed failure before silence before a slow pickup', () => {
    const o = order({
      aliOrders: [
        ali({ aliOrderId: '8200000000000001', packages: [pkg({ trackingNumber: 'A', trackingStatus: 'pending', lastEventAt: ago(8 * DAY), firstEventAt: ago(8 * DAY) })] }),
        ali({ aliOrderId: '8200000000000002', packages: [pkg({ trackingNumber: 'B', trackingStatus: 'abnormal', lastEventAt: ago(DAY) })] }),
      ],
    });
    expect(orderReasons(o, NOW).map((r) => [r.kind, r.trackingNumber])).toEqual([
      ['abnormal', 'B'],
      ['silent', 'A'],
      ['pending_too_long', 'A'],
    ]);
  });

  it('no tracking number 7+ days after payment, since the payment', () => {
    const reasons = orderReasons(order({ state: 'awaiting_shipment', aliOrders: [ali({ status: 'awaiting_shipment', paidAt: ago(9 * DAY) })] }), NOW);
    expect(reasons).toEqual([{ kind: 'no_tracking', aliOrderId: '8200000000000001', since: ago(9 * DAY) }]);
    expect(needsAction(reasons)).toBe(true);
  });

  it('the oldest of two equally bad problems comes first', () => {
    const o = order({
      aliOrders: [
        ali({ packages: [pkg({ trackingNumber: 'new', lastEventAt: ago(3 * DAY) }), pkg({ trackingNumber: 'old', lastEventAt: ago(5 * DAY) })] }),
      ],
    });
    expect(orderReasons(o, NOW).map((r) => r.trackingNumber)).toEqual(['old', 'new']);
  });

  it('a 4-7 day pending package is a hint, not an action', () => {
    const o = order({ aliOrders: [ali({ packages: [pkg({ trackingStatus: 'pending', lastEventAt: ago(HOUR), firstEventAt: ago(5 * DAY) })] })] });
    const reasons = orderReasons(o, NOW);
    expect(reasons.map((r) => r.kind)).toEqual(['contact_supplier']);
    expect(needsAction(reasons)).toBe(false);
  });

  it('locked and healthy orders have no reasons', () => {
    const silent = ali({ packages: [pkg({ lastEventAt: ago(5 * DAY) })] });
    expect(orderReasons(order({ locked: true, fulfillmentMode: 'manual_after_placing', aliOrders: [silent] }), NOW)).toEqual([]);
    expect(orderReasons(order({ aliOrders: [ali({ packages: [pkg()] })] }), NOW)).toEqual([]);
  });

  // The popup, the badge and the backend must agree on which orders are flagged.
  it('maps one to one onto the shared orderFlags, for any order', () => {
    const time = fc.integer({ min: 0, max: 20 * 24 }).map((h) => ago(h * HOUR));
    const pkgArb = fc.record({
      trackingNumber: fc.string({ minLength: 1, maxLength: 4 }),
      carrier: fc.constant(null),
      trackingStatus: fc.constantFrom('pending', 'in_transit', 'delivered', 'abnormal' as const),
      lastEventAt: fc.option(time, { nil: null }),
      firstEventAt: fc.option(time, { nil: null }),
      firstSeenAt: fc.option(time, { nil: null }),
    });
    const aliArb = fc.record({
      aliOrderId: fc.constant('8200000000000001'),
      supplier: fc.constant(null),
      status: fc.constantFrom('awaiting_payment', 'awaiting_shipment', 'partially_shipped', 'shipped', 'completed', 'closed', 'dispute', 'unknown' as const),
      paidAt: fc.option(time, { nil: null }),
      lastSeenAt: fc.constant(null),
      packages: fc.array(pkgArb, { maxLength: 3 }),
    });
    const toFlag: Record<ReasonKind, string> = { abnormal: 'abnormal', no_tracking: 'attention', silent: 'attention', pending_too_long: 'pending_too_long', contact_supplier: 'contact_supplier', partially_canceled: 'partially_canceled' };
    fc.assert(
      fc.property(fc.boolean(), fc.array(aliArb, { maxLength: 3 }), (locked, aliOrders) => {
        const o = order({ locked, aliOrders });
        const fromReasons = new Set(orderReasons(o, NOW).map((r) => toFlag[r.kind]));
        const flags = orderFlags(o, NOW);
        expect([...fromReasons].sort()).toEqual([...flags].sort());
        expect(needsAction(orderReasons(o, NOW))).toBe(flags.some((f) => ACTION_FLAGS.has(f)));
        expect(alertingFlags(o, NOW)).toEqual(flags.filter((f) => f === 'abnormal' || f === 'attention'));
      }),
    );
  });
});
