import { createRoute } from '@hono/zod-openapi';
import { manualSyncRefusedSchema, quotaResponseSchema } from '../../../lib/domain/api';
import { errorResponses, json } from '../../http/openapi';
import { QUOTA_SUMMARY } from '../../quota';

export const postManualSync = createRoute({
  method: 'post',
  path: '/manual-sync',
  operationId: 'postV1ManualSync',
  summary: QUOTA_SUMMARY,
  responses: {
    200: { description: 'accepted', content: json(quotaResponseSchema) },
    429: {
      description: 'refused by the `cooldown` or the `daily_limit` rule (or, with the plain error shape, by the write rate limit)',
      headers: { 'Retry-After': { description: 'seconds until a manual sync is allowed again', schema: { type: 'integer' } } },
      content: json(manualSyncRefusedSchema),
    },
    ...errorResponses({}),
  },
});

export const getQuota = createRoute({
  method: 'get',
  path: '/quota',
  operationId: 'getV1Quota',
  summary: 'The manual-sync quota as it stands.',
  responses: { 200: { description: 'quota', content: json(quotaResponseSchema) }, ...errorResponses({}) },
});
