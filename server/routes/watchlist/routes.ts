import { createRoute } from '@hono/zod-openapi';
import { watchlistQuerySchema, watchlistResponseSchema } from '../../../lib/domain/api';
import { errorResponses, json } from '../../http/openapi';

export const getWatchlist = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getV1Watchlist',
  summary: 'The AliExpress orders worth a page load (not locked, not final) and what each still lacks.',
  request: { query: watchlistQuerySchema },
  responses: { 200: { description: 'most urgent first', content: json(watchlistResponseSchema) }, ...errorResponses({ query: true }) },
});
