import { createRoute } from '@hono/zod-openapi';
import {
  createStoreOrderResponseSchema,
  createStoreOrderSchema,
  fulfillManuallySchema,
  orderViewSchema,
  placeStoreOrderSchema,
  placingFailedSchema,
  setTrackingStatusSchema,
  storeOrderDetailSchema,
} from '../../../lib/domain/api';
import { errorResponses, json, jsonBody, storeOrderParams } from '../../http/openapi';

export const createStoreOrderRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'postV1StoreOrders',
  summary: 'A new store order (pending until the customer\'s payment is captured).',
  request: { body: jsonBody(createStoreOrderSchema) },
  responses: { 201: { description: 'created', content: json(createStoreOrderResponseSchema) }, ...errorResponses({ body: true, writes: true }) },
});

export const getStoreOrderRoute = createRoute({
  method: 'get',
  path: '/{id}',
  operationId: 'getV1StoreOrdersById',
  summary: 'One store order with its audit trail.',
  request: { params: storeOrderParams },
  responses: { 200: { description: 'the order', content: json(storeOrderDetailSchema) }, ...errorResponses({ id: true }) },
});

const commandResponses = (description: string, body: boolean) => ({
  200: { description, content: json(orderViewSchema) },
  ...errorResponses({ id: true, body, writes: true }),
});

export const placeRoute = createRoute({
  method: 'post',
  path: '/{id}/place',
  operationId: 'postV1StoreOrdersByIdPlace',
  summary: 'Placed to AliExpress: one AliExpress order per supplier.',
  request: { params: storeOrderParams, body: jsonBody(placeStoreOrderSchema) },
  responses: commandResponses('the order after placing', true),
});

export const paymentCapturedRoute = createRoute({
  method: 'post',
  path: '/{id}/payment-captured',
  operationId: 'postV1StoreOrdersByIdPaymentCaptured',
  summary: 'The store captured the customer\'s payment: Pending moves on to Awaiting order. Idempotent.',
  request: { params: storeOrderParams },
  responses: commandResponses('the order', false),
});

export const placingFailedRoute = createRoute({
  method: 'post',
  path: '/{id}/placing-failed',
  operationId: 'postV1StoreOrdersByIdPlacingFailed',
  summary: 'Placing failed with errors or restrictions: the order moves to Failed until placed again.',
  request: { params: storeOrderParams, body: jsonBody(placingFailedSchema) },
  responses: commandResponses('the order', true),
});

export const fulfillManuallyRoute = createRoute({
  method: 'post',
  path: '/{id}/fulfill-manually',
  operationId: 'postV1StoreOrdersByIdFulfillManually',
  summary: 'Fulfilled by hand (before or after placing) or on the store: moves to Fulfilled and locks the order.',
  request: { params: storeOrderParams, body: jsonBody(fulfillManuallySchema, false) },
  responses: commandResponses('the locked order', true),
});

export const trackingStatusRoute = createRoute({
  method: 'put',
  path: '/{id}/tracking-status',
  operationId: 'putV1StoreOrdersByIdTrackingStatus',
  summary: 'A tracking status set by hand, for reference only.',
  request: { params: storeOrderParams, body: jsonBody(setTrackingStatusSchema) },
  responses: commandResponses('the order', true),
});

export const retrackRoute = createRoute({
  method: 'post',
  path: '/{id}/retrack',
  operationId: 'postV1StoreOrdersByIdRetrack',
  summary: 'Drops the manual tracking status and asks the extension for live carrier data.',
  request: { params: storeOrderParams },
  responses: commandResponses('the order', false),
});
