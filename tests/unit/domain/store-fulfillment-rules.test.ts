import { describe, expect, it } from 'vitest';
import { deriveStoreOrderState } from '../../../lib/domain/store-order';
import { coveredLinesFulfilledOnStore, planFulfillments, shopifyCarrier } from '../../../lib/domain/stores';

const A = { aliOrderId: '8100000000000001', trackingNumbers: ['LPA'], lineItems: [{ lineItemId: 'L1', quantity: 1 }] };
const B = { aliOrderId: '8100000000000002', trackingNumbers: [] as string[], lineItems: [{ lineItemId: 'L2', quantity: 2 }] };

describe('planFulfillments', () => {
  it('waits for every supplier by default, then plans one fulfillment of the whole order', () => {
    expect(planFulfillments('wait_for_all', [A, B], [])).toEqual([]);
    expect(planFulfillments('wait_for_all', [A, { ...B, trackingNumbers: ['LPB'] }], [])).toEqual([
      { key: `${A.aliOrderId},${B.aliOrderId}`, aliOrderIds: [A.aliOrderId, B.aliOrderId], trackingNumbers: ['LPA', 'LPB'], lineItems: null },
    ]);
  });

  it('plans each shipped supplier\'s lines under each_supplier', () => {
    expect(planFulfillments('each_supplier', [A, B], [])).toEqual([{ key: A.aliOrderId, aliOrderIds: [A.aliOrderId], trackingNumbers: ['LPA'], lineItems: A.lineItems }]);
  });

  it('keeps an existing group up with its numbers, and does not regroup it when the setting changes', () => {
    const planned = planFulfillments('wait_for_all', [{ ...A, trackingNumbers: ['LPA', 'LPA2'] }, { ...B, trackingNumbers: ['LPB'] }], [{ aliOrderIds: [A.aliOrderId] }]);
    expect(planned).toEqual([
      { key: B.aliOrderId, aliOrderIds: [B.aliOrderId], trackingNumbers: ['LPB'], lineItems: B.lineItems },
      { key: A.aliOrderId, aliOrderIds: [A.aliOrderId], trackingNumbers: ['LPA', 'LPA2'], lineItems: A.lineItems },
    ]);
  });
});

describe('lines fulfilled on the store by someone else', () => {
  it('are neither fulfilled again nor waited for, and a group of them gets no tracking update', () => {
    const lampDone = { ...A, fulfilledOnStore: true };
    expect(planFulfillments('wait_for_all', [lampDone, B], [])).toEqual([]);
    expect(planFulfillments('wait_for_all', [lampDone, { ...B, trackingNumbers: ['LPB'] }], [])).toEqual([
      { key: B.aliOrderId, aliOrderIds: [B.aliOrderId], trackingNumbers: ['LPB'], lineItems: B.lineItems },
    ]);
    expect(planFulfillments('each_supplier', [lampDone, B], [{ aliOrderIds: [A.aliOrderId] }])).toEqual([]);
  });

  it('count for an AliExpress order only when every line it covers is fulfilled there in full', () => {
    const lines = [{ id: 'L1', quantity: 1, fulfilledOnStore: 1 }, { id: 'L2', quantity: 2, fulfilledOnStore: 1 }];
    expect(coveredLinesFulfilledOnStore([{ lineItemId: 'L1', quantity: 1 }], lines)).toBe(true);
    expect(coveredLinesFulfilledOnStore([{ lineItemId: 'L2', quantity: 2 }], lines)).toBe(false);
    expect(coveredLinesFulfilledOnStore([{ lineItemId: 'L1', quantity: 1 }, { lineItemId: 'L2', quantity: 2 }], lines)).toBe(false);
    expect(coveredLinesFulfilledOnStore(null, lines)).toBe(false);
    expect(coveredLinesFulfilledOnStore(null, [{ id: 'L1', quantity: 1, fulfilledOnStore: 1 }])).toBe(true);
    expect(coveredLinesFulfilledOnStore(null, [])).toBe(false);
  });
});

describe('shopifyCarrier', () => {
  it('gives Shopify\'s name where one matches, and the name as read otherwise', () => {
    expect(shopifyCarrier('CAINIAO')).toEqual({ company: 'Cainiao', recognised: true });
    expect(shopifyCarrier('yun express')).toEqual({ company: 'YunExpress', recognised: true });
    expect(shopifyCarrier('Some Local Post')).toEqual({ company: 'Some Local Post', recognised: false });
    expect(shopifyCarrier(null)).toEqual({ company: null, recognised: false });
  });
});

describe('deriveStoreOrderState with the store leg', () => {
  const split = { paid: true, fulfillmentMode: 'auto' as const, placingFailed: false, aliOrders: [{ status: 'shipped' as const, trackingNumbers: ['LPA'] }, { status: 'awaiting_shipment' as const, trackingNumbers: [] }] };
  it('holds a half-shipped split order in Awaiting fulfillment only while the setting waits for all', () => {
    expect(deriveStoreOrderState(split)).toBe('awaiting_fulfillment');
    expect(deriveStoreOrderState({ ...split, splitFulfillment: 'each_supplier' })).toBe('awaiting_shipment');
  });
  it('puts an order canceled on the store in Canceled, whatever else it is', () => {
    expect(deriveStoreOrderState({ ...split, canceledOnStore: true })).toBe('canceled');
  });
});
