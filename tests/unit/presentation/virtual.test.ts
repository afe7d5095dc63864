import { describe, expect, it } from 'vitest';
import { storeEntries } from '../../../lib/presentation/order-list';
import { HEAD_PX, LINE_PX, ROW_PADDING_PX, bodyLines, rowOffsets, visibleRange } from '../../../lib/presentation/virtual';
import { NOW, ali, order, pkg } from './orders';

describe('virtual list arithmetic', () => {
  it('a row is as tall as its lines: head, AliExpress orders, packages and their last events', () => {
    const [entry] = storeEntries([order({ aliOrders: [ali({ packages: [pkg(), pkg({ trackingNumber: 'B', lastEventAt: null })] })] })], NOW);
    expect(bodyLines(entry!)).toBe(1 + 2 + 1);
    const [unplaced] = storeEntries([order({ state: 'awaiting_order' })], NOW);
    expect(bodyLines(unplaced!)).toBe(1);
    expect(ROW_PADDING_PX + HEAD_PX + LINE_PX).toBeGreaterThan(0);
  });

  it('finds the rows in view with a margin, in 5,000 rows', () => {
    const offsets = rowOffsets(Array.from({ length: 5000 }, () => 100));
    expect(offsets[5000]).toBe(500_000);
    expect(visibleRange(offsets, 0, 500, 0)).toEqual({ start: 0, end: 5 });
    expect(visibleRange(offsets, 250_050, 500, 200)).toEqual({ start: 2498, end: 2508 });
    expect(visibleRange(offsets, 499_900, 500, 0)).toEqual({ start: 4999, end: 5000 });
    expect(visibleRange(rowOffsets([]), 0, 500, 0)).toEqual({ start: 0, end: 0 });
  });
});
