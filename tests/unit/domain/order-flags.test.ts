/** Flags from time, after the DSers tracking FAQ; each table is named after the sentence it implements. */
import { describe, expect, it } from 'vitest';
import type { AliOrderStatus, TrackingStatus } from '../../../lib/domain/snapshot';
import {
  DAY_MS,
  HOUR_MS,
  effectiveTrackingStatus,
  orderFlags,
  pendingStage,
  summarizeTrackingStatus,
  type FlagInput,
  type OrderFlag,
  type PackageTimes,
} from '../../../lib/domain/order-flags';

const NOW = new Date('2026-07-20T12:00:00.000Z');
/** An instant `ms` before NOW. */
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

const pkg = (trackingStatus: TrackingStatus, times: Partial<PackageTimes> = {}): PackageTimes => ({
  trackingStatus,
  lastEventAt: null,
  firstEventAt: null,
  firstSeenAt: null,
  ...times,
});
const ali = (status: AliOrderStatus, paidAt: string | null, ...packages: PackageTimes[]) => ({ status, paidAt, packages });
const flags = (aliOrders: FlagInput['aliOrders'], locked = false) => orderFlags({ locked, aliOrders }, NOW);

describe('attention', () => {
  it.each<[string, FlagInput['aliOrders'], OrderFlag[]]>([
    ['paid 7 days ago, no number', [ali('awaiting_shipment', ago(7 * DAY_MS))], ['attention']],
    ['paid 6 days 23 h ago, no number', [ali('awaiting_shipment', ago(7 * DAY_MS - HOUR_MS))], []],
    ['paid 10 days ago, shipped without a number read', [ali('shipped', ago(10 * DAY_MS))], ['attention']],
    ['paid 10 days ago, has a fresh number', [ali('shipped', ago(10 * DAY_MS), pkg('in_transit', { lastEventAt: ago(HOUR_MS) }))], []],
    ['payment time unknown', [ali('awaiting_shipment', null)], []],
    ['paid 10 days ago but canceled', [ali('closed', ago(10 * DAY_MS))], []],
    ['split: one supplier paid 8 days ago without a number', [ali('shipped', ago(8 * DAY_MS), pkg('in_transit', { lastEventAt: ago(HOUR_MS) })), ali('awaiting_shipment', ago(8 * DAY_MS))], ['attention']],
  ])('"No tracking number for 7+ days after payment": %s', (_n, aliOrders, expected) => {
    expect(flags(aliOrders)).toEqual(expected);
  });

  it.each<[string, PackageTimes, OrderFlag[]]>([
    ['last event 49 h ago, in transit', pkg('in_transit', { lastEventAt: ago(49 * HOUR_MS) }), ['attention']],
    ['last event exactly 48 h ago', pkg('in_transit', { lastEventAt: ago(48 * HOUR_MS) }), []],
    ['last event 47 h ago', pkg('in_transit', { lastEventAt: ago(47 * HOUR_MS) }), []],
    ['delivered 10 days ago', pkg('delivered', { lastEventAt: ago(10 * DAY_MS) }), []],
    ['abnormal, silent for 3 days', pkg('abnormal', { lastEventAt: ago(3 * DAY_MS) }), ['attention', 'abnormal']],
    ['no events, number seen 3 days ago', pkg('in_transit', { firstSeenAt: ago(3 * DAY_MS) }), ['attention']],
    ['no events, number seen 1 day ago', pkg('in_transit', { firstSeenAt: ago(DAY_MS) }), []],
    ['no times at all', pkg('in_transit'), []],
    ['waiting at a pickup point, silent for 3 days', pkg('pickup', { lastEventAt: ago(3 * DAY_MS) }), ['attention']],
    ['waiting at a pickup point since yesterday', pkg('pickup', { lastEventAt: ago(DAY_MS) }), []],
  ])('"Tracking number exists but no update for over 48 hours": %s', (_n, p, expected) => {
    expect(flags([ali('shipped', ago(DAY_MS), p)])).toEqual(expected);
  });

  it.each<[string, FlagInput['aliOrders'], boolean]>([
    ['fulfilled by hand, silent for weeks', [ali('shipped', ago(30 * DAY_MS), pkg('in_transit', { lastEventAt: ago(20 * DAY_MS) }))], true],
    ['fulfilled by hand before placing', [], true],
  ])('"DSers won\'t automatically update the Tracking Number from AliExpress" — a locked order gets no flags: %s', (_n, aliOrders, locked) => {
    expect(flags(aliOrders, locked)).toEqual([]);
  });
});

describe('pending', () => {
  it.each<[string, PackageTimes, ReturnType<typeof pendingStage>]>([
    ['pending 1 day', pkg('pending', { firstEventAt: ago(DAY_MS) }), 'normal'],
    ['pending 3 days 23 h', pkg('pending', { firstEventAt: ago(4 * DAY_MS - HOUR_MS) }), 'normal'],
    ['pending 4 days', pkg('pending', { firstEventAt: ago(4 * DAY_MS) }), 'contact_supplier'],
    ['pending 6 days 23 h', pkg('pending', { firstEventAt: ago(7 * DAY_MS - HOUR_MS) }), 'contact_supplier'],
    ['pending 7 days', pkg('pending', { firstEventAt: ago(7 * DAY_MS) }), 'pending_too_long'],
    ['pending 20 days, counted from when the number appeared', pkg('pending', { firstSeenAt: ago(20 * DAY_MS) }), 'pending_too_long'],
    ['first event wins over first seen', pkg('pending', { firstEventAt: ago(DAY_MS), firstSeenAt: ago(20 * DAY_MS) }), 'normal'],
    ['in transit is not pending', pkg('in_transit', { firstEventAt: ago(20 * DAY_MS) }), null],
    ['pending, no time known', pkg('pending'), null],
  ])('"Order in Pending for 1-3 days: Wait. This is normal. / 4-7 days: Contact supplier / 7+ days: DSers flags it Yellow": %s', (_n, p, stage) => {
    expect(pendingStage(p, NOW)).toBe(stage);
  });

  it.each<[string, PackageTimes[], OrderFlag[]]>([
    ['pending 5 days, updated today', [pkg('pending', { firstEventAt: ago(5 * DAY_MS), lastEventAt: ago(HOUR_MS) })], ['contact_supplier']],
    ['pending 8 days, updated today', [pkg('pending', { firstEventAt: ago(8 * DAY_MS), lastEventAt: ago(HOUR_MS) })], ['pending_too_long']],
    ['one 8 days, one 5 days pending', [pkg('pending', { firstEventAt: ago(8 * DAY_MS), lastEventAt: ago(HOUR_MS) }), pkg('pending', { firstEventAt: ago(5 * DAY_MS), lastEventAt: ago(HOUR_MS) })], ['pending_too_long']],
    ['pending 8 days and silent 8 days', [pkg('pending', { firstEventAt: ago(8 * DAY_MS), lastEventAt: ago(8 * DAY_MS) })], ['attention', 'pending_too_long']],
  ])('"Order in Pending for 7+ days — DSers flags it Yellow automatically" (order flags): %s', (_n, packages, expected) => {
    expect(flags([ali('shipped', ago(9 * DAY_MS), ...packages)])).toEqual(expected);
  });
});

describe('abnormal and partial cancellation', () => {
  it.each<[string, FlagInput['aliOrders'], OrderFlag[]]>([
    ['returned to sender', [ali('shipped', ago(DAY_MS), pkg('abnormal', { lastEventAt: ago(HOUR_MS) }))], ['abnormal']],
    ['delivered', [ali('shipped', ago(DAY_MS), pkg('delivered', { lastEventAt: ago(HOUR_MS) }))], []],
  ])('"Abnormal means the carrier reported a problem.": %s', (_n, aliOrders, expected) => {
    expect(flags(aliOrders)).toEqual(expected);
  });

  it.each<[string, FlagInput['aliOrders'], OrderFlag[]]>([
    ['one of two canceled', [ali('closed', null), ali('shipped', ago(DAY_MS), pkg('in_transit', { lastEventAt: ago(HOUR_MS) }))], ['partially_canceled']],
    ['all canceled', [ali('closed', null), ali('closed', null)], []],
  ])('"Orders that are (partially) Canceled … will be moved to this tab" — marked partial: %s', (_n, aliOrders, expected) => {
    expect(flags(aliOrders)).toEqual(expected);
  });
});

describe('tracking status of an order', () => {
  it.each<[string, TrackingStatus[], TrackingStatus | null]>([
    ['no packages', [], null],
    ['all pending', ['pending', 'pending'], 'pending'],
    ['one moving', ['pending', 'in_transit'], 'in_transit'],
    ['one delivered, one moving', ['delivered', 'in_transit'], 'in_transit'],
    ['all delivered', ['delivered', 'delivered'], 'delivered'],
    ['one abnormal', ['delivered', 'abnormal'], 'abnormal'],
    ['one at a pickup point, the rest delivered', ['delivered', 'pickup'], 'pickup'],
    ['one at a pickup point, one moving', ['pickup', 'in_transit'], 'in_transit'],
  ])('"What happens to split shipments (one order, multiple suppliers)?": %s', (_n, statuses, expected) => {
    expect(summarizeTrackingStatus(statuses)).toBe(expected);
  });

  it.each<[string, TrackingStatus | null, TrackingStatus[], TrackingStatus | null]>([
    ['set by hand, carrier says otherwise', 'delivered', ['in_transit'], 'delivered'],
    ['set by hand without packages', 'in_transit', [], 'in_transit'],
    ['after Re-track (no manual value)', null, ['in_transit'], 'in_transit'],
  ])('"Manual changes are for your reference only." / "Click the Re-track button … resumes automatic syncing": %s', (_n, manual, carrier, expected) => {
    expect(effectiveTrackingStatus(manual, carrier)).toBe(expected);
  });
});
