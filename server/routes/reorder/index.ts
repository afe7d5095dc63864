/** `POST /v1/store-orders/reorder`: bulk re-order of orders canceled on AliExpress or failed. */
import { createRoute } from '@hono/zod-openapi';
import { reorderResponseSchema, reorderSchema } from '../../../lib/domain/stores';
import type { Deps } from '../../http/env';
import { errorResponses, json, jsonBody } from '../../http/openapi';
import { newRouter } from '../../http/router';
import { reorder } from '../../stores/reorder';

const reorderRoute = createRoute({
  method: 'post',
  path: '/reorder',
  operationId: 'postV1StoreOrdersReorder',
  summary:
    'Bulk re-order: orders canceled on AliExpress or failed go back to be placed again (their canceled AliExpress orders kept in the history). ' +
    'Orders canceled on the store, or locked, are refused, each with its reason.',
  request: { body: jsonBody(reorderSchema) },
  responses: { 200: { description: 'one result per id', content: json(reorderResponseSchema) }, ...errorResponses({ body: true }) },
});

export function reorderRouter({ db, now }: Deps) {
  return newRouter().openapi(reorderRoute, async (c) => c.json(await reorder(db, c.get('merchant').id, c.req.valid('json').ids, now()), 200));
}
