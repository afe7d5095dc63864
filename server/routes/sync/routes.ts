import { createRoute } from '@hono/zod-openapi';
import { syncRequestSchema, syncResponseSchema } from '../../../lib/domain/api';
import { errorResponses, json, jsonBody } from '../../http/openapi';

export const postSync = createRoute({
  method: 'post',
  path: '/',
  operationId: 'postV1Sync',
  summary: 'Apply what the extension read. Answers per AliExpress order; a replayed idempotency key answers the same.',
  request: { body: jsonBody(syncRequestSchema) },
  responses: { 200: { description: 'applied', content: json(syncResponseSchema) }, ...errorResponses({ body: true, writes: true }) },
});
