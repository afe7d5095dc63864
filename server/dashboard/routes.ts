/** The dashboard's `/v1` routes, defined once with their schemas (the OpenAPI document is made from them). */
import { createRoute, z } from '@hono/zod-openapi';
import { errorResponseSchema, ordersQuerySchema, ordersResponseSchema } from '../../lib/domain/api';
import {
  issuedTokenSchema,
  issueTokenRequestSchema,
  orderCountsSchema,
  sessionResponseSchema,
  setupRequestSchema,
  setupStatusSchema,
  signInRequestSchema,
  timelinesResponseSchema,
  tokensResponseSchema,
  unlinkedQuerySchema,
  unlinkedResponseSchema,
} from '../../lib/domain/dashboard';
import { errorResponses, json, jsonBody, storeOrderParams } from '../http/openapi';

const answer = (description: string) => ({ description, content: json(errorResponseSchema) });
const forbidden = { 403: answer('a change without the session\'s CSRF token, from another origin, or that needs a signed-in session') };
const cookie = [{ session: [] }];

export const signInRoute = createRoute({
  method: 'post',
  path: '/session',
  operationId: 'postV1Session',
  summary: 'Sign in to the dashboard: sets the HttpOnly session cookie and answers the CSRF token for changes.',
  security: [],
  request: { body: jsonBody(signInRequestSchema) },
  responses: {
    200: { description: 'signed in', content: json(sessionResponseSchema) },
    400: answer('a body that does not match the schema'),
    401: answer('wrong login or password'),
    ...forbidden,
    429: answer('too many failed attempts for this login (Retry-After), or too many sign-ins at once'),
  },
});

export const getSessionRoute = createRoute({
  method: 'get',
  path: '/session',
  operationId: 'getV1Session',
  summary: 'The signed-in merchant and the session\'s CSRF token.',
  security: cookie,
  responses: { 200: { description: 'the session', content: json(sessionResponseSchema) }, ...errorResponses({}), ...forbidden },
});

export const signOutRoute = createRoute({
  method: 'delete',
  path: '/session',
  operationId: 'deleteV1Session',
  summary: 'Sign out: the session ends and its cookie is cleared.',
  security: cookie,
  responses: { 204: { description: 'signed out' }, ...errorResponses({}), ...forbidden },
});

export const setupStatusRoute = createRoute({
  method: 'get',
  path: '/setup',
  operationId: 'getV1Setup',
  summary: 'Whether this backend still needs its first merchant (the first-run setup page).',
  security: [],
  responses: { 200: { description: 'setup status', content: json(setupStatusSchema) } },
});

export const setupRoute = createRoute({
  method: 'post',
  path: '/setup',
  operationId: 'postV1Setup',
  summary: 'First run: creates the first merchant, given the setup code the backend printed when it started.',
  security: [],
  request: { body: jsonBody(setupRequestSchema) },
  responses: {
    201: { description: 'the merchant exists; sign in', content: json(z.object({ merchantId: z.string() })) },
    400: answer('a body that does not match the schema'),
    ...forbidden,
    409: answer('a merchant can sign in already: setup is closed'),
  },
});

export const listTokensRoute = createRoute({
  method: 'get',
  path: '/tokens',
  operationId: 'getV1Tokens',
  summary: 'The extension API tokens of the signed-in merchant (never their values).',
  security: cookie,
  responses: { 200: { description: 'tokens', content: json(tokensResponseSchema) }, ...errorResponses({}), ...forbidden },
});

export const issueTokenRoute = createRoute({
  method: 'post',
  path: '/tokens',
  operationId: 'postV1Tokens',
  summary: 'A new API token for an extension; its value is in this answer only.',
  security: cookie,
  request: { body: jsonBody(issueTokenRequestSchema) },
  responses: { 201: { description: 'the token', content: json(issuedTokenSchema) }, ...errorResponses({ body: true, writes: true }), ...forbidden },
});

export const tokenParams = z.object({ tokenId: z.string().regex(/^\d{1,18}$/).openapi({ param: { name: 'tokenId', in: 'path' } }) });

export const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/tokens/{tokenId}',
  operationId: 'deleteV1TokensById',
  summary: 'Revokes an API token at once.',
  security: cookie,
  request: { params: tokenParams },
  responses: { 204: { description: 'revoked' }, ...errorResponses({ writes: true }), 404: answer('no such live token of this merchant'), ...forbidden },
});

export const orderCountsRoute = createRoute({
  method: 'get',
  path: '/order-counts',
  operationId: 'getV1OrderCounts',
  summary: 'How many store orders each DSers tab holds, how many Needs action lists, and the AliExpress orders no store order links to.',
  responses: { 200: { description: 'counts', content: json(orderCountsSchema) }, ...errorResponses({}) },
});

export const needsActionQuerySchema = ordersQuerySchema.pick({ q: true, cursor: true, limit: true });

export const needsActionRoute = createRoute({
  method: 'get',
  path: '/needs-action',
  operationId: 'getV1NeedsAction',
  summary: 'Store orders flagged Abnormal, Attention or Pending too long, newest first; `nextCursor` pages on.',
  request: { query: needsActionQuerySchema },
  responses: { 200: { description: 'a page of orders', content: json(ordersResponseSchema) }, ...errorResponses({ query: true }) },
});

export const unlinkedRoute = createRoute({
  method: 'get',
  path: '/unlinked-ali-orders',
  operationId: 'getV1UnlinkedAliOrders',
  summary: 'AliExpress orders the extension read that no store order links to, newest id first.',
  request: { query: unlinkedQuerySchema },
  responses: { 200: { description: 'a page of AliExpress orders', content: json(unlinkedResponseSchema) }, ...errorResponses({ query: true }) },
});

export const timelinesRoute = createRoute({
  method: 'get',
  path: '/store-orders/{id}/events',
  operationId: 'getV1StoreOrdersByIdEvents',
  summary: 'Every package of a store order with its full carrier event timeline, newest event first.',
  request: { params: storeOrderParams },
  responses: { 200: { description: 'timelines', content: json(timelinesResponseSchema) }, ...errorResponses({ id: true }) },
});

export const eventsRoute = createRoute({
  method: 'get',
  path: '/events',
  operationId: 'getV1Events',
  summary: 'Server-sent events: `changed` whenever the merchant\'s orders change (a sync, an action), checked every 2 s.',
  responses: {
    200: { description: 'an event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses({}),
    429: answer('too many open event streams for this merchant'),
  },
});
