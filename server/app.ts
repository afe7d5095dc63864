/**
 * The backend's HTTP API (`/v1`): the middleware every request goes through, then one router per
 * resource (server/routes/*), each route defined once with its schemas; the OpenAPI document is
 * generated from those definitions.
 */
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { dashboardRouter, publicRouter, serveDashboard } from './dashboard';
import { sessionAuth } from './dashboard/middleware';
import { AliExpressService } from './aliexpress-api/service';
import type { Database } from './db';
import { checkQueryText, limitDeclaredBodySize, parseJsonBody } from './http/body';
import type { Env } from './http/env';
import { errorHandler, fail, validationHook } from './http/errors';
import { authenticate, extensionCors, requestLog, securityHeaders } from './http/middleware';
import { DEFAULT_WRITE_RATE_LIMIT, limitWrites, type WriteRateLimit } from './http/rate-limit';
import type { Logger } from './log';
import { aliexpressCallbackRouter, aliexpressRouter } from './routes/aliexpress';
import { ordersRouter } from './routes/orders';
import { quotaRouter } from './routes/quota';
import { storeOrdersRouter } from './routes/store-orders';
import { syncRouter } from './routes/sync';
import { watchlistRouter } from './routes/watchlist';
import { reorderRouter } from './routes/reorder';
import { settingsRouter } from './routes/settings';
import { storesRouter } from './routes/stores';
import { webhookEndpointsRouter } from './routes/webhook-endpoints';
import { shopifyWebhooksRouter } from './routes/webhooks';
import type { StoreLeg } from './jobs/runner';
import type { SecretBox } from './secrets';

export interface AppOptions {
  db: Database;
  log: Logger;
  /** The clock; tests move it. */
  now?: () => Date;
  /** The first-run setup code the backend printed (see server/main.ts); without one the setup page is closed. */
  setupCode?: string;
  /** Where the built dashboard is (default dashboard/dist). */
  dashboardDir?: string;
  /** Exact origins granted CORS (ALLOWED_ORIGINS); any extension origin when absent. */
  allowedOrigins?: readonly string[];
  writeRateLimit?: WriteRateLimit;
  /** Syncing through the AliExpress Open Platform; without it the feature answers "not configured". */
  aliexpress?: AliExpressService;
  /** Secrets at rest (SECRETS_KEY); without it stores and webhook endpoints cannot be added. */
  box?: SecretBox;
  /** The store leg's background work, told of store orders that change. */
  storeLeg?: StoreLeg;
  /** PUBLIC_URL: where a connected store's webhooks are subscribed to. */
  publicUrl?: string;
  /** ALLOW_PRIVATE_WEBHOOK_URLS: outgoing webhook endpoints may be private addresses (tests, the demo, local use). */
  allowPrivateWebhookUrls?: boolean;
}

const openApiRoute = createRoute({
  method: 'get',
  path: '/v1/openapi.json',
  operationId: 'getV1OpenapiJson',
  summary: 'This document.',
  security: [],
  responses: { 200: { description: 'OpenAPI 3.1' } },
});

export function createApp({
  db,
  log,
  now = () => new Date(),
  setupCode,
  dashboardDir,
  allowedOrigins,
  writeRateLimit = DEFAULT_WRITE_RATE_LIMIT,
  aliexpress = new AliExpressService({ db, log, config: undefined }),
  box,
  storeLeg,
  publicUrl,
  allowPrivateWebhookUrls = false,
}: AppOptions): OpenAPIHono<Env> {
  const deps = { db, now, box, storeLeg, publicUrl, allowPrivateWebhookUrls };
  const app = new OpenAPIHono<Env>({ defaultHook: validationHook });
  app.use(requestLog(log));
  app.use(securityHeaders);
  app.use('/v1/*', extensionCors(allowedOrigins));

  app.get('/healthz', (c) => c.json({ ok: true, database: db.kind }));

  // Public: the document describes the API, it reveals nothing about any merchant.
  let document: object | undefined;
  app.openapi(openApiRoute, (c) => c.json((document ??= openApiDocument(app)), 200));

  serveDashboard(app, dashboardDir);
  // Before the token check and the JSON parsing: a webhook's signature over its raw body is its authentication.
  app.route('/v1/webhooks', shopifyWebhooksRouter(deps));

  // A browser coming back from AliExpress: no API token, its OAuth state says who it is for.
  app.route('/', aliexpressCallbackRouter({ ...deps, aliexpress }));

  app.use('/v1/*', limitDeclaredBodySize);
  // Signing in needs no credential; then a session cookie or a Bearer token is required.
  app.route('/v1', publicRouter(deps, { setupCode }));
  app.use('/v1/*', sessionAuth(db, now));
  app.use('/v1/*', authenticate(db));
  app.use('/v1/*', limitWrites(writeRateLimit));
  app.use('/v1/*', parseJsonBody);
  app.use('/v1/*', checkQueryText);

  app.route('/v1/sync', syncRouter(deps));
  app.route('/v1/orders', ordersRouter(deps));
  app.route('/v1/watchlist', watchlistRouter(deps));
  app.route('/v1', quotaRouter(deps));
  // A command on a store order can change what the store should be told (a placing, a lock).
  app.use('/v1/store-orders/:id/*', async (c, next) => {
    await next();
    if (c.req.method === 'POST' && c.res.ok) await storeLeg?.ordersChanged(c.get('merchant').id, [c.req.param('id')]);
  });
  app.route('/v1/store-orders', reorderRouter(deps));
  app.route('/v1/store-orders', storeOrdersRouter(deps));
  app.route('/v1', dashboardRouter(deps));
  app.route('/v1', aliexpressRouter({ ...deps, aliexpress }));
  app.route('/v1/stores', storesRouter(deps));
  app.route('/v1/settings', settingsRouter(deps));
  app.route('/v1/webhook-endpoints', webhookEndpointsRouter(deps));

  app.notFound(() => fail(404, 'not_found', 'no such endpoint'));
  app.onError(errorHandler(log));
  return app;
}

function openApiDocument(app: OpenAPIHono<Env>): object {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'aos_session' });
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Ali Order Sync backend',
      version: '1',
      description: 'A DSers-style order backend: AliExpress statuses and tracking pushed by the browser extension.',
    },
    security: [{ bearer: [] }, { session: [] }],
  });
}
