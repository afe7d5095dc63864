/**
 * The SQL that narrows the orders worth the flag rules (server/flag-candidates.ts) never leaves out
 * one the rules flag: over orders on each side of every threshold, the narrowed lists of
 * Abnormal, Attention and Pending too long, and Needs action's count, are what the rules alone say.
 */
import { describe, expect, it } from 'vitest';
import type { OrderView } from '../../lib/domain/api';
import { HOUR_MS } from '../../lib/domain/order-flags';
import type { AliOrder, TrackingStatus } from '../../lib/domain/snapshot';
import { aliOrder, backendWithMerchant, DATABASES, newAliOrderId, newKey, pkg, placedOrder, snapshot, type TestBackend } from './helpers';

const STATUSES: TrackingStatus[] = ['pending', 'in_transit', 'pickup', 'delivered', 'abnormal'];
/** Hours ago, on each side of 48 hours, 4 days and 7 days. */
const AGES = [1, 47, 49, 95, 97, 167, 169, 240];
const idsOf = (orders: OrderView[]) => orders.map((o) => o.id).sort();

describe.each(DATABASES)('narrowing the flagged orders on %s', (kind) => {
  let b: TestBackend;
  let token: string;
  backendWithMerchant(kind, import.meta.filename, (backend, merchantToken) => {
    b = backend;
    token = merchantToken;
  });

  it('lists and counts exactly the orders the flag rules flag', async () => {
    const ago = (hours: number) => new Date(b.clock.now().getTime() - hours * HOUR_MS).toISOString();
    const reads: { capturedAt: string; orders: (ali: string[]) => AliOrder[]; count?: number }[] = [];
    let n = 0;
    const number = () => `LP${String(++n).padStart(8, '0')}`;
    for (const status of STATUSES) for (const hours of AGES) reads.push({ capturedAt: ago(0), orders: ([a]) => [aliOrder(a!, 'shipped', { packages: [pkg(number(), status, [ago(hours)])] })] });
    // No carrier event yet: the rules count from when the number was first seen.
    for (const status of ['pending', 'in_transit'] as const) for (const hours of [1, 49, 169]) reads.push({ capturedAt: ago(hours), orders: ([a]) => [aliOrder(a!, 'shipped', { packages: [pkg(number(), status)] })] });
    // No tracking number, paid on each side of 7 days; canceled ones never get one.
    for (const hours of [150, 180]) reads.push({ capturedAt: ago(0), orders: ([a]) => [aliOrder(a!, 'awaiting_shipment', { paidAt: ago(hours) })] });
    reads.push({ capturedAt: ago(0), orders: ([a]) => [aliOrder(a!, 'closed', { paidAt: ago(180) })] });
    // Split over two suppliers, one canceled: the live one still decides.
    reads.push({ capturedAt: ago(0), count: 2, orders: ([a, c]) => [aliOrder(a!, 'closed', { paidAt: ago(180) }), aliOrder(c!, 'shipped', { packages: [pkg(number(), 'pending', [ago(200)])] })] });
    for (const read of reads) {
      const ids = Array.from({ length: read.count ?? 1 }, () => newAliOrderId());
      await placedOrder(b, token, ids);
      const sync = await b.call(token, '/v1/sync', { body: { idempotencyKey: newKey(), snapshots: [snapshot(read.capturedAt, read.orders(ids))] } });
      expect(sync.status).toBe(200);
    }

    const all = (await b.call<{ orders: OrderView[] }>(token, '/v1/orders?limit=500')).body.orders;
    expect(all).toHaveLength(reads.length);
    for (const flag of ['abnormal', 'attention', 'pending_too_long'] as const) {
      const ruled = all.filter((o) => o.flags.includes(flag));
      expect(ruled.length, flag).toBeGreaterThan(0);
      expect(idsOf((await b.call<{ orders: OrderView[] }>(token, `/v1/orders?flag=${flag}&limit=500`)).body.orders), flag).toEqual(idsOf(ruled));
    }
    const needsAction = all.filter((o) => o.flags.some((f) => f === 'abnormal' || f === 'attention' || f === 'pending_too_long'));
    expect(idsOf((await b.call<{ orders: OrderView[] }>(token, '/v1/needs-action?limit=500')).body.orders)).toEqual(idsOf(needsAction));
    expect((await b.call<{ needsAction: number }>(token, '/v1/order-counts')).body.needsAction).toBe(needsAction.length);
  });
});
