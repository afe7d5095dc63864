import { describe, expect, it } from 'vitest';
import { foldAliOrderRead, type KnownAliOrder } from '../../../lib/domain/ali-order-fold';
import type { AliOrder, Package } from '../../../lib/domain/snapshot';

const ID = '8214398062177351';
const pkg = (trackingNumber: string, trackingStatus: Package['trackingStatus'], eventAt?: string, carrier?: string): Package => ({
  trackingNumber,
  trackingStatus,
  events: eventAt ? [{ at: eventAt, text: 'scan' }] : [],
  ...(carrier && { carrier }),
});
const read = (status: AliOrder['status'], packages: Package[] = [], more: Partial<AliOrder> = {}): AliOrder => ({ aliOrderId: ID, status, packages, ...more });

/** Folds reads in the order they arrive, each with its capture time. */
function foldAll(reads: [AliOrder, string][]): KnownAliOrder | undefined {
  let known: KnownAliOrder | undefined;
  for (const [order, at] of reads) known = foldAliOrderRead(known, order, at).known;
  return known;
}

describe('folding a page read into a known AliExpress order', () => {
  it('the newest capture wins the status and fields, whatever order the reads arrive in', () => {
    const known = foldAll([
      [read('completed', [], { statusText: 'Completed' }), '2026-11-22T10:05:00.000Z'],
      [read('shipped', [], { statusText: 'Shipped', storeName: 'LIMA Store' }), '2026-11-22T10:00:00.000Z'],
    ]);
    expect(known?.order).toEqual(read('completed', [], { statusText: 'Completed' }));
    expect(known?.readAt).toBe('2026-11-22T10:05:00.000Z');
  });

  it('an unknown status never replaces a known one; a field the page does not show keeps its value', () => {
    const known = foldAll([
      [read('shipped', [], { paidAt: '2026-11-20' }), '2026-11-22T10:00:00.000Z'],
      [read('unknown', [], { statusText: 'Something new' }), '2026-11-22T10:05:00.000Z'],
    ]);
    expect(known?.order).toEqual(read('shipped', [], { paidAt: '2026-11-20', statusText: 'Something new' }));
  });

  it('packages are only added or refreshed, and a package read older than its last read is ignored', () => {
    const first = foldAll([[read('shipped', [pkg('A1', 'in_transit', '2026-11-22T08:00:00.000Z', 'Cainiao')]), '2026-11-22T10:05:00.000Z']]);
    const late = foldAliOrderRead(first, read('shipped', [pkg('A1', 'pending'), pkg('B2', 'pending')]), '2026-11-22T10:00:00.000Z');
    expect(late.known.order.packages).toEqual([pkg('A1', 'in_transit', '2026-11-22T08:00:00.000Z', 'Cainiao'), pkg('B2', 'pending')]);
    expect(late.packages.map((p) => [p.pkg.trackingNumber, p.added])).toEqual([['B2', true]]);
    const list = foldAliOrderRead(late.known, read('completed'), '2026-11-22T11:00:00.000Z');
    expect(list.known.order.packages).toHaveLength(2);
    const newer = foldAliOrderRead(list.known, read('completed', [pkg('A1', 'delivered', '2026-11-22T11:30:00.000Z')]), '2026-11-22T12:00:00.000Z');
    // The carrier an earlier read named stays.
    expect(newer.packages).toEqual([
      { pkg: pkg('A1', 'delivered', '2026-11-22T11:30:00.000Z', 'Cainiao'), added: false, lastEventAt: '2026-11-22T11:30:00.000Z', firstEventAt: '2026-11-22T11:30:00.000Z' },
    ]);
  });

  it('says whether the merchant would see a change', () => {
    const known = foldAll([[read('shipped', [pkg('A1', 'in_transit', '2026-11-22T08:00:00.000Z')]), '2026-11-22T10:00:00.000Z']]);
    expect(foldAliOrderRead(known, read('shipped', [pkg('A1', 'in_transit', '2026-11-22T08:00:00.000Z')]), '2026-11-22T10:05:00.000Z').changed).toBe(false);
    expect(foldAliOrderRead(known, read('shipped', [pkg('A1', 'in_transit', '2026-11-22T09:00:00.000Z')]), '2026-11-22T10:05:00.000Z').changed).toBe(true);
    expect(foldAliOrderRead(known, read('completed'), '2026-11-22T10:05:00.000Z')).toMatchObject({ changed: true, tookOrder: true, status: 'completed' });
    expect(foldAliOrderRead(known, read('completed'), '2026-11-22T09:55:00.000Z')).toMatchObject({ changed: false, tookOrder: false, status: 'shipped' });
  });

  it("compares a package the holder keeps only by its newest event time (the backend's rows) as one it keeps whole", () => {
    // The backend holds a package's status and newest event time, not its events.
    const rows: KnownAliOrder = {
      order: read('shipped', [{ trackingNumber: 'A1', trackingStatus: 'in_transit', events: [] }]),
      readAt: '2026-11-22T10:00:00.000Z',
      packageReadAt: { A1: '2026-11-22T10:00:00.000Z' },
      packageLastEventAt: { A1: '2026-11-22T08:00:00.000Z' },
    };
    const again = foldAliOrderRead(rows, read('shipped', [pkg('A1', 'in_transit', '2026-11-22T08:00:00.000Z')]), '2026-11-22T10:05:00.000Z');
    expect(again.changed).toBe(false);
    expect(again.known.packageLastEventAt).toEqual({ A1: '2026-11-22T08:00:00.000Z' });
    const newer = foldAliOrderRead(rows, read('shipped', [pkg('A1', 'in_transit', '2026-11-22T09:00:00.000Z')]), '2026-11-22T10:05:00.000Z');
    expect(newer.changed).toBe(true);
    expect(newer.packages).toMatchObject([{ lastEventAt: '2026-11-22T09:00:00.000Z', added: false }]);
  });
});
