/** `/v1/store-orders`: the merchant's side of a store order, each command answering the order as it then is. */
import { fulfillManuallySchema } from '../../../lib/domain/api';
import type { Deps } from '../../http/env';
import { newRouter } from '../../http/router';
import {
  createStoreOrder,
  fulfillManually,
  markPaymentCaptured,
  markPlacingFailed,
  placeStoreOrder,
  retrack,
  setManualTrackingStatus,
} from '../../store-orders';
import { applyRememberedReads } from '../../dashboard/unlinked';
import { getStoreOrder, viewOf } from '../../views';
import {
  createStoreOrderRoute,
  fulfillManuallyRoute,
  getStoreOrderRoute,
  paymentCapturedRoute,
  placeRoute,
  placingFailedRoute,
  retrackRoute,
  trackingStatusRoute,
} from './routes';

export function storeOrdersRouter({ db, now }: Deps) {
  return newRouter()
    .openapi(createStoreOrderRoute, async (c) => {
      const body = c.req.valid('json');
      return c.json({ id: await createStoreOrder(db, c.get('merchant').id, body.storeOrderNumber, body.paid, now()) }, 201);
    })
    .openapi(getStoreOrderRoute, async (c) => c.json(await getStoreOrder(db, c.get('merchant').id, c.req.valid('param').id, now()), 200))
    .openapi(placeRoute, async (c) => {
      const merchantId = c.get('merchant').id;
      const { id } = c.req.valid('param');
      const { aliOrders } = c.req.valid('json');
      const placed = await placeStoreOrder(db, merchantId, id, aliOrders, now());
      // What the extension already read of these AliExpress orders applies now (server/dashboard/unlinked.ts).
      const applied = await applyRememberedReads(db, merchantId, aliOrders.map((a) => a.aliOrderId), now());
      return c.json(applied ? await viewOf(db, merchantId, id, now()) : placed, 200);
    })
    .openapi(paymentCapturedRoute, async (c) => c.json(await markPaymentCaptured(db, c.get('merchant').id, c.req.valid('param').id, now()), 200))
    .openapi(placingFailedRoute, async (c) =>
      c.json(await markPlacingFailed(db, c.get('merchant').id, c.req.valid('param').id, c.req.valid('json').reason, now()), 200),
    )
    .openapi(fulfillManuallyRoute, async (c) => {
      // A request without a body skips the route's validator, so its defaults are applied here.
      const { onStore } = fulfillManuallySchema.parse(c.req.valid('json'));
      return c.json(await fulfillManually(db, c.get('merchant').id, c.req.valid('param').id, onStore, now()), 200);
    })
    .openapi(trackingStatusRoute, async (c) =>
      c.json(await setManualTrackingStatus(db, c.get('merchant').id, c.req.valid('param').id, c.req.valid('json').trackingStatus, now()), 200),
    )
    .openapi(retrackRoute, async (c) => c.json(await retrack(db, c.get('merchant').id, c.req.valid('param').id, now()), 200));
}
