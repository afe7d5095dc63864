/** "only orders the backend watches": which AliExpress orders are worth a page load, and why. */
import { describe, expect, it } from 'vitest';
import { HOUR_MS } from '../../../lib/domain/order-flags';
import { watchNeeds, type WatchInput, type WatchNeed } from '../../../lib/domain/watchlist';

const NOW = new Date('2026-07-20T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const input = (over: Partial<WatchInput>): WatchInput => ({
  locked: false,
  status: 'shipped',
  lastSeenAt: ago(HOUR_MS),
  retrackRequestedAt: null,
  packages: [],
  ...over,
});

describe('watchNeeds', () => {
  it.each<[string, Partial<WatchInput>, WatchNeed[]]>([
    ['placed, never read', { status: 'awaiting_payment', lastSeenAt: null }, ['status']],
    ['awaiting payment', { status: 'awaiting_payment' }, ['status']],
    ['awaiting shipment', { status: 'awaiting_shipment' }, ['status']],
    ['status text not understood', { status: 'unknown' }, ['status']],
    ['in dispute', { status: 'dispute' }, ['status']],
  ])('"The Order status will be synced automatically on DSers within 6 hours": %s', (_n, over, needs) => {
    expect(watchNeeds(input(over), NOW)).toEqual(needs);
  });

  it.each<[string, Partial<WatchInput>, WatchNeed[]]>([
    ['shipped, no number read', { status: 'shipped' }, ['tracking_number']],
    ['partially shipped, one number read', { status: 'partially_shipped', packages: [{ trackingStatus: 'in_transit', readAt: ago(HOUR_MS) }] }, ['status', 'tracking_number']],
    ['shipped, number read', { status: 'shipped', packages: [{ trackingStatus: 'in_transit', readAt: ago(HOUR_MS) }] }, []],
    ['completed before its number was ever read', { status: 'completed' }, ['tracking_number']],
  ])('"The AliExpress Tracking Number will be synced to DSers within 6 hours": %s', (_n, over, needs) => {
    expect(watchNeeds(input(over), NOW)).toEqual(needs);
  });

  it.each<[string, Partial<WatchInput>, WatchNeed[]]>([
    ['in transit, read 6 h ago', { packages: [{ trackingStatus: 'in_transit', readAt: ago(6 * HOUR_MS) }] }, ['fresh_events']],
    ['in transit, read 5 h ago', { packages: [{ trackingStatus: 'in_transit', readAt: ago(5 * HOUR_MS) }] }, []],
    ['number known from the list, tracking never read', { packages: [{ trackingStatus: 'pending', readAt: null }] }, ['fresh_events']],
    ['delivered long ago', { packages: [{ trackingStatus: 'delivered', readAt: ago(100 * HOUR_MS) }] }, []],
    ['completed, parcel still moving', { status: 'completed', packages: [{ trackingStatus: 'in_transit', readAt: ago(7 * HOUR_MS) }] }, ['fresh_events']],
  ])('"Tracking number exists but no update" — fresh events wanted: %s', (_n, over, needs) => {
    expect(watchNeeds(input(over), NOW)).toEqual(needs);
  });

  it.each<[string, Partial<WatchInput>, WatchNeed[]]>([
    ['Re-track after the last read', { retrackRequestedAt: ago(HOUR_MS), packages: [{ trackingStatus: 'in_transit', readAt: ago(2 * HOUR_MS) }] }, ['fresh_events']],
    ['Re-track already answered', { retrackRequestedAt: ago(2 * HOUR_MS), packages: [{ trackingStatus: 'in_transit', readAt: ago(HOUR_MS) }] }, []],
  ])('"Click the Re-track button in the tracking modal. This pulls live carrier data": %s', (_n, over, needs) => {
    expect(watchNeeds(input(over), NOW)).toEqual(needs);
  });

  it.each<[string, Partial<WatchInput>]>([
    ['fulfilled by hand', { locked: true, status: 'awaiting_shipment', lastSeenAt: null }],
    ['canceled on AliExpress', { status: 'closed', packages: [{ trackingStatus: 'in_transit', readAt: null }] }],
    ['completed and delivered', { status: 'completed', packages: [{ trackingStatus: 'delivered', readAt: ago(HOUR_MS) }] }],
  ])('"DSers won\'t update the order status" — not watched: %s', (_n, over) => {
    expect(watchNeeds(input(over), NOW)).toEqual([]);
  });
});
