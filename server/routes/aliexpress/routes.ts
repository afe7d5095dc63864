import { createRoute, z } from '@hono/zod-openapi';
import {
  aliexpressAccountSchema,
  aliexpressAuthorizeResponseSchema,
  aliexpressProblemSchema,
  aliexpressSyncResponseSchema,
} from '../../../lib/domain/aliexpress-account';
import { manualSyncRefusedSchema } from '../../../lib/domain/api';
import { errorResponses, json } from '../../http/openapi';
import { QUOTA_SUMMARY } from '../../quota';

const problems = (description: string) => ({ description, content: json(aliexpressProblemSchema) });

export const getAccount = createRoute({
  method: 'get',
  path: '/aliexpress-account',
  operationId: 'getV1AliexpressAccount',
  summary: 'The merchant\'s AliExpress account (Open Platform), as far as it may be shown: never a token.',
  responses: { 200: { description: 'the account', content: json(aliexpressAccountSchema) }, ...errorResponses({}) },
});

export const postAuthorize = createRoute({
  method: 'post',
  path: '/aliexpress-account/authorize',
  operationId: 'postV1AliexpressAccountAuthorize',
  summary: 'The AliExpress page to send the merchant to; AliExpress sends them back to the callback, which connects the account.',
  responses: {
    200: { description: 'the authorisation page', content: json(aliexpressAuthorizeResponseSchema) },
    409: problems('no AliExpress app configured on this backend (`aliexpress_not_configured`)'),
    ...errorResponses({}),
  },
});

export const deleteAccount = createRoute({
  method: 'delete',
  path: '/aliexpress-account',
  operationId: 'deleteV1AliexpressAccount',
  summary: 'Disconnects the AliExpress account: its tokens are deleted.',
  responses: { 200: { description: 'the account, now not connected', content: json(aliexpressAccountSchema) }, ...errorResponses({}) },
});

export const postAliexpressSync = createRoute({
  method: 'post',
  path: '/aliexpress-sync',
  operationId: 'postV1AliexpressSync',
  summary: `Sync through the AliExpress API: reads the watched orders through the Open Platform and applies them as a page read. ${QUOTA_SUMMARY} Shares the quota with POST /v1/manual-sync.`,
  responses: {
    200: { description: 'synced: the quota after it, and what was read', content: json(aliexpressSyncResponseSchema) },
    409: problems('not configured, not connected, to reconnect (`aliexpress_reconnect`), the app lacks the dropshipping API (`aliexpress_permission`) or its key is refused (`aliexpress_app`)'),
    429: {
      description: 'refused by the `cooldown` or the `daily_limit` rule',
      headers: { 'Retry-After': { description: 'seconds until a manual sync is allowed again', schema: { type: 'integer' } } },
      content: json(manualSyncRefusedSchema),
    },
    503: {
      description: 'AliExpress throttles (`aliexpress_throttled`: the backend retries at `retryAt`) or cannot be reached; either way the manual sync is given back (`quota`)',
      headers: { 'Retry-After': { description: 'seconds until the backend retries', schema: { type: 'integer' } } },
      content: json(aliexpressProblemSchema),
    },
    ...errorResponses({}),
  },
});

/** Printable ASCII only, bounded: these go into a token call and a database look-up. */
export const callbackQuerySchema = z.object({
  code: z.string().regex(/^[\x21-\x7e]{1,512}$/).optional(),
  state: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  error: z.string().max(200).optional(),
});

export const getCallback = createRoute({
  method: 'get',
  path: '/v1/aliexpress-account/callback',
  operationId: 'getV1AliexpressAccountCallback',
  summary: 'Where AliExpress sends the merchant back (`code`, `state`). No API token: the state names the merchant who asked, once. Ends on the dashboard at /#/settings.',
  security: [],
  responses: { 302: { description: 'to /#/settings?aliexpress=connected, or ?aliexpress=error&message=…' } },
});
