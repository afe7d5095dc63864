/** Which parcels the batched refresh asks Cainiao about, when, and how its answers move the state. */
import { describe, expect, it } from 'vitest';
import type { CainiaoAnswer } from '../../../lib/cainiao/detail';
import {
  afterAnswer,
  batchesOf,
  dueNumbers,
  HOST_RETRY_MAX_MS,
  hostWaitUntil,
  inFlightParcels,
  initialRefreshState,
  isServable,
  ordersOfPackages,
  pruneState,
  REFRESH_EVERY_MS,
  SLIDER_RETRY_BASE_MS,
  type ParcelSource,
  type TrackingRefreshState,
} from '../../../lib/cainiao/refresh-plan';

const NOW = new Date('2026-11-22T10:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const storeOrder = (locked: boolean, ...aliOrders: ParcelSource['aliOrders'][number][]): ParcelSource => ({ locked, aliOrders });
const ali = (aliOrderId: string, status: ParcelSource['aliOrders'][number]['status'], ...packages: [string, 'pending' | 'in_transit' | 'delivered' | 'abnormal'][]) => ({
  aliOrderId,
  status,
  packages: packages.map(([trackingNumber, trackingStatus]) => ({ trackingNumber, trackingStatus })),
});

describe('the parcels in flight', () => {
  it('are the known numbers not delivered, on orders neither canceled nor locked', () => {
    const parcels = inFlightParcels([
      storeOrder(false, ali('8000000000000001', 'shipped', ['LPMOVING', 'in_transit'], ['LPHOME', 'delivered'])),
      storeOrder(false, ali('8000000000000002', 'shipped', ['LPFAILED', 'abnormal']), ali('8000000000000003', 'closed', ['LPCLOSED', 'in_transit'])),
      // Fulfilled by hand: the seed says sync never touches it again.
      storeOrder(true, ali('8000000000000004', 'shipped', ['LPLOCKED', 'in_transit'])),
      storeOrder(false, ali('8000000000000005', 'awaiting_shipment')),
    ]);
    expect([...parcels.keys()]).toEqual(['LPMOVING', 'LPFAILED']);
  });

  it('name every order one parcel carries', () => {
    const parcels = inFlightParcels([storeOrder(false, ali('8000000000000001', 'shipped', ['LPBOTH', 'in_transit'])), storeOrder(false, ali('8000000000000002', 'shipped', ['LPBOTH', 'in_transit']))]);
    expect(parcels.get('LPBOTH')).toEqual(['8000000000000001', '8000000000000002']);
  });
});

describe('which numbers are due', () => {
  const parcels = new Map([
    ['NEVER', ['8000000000000001']],
    ['OLD', ['8000000000000002']],
    ['RECENT', ['8000000000000003']],
    ['OLDER', ['8000000000000004']],
    ['EXTERNAL', ['8000000000000005']],
  ]);
  const state = {
    ...initialRefreshState(),
    numbers: {
      OLD: { refreshedAt: ago(REFRESH_EVERY_MS) },
      RECENT: { refreshedAt: ago(5 * MINUTE) },
      OLDER: { refreshedAt: ago(3 * HOUR) },
      EXTERNAL: { unserved: 'external' as const, unservedAt: ago(2 * HOUR) },
    },
  };

  it('never refreshed first, then the longest unrefreshed; not those refreshed lately, nor those Cainiao cannot serve', () => {
    expect(dueNumbers(parcels, state, NOW)).toEqual(['NEVER', 'OLDER', 'OLD']);
  });

  it('asks again about a number Cainiao could not serve a day later', () => {
    expect(isServable(state, 'EXTERNAL', NOW)).toBe(false);
    expect(isServable(state, 'EXTERNAL', new Date(NOW.getTime() + 22 * HOUR))).toBe(true);
  });

  it('come in batches of distinct numbers', () => {
    expect(batchesOf(['A', 'B', 'A', 'C', 'D', 'E'], 2)).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
  });
});

const refused = (reason: 'http_error' | 'slider_check', retryAfterSeconds?: number): CainiaoAnswer => ({
  kind: 'refused',
  reason,
  status: reason === 'http_error' ? 503 : 200,
  message: 'no',
  ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
});
const half = () => 0.5;

describe('after an answer', () => {

  it('a refusal leaves every number as it was and Cainiao alone for longer each time, up to 6 hours', () => {
    let state: TrackingRefreshState = { ...initialRefreshState(), numbers: { A: { refreshedAt: ago(HOUR) } } };
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      state = afterAnswer(state, ['A'], refused('http_error'), NOW, half);
      waits.push(Date.parse(hostWaitUntil(state, NOW)!) - NOW.getTime());
    }
    expect(state.numbers).toEqual({ A: { refreshedAt: ago(HOUR) } });
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    expect(Math.max(...waits)).toBeLessThanOrEqual(HOST_RETRY_MAX_MS);
    expect(state.failures).toBe(10);
  });

  it('the slider check keeps Cainiao alone for half an hour at least; Retry-After is waited out whatever the backoff', () => {
    const slider = afterAnswer(initialRefreshState(), ['A'], refused('slider_check'), NOW, () => 1);
    expect(Date.parse(slider.retryAt!) - NOW.getTime()).toBe(SLIDER_RETRY_BASE_MS);
    // Kept for the popup, which says why the refresh waits.
    expect(slider.lastRefusal).toEqual({ reason: 'slider_check', status: 200 });
    const told = afterAnswer(initialRefreshState(), ['A'], refused('http_error', 3600), NOW, half);
    expect(Date.parse(told.retryAt!) - NOW.getTime()).toBe(HOUR);
  });

  it('an answer marks what it refreshed and what Cainiao cannot serve, clears the backoff, and shrinks the batch to what Cainiao answered', () => {
    const failing = afterAnswer(initialRefreshState(), ['A'], refused('http_error'), NOW, half);
    const pkg = { trackingNumber: 'A', trackingStatus: 'in_transit' as const, events: [] };
    const state = afterAnswer(failing, ['A', 'B', 'C'], { kind: 'ok', packages: [pkg], unserved: [{ trackingNumber: 'B', reason: 'external' }], missing: ['C'], warnings: [] }, NOW);
    expect(state).toEqual({
      failures: 0,
      batchSize: 2,
      numbers: { A: { refreshedAt: NOW.toISOString() }, B: { unserved: 'external', unservedAt: NOW.toISOString() } },
    });
    expect(hostWaitUntil(state, NOW)).toBeUndefined();
  });

  it('forgets numbers no longer in flight', () => {
    const state = { ...initialRefreshState(), numbers: { A: { refreshedAt: ago(HOUR) }, GONE: { refreshedAt: ago(HOUR) } } };
    expect(Object.keys(pruneState(state, new Map([['A', []]])).numbers)).toEqual(['A']);
  });
});

describe('the orders a batch reports', () => {
  it('are those the refreshed parcels belong to, with status unknown, as a tracking page reports them', () => {
    const pkg = { trackingNumber: 'A', trackingStatus: 'abnormal' as const, events: [{ at: NOW.toISOString(), text: 'Delivery Attempt Failure' }] };
    const orders = ordersOfPackages([pkg], new Map([['A', ['8000000000000001', '8000000000000002']]]));
    expect(orders).toEqual([
      { aliOrderId: '8000000000000001', status: 'unknown', packages: [pkg] },
      { aliOrderId: '8000000000000002', status: 'unknown', packages: [pkg] },
    ]);
  });
});
