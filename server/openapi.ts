/**
 * The OpenAPI 3.1 document of `/v1`, generated from the same zod schemas that validate the requests
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12, which is what z.toJSONSchema writes).
 */
import { z } from 'zod';
import {
  createStoreOrderResponseSchema,
  createStoreOrderSchema,
  errorResponseSchema,
  fulfillManuallySchema,
  manualSyncRefusedSchema,
  orderViewSchema,
  ordersQuerySchema,
  ordersResponseSchema,
  placeStoreOrderSchema,
  placingFailedSchema,
  quotaResponseSchema,
  setTrackingStatusSchema,
  storeOrderDetailSchema,
  syncRequestSchema,
  syncResponseSchema,
  watchlistQuerySchema,
  watchlistResponseSchema,
} from '../lib/domain/api';

export interface Operation {
  method: 'get' | 'post' | 'put';
  /** OpenAPI style (`{id}`); the app's Hono path is the same with `:id`. */
  path: string;
  summary: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The body may be left out altogether (its schema's defaults apply). */
  bodyOptional?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType; headers?: Record<string, string> }>;
  public?: boolean;
}

const storeOrderPath = (suffix = '') => `/v1/store-orders/{id}${suffix}`;

export const OPERATIONS: readonly Operation[] = [
  {
    method: 'post',
    path: '/v1/sync',
    summary: 'Apply what the extension read. Answers per AliExpress order; a replayed idempotency key answers the same.',
    body: syncRequestSchema,
    responses: { 200: { description: 'applied', schema: syncResponseSchema } },
  },
  {
    method: 'get',
    path: '/v1/orders',
    summary: 'Store orders, newest first, with flags computed now; `nextCursor` pages on.',
    query: ordersQuerySchema,
    responses: { 200: { description: 'a page of orders', schema: ordersResponseSchema } },
  },
  {
    method: 'get',
    path: '/v1/watchlist',
    summary: 'The AliExpress orders worth a page load (not locked, not final) and what each still lacks.',
    query: watchlistQuerySchema,
    responses: { 200: { description: 'most urgent first', schema: watchlistResponseSchema } },
  },
  {
    method: 'post',
    path: '/v1/manual-sync',
    summary: 'Takes one of the day\'s 10 manual syncs (at least 10 minutes apart, days in the merchant\'s timezone).',
    responses: {
      200: { description: 'accepted', schema: quotaResponseSchema },
      429: {
        description: 'refused by the `cooldown` or the `daily_limit` rule',
        schema: manualSyncRefusedSchema,
        headers: { 'Retry-After': 'seconds until a manual sync is allowed again' },
      },
    },
  },
  {
    method: 'get',
    path: '/v1/quota',
    summary: 'The manual-sync quota as it stands.',
    responses: { 200: { description: 'quota', schema: quotaResponseSchema } },
  },
  {
    method: 'post',
    path: '/v1/store-orders',
    summary: 'A new store order (pending until the customer\'s payment is captured).',
    body: createStoreOrderSchema,
    responses: { 201: { description: 'created', schema: createStoreOrderResponseSchema } },
  },
  {
    method: 'get',
    path: storeOrderPath(),
    summary: 'One store order with its audit trail.',
    responses: { 200: { description: 'the order', schema: storeOrderDetailSchema } },
  },
  {
    method: 'post',
    path: storeOrderPath('/place'),
    summary: 'Placed to AliExpress: one AliExpress order per supplier.',
    body: placeStoreOrderSchema,
    responses: { 200: { description: 'the order after placing', schema: orderViewSchema } },
  },
  {
    method: 'post',
    path: storeOrderPath('/payment-captured'),
    summary: 'The store captured the customer\'s payment: Pending moves on to Awaiting order. Idempotent.',
    responses: { 200: { description: 'the order', schema: orderViewSchema } },
  },
  {
    method: 'post',
    path: storeOrderPath('/placing-failed'),
    summary: 'Placing failed with errors or restrictions: the order moves to Failed until placed again.',
    body: placingFailedSchema,
    responses: { 200: { description: 'the order', schema: orderViewSchema } },
  },
  {
    method: 'post',
    path: storeOrderPath('/fulfill-manually'),
    summary: 'Fulfilled by hand (before or after placing) or on the store: moves to Fulfilled and locks the order.',
    body: fulfillManuallySchema,
    bodyOptional: true,
    responses: { 200: { description: 'the locked order', schema: orderViewSchema } },
  },
  {
    method: 'put',
    path: storeOrderPath('/tracking-status'),
    summary: 'A tracking status set by hand, for reference only.',
    body: setTrackingStatusSchema,
    responses: { 200: { description: 'the order', schema: orderViewSchema } },
  },
  {
    method: 'post',
    path: storeOrderPath('/retrack'),
    summary: 'Drops the manual tracking status and asks the extension for live carrier data.',
    responses: { 200: { description: 'the order', schema: orderViewSchema } },
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This document.',
    public: true,
    responses: { 200: { description: 'OpenAPI 3.1' } },
  },
];

const json = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: json(errorResponseSchema, 'output') } } });

function operationObject(op: Operation) {
  const parameters: object[] = [];
  if (op.path.includes('{id}')) parameters.push({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,18}$' } });
  if (op.query) {
    const query = json(op.query, 'input') as { properties: Record<string, object>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties)) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  const responses: Record<string, object> = {};
  for (const [status, r] of Object.entries(op.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.schema && { content: { 'application/json': { schema: json(r.schema, 'output') } } }),
      ...(r.headers && { headers: Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'integer' } }])) }),
    };
  }
  if (!op.public) {
    if (op.body || op.query) responses[400] = errorResponse('malformed JSON or a body/query that does not match the schema');
    responses[401] = errorResponse('missing or invalid API token');
    if (op.path.includes('{id}')) responses[404] = errorResponse('no such store order (or not this merchant\'s)');
    if (op.method !== 'get') responses[409] = errorResponse('conflicts with the order\'s state (locked, exists already, key reused)');
    if (op.body) responses[413] = errorResponse('the body is too large');
  }
  return {
    operationId: `${op.method}${op.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^a-zA-Z0-9]+(.)/g, (_, ch: string) => ch.toUpperCase())}`,
    summary: op.summary,
    ...(op.public ? { security: [] } : {}),
    ...(parameters.length > 0 && { parameters }),
    ...(op.body && {
      requestBody: { required: !op.bodyOptional, content: { 'application/json': { schema: json(op.body, 'input') } } },
    }),
    responses,
  };
}

let cached: object | undefined;

export function openApiDocument(): object {
  cached ??= {
    openapi: '3.1.0',
    info: {
      title: 'Ali Order Sync backend',
      version: '1',
      description: 'A DSers-style order backend: AliExpress statuses and tracking pushed by the browser extension.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: OPERATIONS.reduce<Record<string, Record<string, object>>>((paths, op) => {
      (paths[op.path] ??= {})[op.method] = operationObject(op);
      return paths;
    }, {}),
  };
  return cached;
}
