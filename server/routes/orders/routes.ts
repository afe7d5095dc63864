import { createRoute } from '@hono/zod-openapi';
import { ordersQuerySchema, ordersResponseSchema } from '../../../lib/domain/api';
import { errorResponses, json } from '../../http/openapi';

export const listOrdersRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getV1Orders',
  summary: 'Store orders, newest first, with flags computed now; `nextCursor` pages on.',
  request: { query: ordersQuerySchema },
  responses: { 200: { description: 'a page of orders', content: json(ordersResponseSchema) }, ...errorResponses({ query: true }) },
});
