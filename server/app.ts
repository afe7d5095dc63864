/** The backend's HTTP API (`/v1`). Every body is checked against the shared zod schemas. */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  createStoreOrderSchema,
  fulfillManuallySchema,
  ordersQuerySchema,
  placeStoreOrderSchema,
  placingFailedSchema,
  setTrackingStatusSchema,
  syncRequestSchema,
  watchlistQuerySchema,
  type SyncRequest,
  type ErrorResponse,
  type ManualSyncRefused,
  type QuotaResponse,
} from '../lib/domain/api';
import { lookupHash, merchantForToken, type Merchant } from './auth';
import type { Database } from './db';
import type { Logger } from './log';
import { openApiDocument } from './openapi';
import {
  ConflictError,
  NotFoundError,
  syncAs,
  createStoreOrder,
  fulfillManually,
  getStoreOrder,
  listOrders,
  markPaymentCaptured,
  markPlacingFailed,
  placeStoreOrder,
  retrack,
  setManualTrackingStatus,
  watchlist,
} from './orders';
import { readQuota, takeManualSync } from './quota';

export interface AppOptions {
  db: Database;
  log: Logger;
  /** The clock; tests move it. */
  now?: () => Date;
}

type Env = { Variables: { merchant: Merchant; token: string } };
type ErrorCode = ErrorResponse['error']['code'];

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** The extension's pages and worker; web pages get no CORS grant. */
const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/;
const allowedOrigin = (origin: string): string | null => (EXTENSION_ORIGIN.test(origin) ? origin : null);
const EXPOSED_HEADERS = ['Retry-After', 'x-request-id'];

function fail(status: 400 | 401 | 404 | 409 | 413, code: ErrorCode, message: string): never {
  throw new HTTPException(status, { res: Response.json({ error: { code, message } } satisfies ErrorResponse, { status }) });
}

const tooLarge = (): never => fail(413, 'payload_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
const invalidToken: () => never = () => fail(401, 'unauthorized', 'the API token is not valid');

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) fail(400, 'bad_request', z.prettifyError(parsed.error));
  return parsed.data;
}

/** The JSON body, validated; `optional` bodies may be left out (their schema's defaults apply). */
async function readBody<T>(c: Context, schema: z.ZodType<T>, optional = false): Promise<T> {
  const text = await c.req.text();
  if (optional && text.trim() === '') return parse(schema, {});
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    fail(400, 'bad_request', 'the body is not valid JSON');
  }
  return parse(schema, body);
}

export function createApp({ db, log, now = () => new Date() }: AppOptions): Hono<Env> {
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id')?.slice(0, 100) ?? randomUUID();
    await next();
    // On the answer once it is made, error answers included (see the CORS headers below).
    c.res.headers.set('x-request-id', requestId);
    log.info('request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      merchant: c.get('merchant')?.id,
    });
  });

  const preflight = cors({ origin: allowedOrigin, exposeHeaders: EXPOSED_HEADERS });
  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    // The headers hono's cors() gives an actual request, set on the answer once it is made: set
    // before (as cors() does), they make Hono rebuild every answer, and the server then sends it
    // as a stream, which cost more per request than the sync's own JSON.
    const origin = allowedOrigin(c.req.header('origin') ?? '');
    if (origin) c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(','));
    c.res.headers.append('Vary', 'Origin');
  });

  app.get('/healthz', (c) => c.json({ ok: true, database: db.kind }));

  // Public: the document describes the API, it reveals nothing about any merchant.
  app.get('/v1/openapi.json', (c) => c.json(openApiDocument()));

  const limitStream = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  app.use('/v1/*', async (c, next) => {
    // A declared length is checked as it is. Only a body of unknown length goes through bodyLimit,
    // which counts it as it streams in but turns the request into a web Request to do so; the
    // server reads a declared body straight from the socket instead, which costs much less per request.
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return limitStream(c, next);
    if (Number.parseInt(length, 10) > MAX_BODY_BYTES) tooLarge();
    await next();
  });

  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) fail(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
    c.set('token', token);
    // The busiest route checks its token in its own first statement (see syncAs).
    if (c.req.method === 'POST' && c.req.path === '/v1/sync') return next();
    const merchant = await merchantForToken(db, token);
    if (!merchant) invalidToken();
    c.set('merchant', merchant);
    await next();
  });

  const merchantId = (c: Context<Env>) => c.get('merchant').id;

  app.post('/v1/sync', async (c) => {
    const token = c.get('token');
    let request: SyncRequest;
    try {
      request = await readBody(c, syncRequestSchema);
    } catch (error) {
      // A wrong token is told before a bad body, as on every other route.
      if (!(await merchantForToken(db, token))) invalidToken();
      throw error;
    }
    const hash = lookupHash(token);
    const outcome = hash === undefined ? undefined : await syncAs(db, { tokenHash: hash }, request, now());
    if (!outcome) invalidToken();
    c.set('merchant', outcome.merchant);
    // The answer's JSON was made once, for the idempotency record; it is sent as it is.
    return c.body(outcome.json, 200, { 'content-type': 'application/json' });
  });

  app.get('/v1/orders', async (c) => c.json(await listOrders(db, merchantId(c), parse(ordersQuerySchema, c.req.query()), now())));

  app.get('/v1/watchlist', async (c) => {
    const { limit } = parse(watchlistQuerySchema, c.req.query());
    return c.json(await watchlist(db, merchantId(c), limit, now()));
  });

  app.post('/v1/manual-sync', async (c) => {
    const outcome = await takeManualSync(db, c.get('merchant'), now());
    if (outcome.accepted) return c.json({ quota: outcome.quota } satisfies QuotaResponse);
    const seconds = Math.max(1, Math.ceil((outcome.retryAt.getTime() - now().getTime()) / 1000));
    const message =
      outcome.rule === 'daily_limit'
        ? `all ${outcome.quota.limit} manual syncs of ${outcome.quota.day} are used; the next day starts in ${seconds} s`
        : `a manual sync ran less than 10 minutes ago; try again in ${seconds} s`;
    const body: ManualSyncRefused = { error: { code: 'rate_limited', message, rule: outcome.rule }, quota: outcome.quota };
    return c.json(body, 429, { 'Retry-After': String(seconds) });
  });

  app.get('/v1/quota', async (c) => c.json({ quota: await readQuota(db, c.get('merchant'), now()) } satisfies QuotaResponse));

  app.post('/v1/store-orders', async (c) => {
    const body = await readBody(c, createStoreOrderSchema);
    const id = await createStoreOrder(db, merchantId(c), body.storeOrderNumber, body.paid, now());
    return c.json({ id }, 201);
  });

  app.get('/v1/store-orders/:id', async (c) => c.json(await getStoreOrder(db, merchantId(c), c.req.param('id'), now())));

  app.post('/v1/store-orders/:id/place', async (c) => {
    const body = await readBody(c, placeStoreOrderSchema);
    return c.json(await placeStoreOrder(db, merchantId(c), c.req.param('id'), body.aliOrders, now()));
  });

  app.post('/v1/store-orders/:id/payment-captured', async (c) => c.json(await markPaymentCaptured(db, merchantId(c), c.req.param('id'), now())));

  app.post('/v1/store-orders/:id/placing-failed', async (c) => {
    const body = await readBody(c, placingFailedSchema);
    return c.json(await markPlacingFailed(db, merchantId(c), c.req.param('id'), body.reason, now()));
  });

  app.post('/v1/store-orders/:id/fulfill-manually', async (c) => {
    const body = await readBody(c, fulfillManuallySchema, true);
    return c.json(await fulfillManually(db, merchantId(c), c.req.param('id'), body.onStore, now()));
  });

  app.put('/v1/store-orders/:id/tracking-status', async (c) => {
    const body = await readBody(c, setTrackingStatusSchema);
    return c.json(await setManualTrackingStatus(db, merchantId(c), c.req.param('id'), body.trackingStatus, now()));
  });

  app.post('/v1/store-orders/:id/retrack', async (c) => c.json(await retrack(db, merchantId(c), c.req.param('id'), now())));

  app.notFound(() => fail(404, 'not_found', 'no such endpoint'));

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (error instanceof NotFoundError) return c.json({ error: { code: 'not_found', message: error.message } } satisfies ErrorResponse, 404);
    if (error instanceof ConflictError) return c.json({ error: { code: 'conflict', message: error.message } } satisfies ErrorResponse, 409);
    log.error('unhandled', { path: c.req.path, error: String((error as Error).stack ?? error) });
    return c.json({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorResponse, 500);
  });

  return app;
}
