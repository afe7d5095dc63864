import { describe, expect, it } from 'vitest';
import { BADGE_ABNORMAL, BADGE_ATTENTION, badgeFor } from '../../../lib/background/badge';
import { newlyFlagged } from '../../../lib/background/notifications';
import { DAY, NOW, ago, ali, order, pkg } from './orders';

const abnormal = order({ id: 'a', aliOrders: [ali({ packages: [pkg({ trackingStatus: 'abnormal' })] })] });
const noTracking = order({ id: 'b', state: 'awaiting_shipment', aliOrders: [ali({ status: 'awaiting_shipment', paidAt: ago(8 * DAY) })] });
const fine = order({ id: 'c', aliOrders: [ali({ packages: [pkg()] })] });

describe('toolbar badge', () => {
  it('counts the orders needing action, red when one is abnormal', () => {
    expect(badgeFor([abnormal, noTracking, fine], NOW)).toEqual({ text: '2', color: BADGE_ABNORMAL });
    expect(badgeFor([noTracking, fine], NOW)).toEqual({ text: '1', color: BADGE_ATTENTION });
    expect(badgeFor([fine], NOW).text).toBe('');
  });
});

describe('notifications', () => {
  it('the first look only takes stock', () => {
    expect(newlyFlagged(null, [abnormal], NOW)).toEqual({ turned: [], current: { a: ['abnormal'] } });
  });
  it('an order announces each flag once, when it gains it', () => {
    const { turned, current } = newlyFlagged({ a: ['abnormal'] }, [abnormal, noTracking, fine], NOW);
    expect(turned.map((o) => o.id)).toEqual(['b']);
    expect(current).toEqual({ a: ['abnormal'], b: ['attention'] });
    expect(newlyFlagged(current, [abnormal, noTracking], NOW).turned).toEqual([]);
  });
});
