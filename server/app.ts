/** The backend's HTTP API (`/v1`). Every body is checked against the shared zod schemas. */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import {
  createStoreOrderSchema,
  placeStoreOrderSchema,
  syncRequestSchema,
  type ErrorResponse,
} from '../lib/domain/api';
import { dsersStateSchema } from '../lib/domain/store-order';
import { merchantForToken, type Merchant } from './auth';
import type { Database } from './db';
import type { Logger } from './log';
import { ConflictError, NotFoundError, applySync, createStoreOrder, listOrders, placeStoreOrder } from './orders';

export interface AppOptions {
  db: Database;
  log: Logger;
  /** The clock; tests move it. */
  now?: () => Date;
}

type Env = { Variables: { merchant: Merchant } };
type ErrorCode = ErrorResponse['error']['code'];

export const MAX_BODY_BYTES = 8 * 1024 * 1024;

function fail(status: 400 | 401 | 404 | 409 | 413 | 429, code: ErrorCode, message: string): never {
  throw new HTTPException(status, { res: Response.json({ error: { code, message } } satisfies ErrorResponse, { status }) });
}

async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    fail(400, 'bad_request', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) fail(400, 'bad_request', z.prettifyError(parsed.error));
  return parsed.data;
}

export function createApp({ db, log, now = () => new Date() }: AppOptions): Hono<Env> {
  const app = new Hono<Env>();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    log.info('request', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      merchant: c.get('merchant')?.id,
    });
  });

  // The extension's pages and worker are the only browser clients; web pages get no CORS grant.
  app.use('/v1/*', cors({ origin: (origin) => (/^(chrome|moz)-extension:\/\/[a-z0-9-]+$/.test(origin) ? origin : null) }));

  app.get('/healthz', (c) => c.json({ ok: true, database: db.kind }));

  app.use(
    '/v1/*',
    bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => fail(413, 'payload_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`) }),
  );

  app.use('/v1/*', async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const header = c.req.header('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) fail(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
    const merchant = await merchantForToken(db, token);
    if (!merchant) fail(401, 'unauthorized', 'the API token is not valid');
    c.set('merchant', merchant);
    await next();
  });

  app.post('/v1/sync', async (c) => {
    const request = await readBody(c, syncRequestSchema);
    return c.json(await applySync(db, c.get('merchant').id, request, now()));
  });

  app.get('/v1/orders', async (c) => {
    const query = z
      .object({
        state: dsersStateSchema.optional(),
        q: z.string().max(100).optional(),
        cursor: z.string().regex(/^\d{1,18}$/).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .safeParse(c.req.query());
    if (!query.success) fail(400, 'bad_request', z.prettifyError(query.error));
    return c.json(await listOrders(db, c.get('merchant').id, query.data));
  });

  app.post('/v1/store-orders', async (c) => {
    const body = await readBody(c, createStoreOrderSchema);
    const id = await createStoreOrder(db, c.get('merchant').id, body.storeOrderNumber, body.paid);
    return c.json({ id }, 201);
  });

  app.post('/v1/store-orders/:id/place', async (c) => {
    const body = await readBody(c, placeStoreOrderSchema);
    const state = await placeStoreOrder(db, c.get('merchant').id, c.req.param('id'), body.aliOrders);
    return c.json({ id: c.req.param('id'), state });
  });

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
