/** The DSers tabs and locks, one table per sentence of the seed articles. */
import { describe, expect, it } from 'vitest';
import type { AliOrderStatus } from '../../../lib/domain/snapshot';
import {
  cancellationOf,
  deriveStoreOrderState,
  isLocked,
  manualFulfillmentMode,
  type DsersState,
  type FulfillmentMode,
  type StoreOrderFacts,
} from '../../../lib/domain/store-order';

const ali = (status: AliOrderStatus, ...trackingNumbers: string[]) => ({ status, trackingNumbers });
const order = (facts: Partial<StoreOrderFacts>): StoreOrderFacts => ({
  paid: true,
  fulfillmentMode: 'auto',
  placingFailed: false,
  aliOrders: [],
  ...facts,
});

describe('deriveStoreOrderState', () => {
  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([
    ['not captured, not placed', { paid: false }, 'pending'],
    ['not captured, even if placed', { paid: false, aliOrders: [ali('awaiting_shipment')] }, 'pending'],
  ])('"Orders for which the payment from your customers has not yet been captured on Shopify" → pending: %s', (_n, facts, state) => {
    expect(deriveStoreOrderState(order(facts))).toBe(state);
  });

  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([['captured, nothing placed', {}, 'awaiting_order']])(
    '"Orders for which the payment from your customers has been captured on Shopify" → awaiting order: %s',
    (_n, facts, state) => expect(deriveStoreOrderState(order(facts))).toBe(state),
  );

  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([
    ['one supplier unpaid', { aliOrders: [ali('awaiting_payment')] }, 'awaiting_payment'],
    ['one of two suppliers unpaid', { aliOrders: [ali('awaiting_payment'), ali('awaiting_shipment')] }, 'awaiting_payment'],
  ])('"Orders that have been placed to AliExpress with success but not yet paid." → awaiting payment: %s', (_n, facts, state) => {
    expect(deriveStoreOrderState(order(facts))).toBe(state);
  });

  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([
    ['paid, not shipped', { aliOrders: [ali('awaiting_shipment')] }, 'awaiting_shipment'],
    ['shipped on AliExpress, number not read yet', { aliOrders: [ali('shipped')] }, 'awaiting_shipment'],
    ['in dispute without a number', { aliOrders: [ali('dispute')] }, 'awaiting_shipment'],
    ['two suppliers, neither shipped', { aliOrders: [ali('awaiting_shipment'), ali('awaiting_shipment')] }, 'awaiting_shipment'],
  ])('"Orders that have been paid on AliExpress but not yet shipped out by your supplier." → awaiting shipment: %s', (_n, facts, state) => {
    expect(deriveStoreOrderState(order(facts))).toBe(state);
  });

  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([
    ['A has a number, B not shipped', { aliOrders: [ali('shipped', 'LPA'), ali('awaiting_shipment')] }, 'awaiting_fulfillment'],
    ['A shipped without a number yet, B not shipped', { aliOrders: [ali('shipped'), ali('awaiting_shipment')] }, 'awaiting_fulfillment'],
    ['A partially shipped', { aliOrders: [ali('partially_shipped', 'LPA'), ali('awaiting_shipment')] }, 'awaiting_fulfillment'],
    ['A and B shipped, only A has a number', { aliOrders: [ali('shipped', 'LPA'), ali('shipped')] }, 'awaiting_fulfillment'],
  ])('"Supplier A ships — Order still shows Awaiting fulfillment" (split shipments): %s', (_n, facts, state) => {
    expect(deriveStoreOrderState(order(facts))).toBe(state);
  });

  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([
    ['one supplier with a number', { aliOrders: [ali('shipped', 'LP1')] }, 'fulfilled'],
    ['every supplier with a number', { aliOrders: [ali('shipped', 'LPA'), ali('completed', 'LPB')] }, 'fulfilled'],
    ['one number covers two suppliers', { aliOrders: [ali('shipped', 'LPX'), ali('shipped', 'LPX')] }, 'fulfilled'],
    ['a number while AliExpress still says not shipped', { aliOrders: [ali('awaiting_shipment', 'LP1')] }, 'fulfilled'],
  ])('"The order only moves to Fulfilled when every supplier has provided a tracking number.": %s', (_n, facts, state) => {
    expect(deriveStoreOrderState(order(facts))).toBe(state);
  });

  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([
    ['the only supplier canceled', { aliOrders: [ali('closed')] }, 'canceled'],
    ['one of two suppliers canceled', { aliOrders: [ali('closed'), ali('shipped', 'LPB')] }, 'canceled'],
    ['one of two canceled, the other unpaid', { aliOrders: [ali('closed'), ali('awaiting_payment')] }, 'canceled'],
  ])('"Orders that are (partially) Canceled / (partially) Refunded on AliExpress … will be moved to this tab.": %s', (_n, facts, state) => {
    expect(deriveStoreOrderState(order(facts))).toBe(state);
  });

  it.each<[string, Partial<StoreOrderFacts>, DsersState]>([
    ['placing failed', { placingFailed: true }, 'failed'],
    ['placing failed for an unpaid order: still pending', { placingFailed: true, paid: false }, 'pending'],
  ])('"Orders with errors or restrictions will be shown here.": %s', (_n, facts, state) => {
    expect(deriveStoreOrderState(order(facts))).toBe(state);
  });

  it.each<[string, FulfillmentMode, StoreOrderFacts['aliOrders']]>([
    ['fulfilled by hand before placing', 'manual_before_placing', []],
    ['fulfilled by hand after placing, nothing shipped', 'manual_after_placing', [ali('awaiting_shipment')]],
    ['fulfilled by hand after placing, AliExpress canceled', 'manual_after_placing', [ali('closed')]],
    ['fulfilled on the store', 'store_fulfilled', []],
  ])('"Orders will be moved to the Fulfilled tab": %s', (_n, fulfillmentMode, aliOrders) => {
    expect(deriveStoreOrderState(order({ fulfillmentMode, aliOrders }))).toBe('fulfilled');
  });
});

describe('cancellationOf', () => {
  it.each<[string, AliOrderStatus[], ReturnType<typeof cancellationOf>]>([
    ['nothing canceled', ['shipped', 'awaiting_shipment'], 'none'],
    ['one of two canceled', ['closed', 'shipped'], 'partial'],
    ['all canceled', ['closed', 'closed'], 'full'],
    ['not placed', [], 'none'],
  ])('"(partially) Canceled / (partially) Refunded": %s', (_n, statuses, expected) => {
    expect(cancellationOf(statuses.map((status) => ({ status })))).toBe(expected);
  });
});

describe('locks', () => {
  it.each<[string, boolean, boolean, FulfillmentMode]>([
    ['"When you manually fulfill orders BEFORE placing them to AliExpress with DSers"', false, false, 'manual_before_placing'],
    ['"When you manually fulfill orders AFTER submitting via DSers"', true, false, 'manual_after_placing'],
    ['"For orders not submitted on DSers, they will be moved to the Fulfilled tab and can\'t be placed again"', false, true, 'store_fulfilled'],
    ['"For orders manually fulfilled on Shopify, they will be moved to the Fulfilled tab"', true, true, 'store_fulfilled'],
  ])('%s', (_sentence, placed, onStore, mode) => {
    expect(manualFulfillmentMode(placed, onStore)).toBe(mode);
    expect(isLocked(mode)).toBe(true);
  });

  it.each<[string, FulfillmentMode, boolean]>([
    ['"DSers won\'t update the order status … even if you fill in order number and tracking number manually"', 'manual_before_placing', true],
    ['"DSers won\'t automatically update the Tracking Number from AliExpress"', 'manual_after_placing', true],
    ['"DSers won\'t sync the tracking number even if you manually fill it in on DSers"', 'store_fulfilled', true],
    ['"The Tracking Number automatically synchronize from AliExpress to DSers"', 'auto', false],
  ])('%s', (_sentence, mode, locked) => {
    expect(isLocked(mode)).toBe(locked);
  });
});
