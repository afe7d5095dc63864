/**
 * The dashboard's part of the backend: sign-in and first-run setup (before any credential), the
 * signed-in routes (session, tokens, the order screen's counts and lists, timelines, live events),
 * and the built app itself at `/` under a strict CSP.
 */
import { timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { getCookie } from 'hono/cookie';
import type { OrderView } from '../../lib/domain/api';
import { ACTION_FLAGS } from '../../lib/presentation/needs-action';
import { merchantForToken } from '../auth';
import type { Database } from '../db';
import type { Deps, Env } from '../http/env';
import { parseJsonBody } from '../http/body';
import { fail } from '../http/errors';
import { newRouter } from '../http/router';
import { listOrders } from '../views';
import { createMerchantWithLogin, LoginTakenError, needsSetup } from './accounts';
import { changeMark, POLL_MS, StreamCounter } from './live';
import { clearSessionCookie, PasswordCheckSlots, requireSameOrigin, requireSession, setSessionCookie } from './middleware';
import { packageTimelines, orderCounts } from './order-screen';
import {
  eventsRoute,
  getSessionRoute,
  issueTokenRoute,
  listTokensRoute,
  needsActionRoute,
  orderCountsRoute,
  revokeTokenRoute,
  setupRoute,
  setupStatusRoute,
  signInRoute,
  signOutRoute,
  timelinesRoute,
  unlinkedRoute,
} from './routes';
import { SESSION_COOKIE, sessionFor, signIn, signOut } from './sessions';
import { dashboardResponse, loadDashboard } from './static';
import { issueToken, listTokens, revokeToken, TooManyTokensError } from './tokens';
import { listUnlinked } from './unlinked';

export interface DashboardOptions {
  /** The first-run setup code (printed by the backend when no merchant can sign in); no code, no setup. */
  setupCode?: string;
}

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Signing in and first-run setup: mounted before the API's authentication. */
export function publicRouter({ db, now }: Deps, { setupCode }: DashboardOptions) {
  const slots = new PasswordCheckSlots();
  const router = newRouter();
  // Only these routes' bodies are read before a credential, and only after the size limit.
  router.use('/session', parseJsonBody);
  router.use('/setup', parseJsonBody);
  return router
    .openapi(signInRoute, async (c) => {
      requireSameOrigin(c);
      const { login, password } = c.req.valid('json');
      const outcome = await slots.run(() => signIn(db, login, password, now()));
      if (!outcome) return c.json({ error: { code: 'rate_limited' as const, message: 'too many sign-ins at once; try again in a moment' } }, 429, { 'Retry-After': '1' });
      if (!outcome.ok && outcome.reason === 'locked') {
        const seconds = Math.max(1, Math.ceil((outcome.retryAt.getTime() - now().getTime()) / 1000));
        return c.json({ error: { code: 'rate_limited' as const, message: `too many failed attempts; sign-in is locked for ${seconds} s` } }, 429, { 'Retry-After': String(seconds) });
      }
      if (!outcome.ok) return c.json({ error: { code: 'unauthorized' as const, message: 'wrong login or password' } }, 401);
      setSessionCookie(c, outcome.sessionId);
      const { merchant, csrfToken, expiresAt } = outcome.session;
      return c.json({ merchant, csrfToken, expiresAt: expiresAt.toISOString() }, 200);
    })
    .openapi(setupStatusRoute, async (c) => c.json({ needsSetup: setupCode !== undefined && (await needsSetup(db)) }, 200))
    .openapi(setupRoute, async (c) => {
      requireSameOrigin(c);
      const body = c.req.valid('json');
      if (!setupCode || !sameSecret(body.setupCode, setupCode)) fail(403, 'forbidden', 'the setup code is not the one the backend printed when it started', 'setupCode');
      if (!(await needsSetup(db))) fail(409, 'conflict', 'a merchant can sign in already: setup is closed');
      try {
        const { merchant } = await createMerchantWithLogin(db, body);
        return c.json({ merchantId: merchant.id }, 201);
      } catch (error) {
        if (error instanceof LoginTakenError) fail(409, 'conflict', error.message, 'login');
        fail(400, 'bad_request', (error as Error).message);
      }
    });
}

/** The orders "Needs action" shows: those with any of its three flags, newest first, a page at a time. */
async function needsActionPage(db: Database, merchantId: string, query: { q?: string; cursor?: string; limit: number }, now: Date) {
  const pages = await Promise.all([...ACTION_FLAGS].map((flag) => listOrders(db, merchantId, { ...query, flag }, now)));
  // Each flag's page holds its newest `limit` orders past the cursor, so the newest `limit` of their
  // union are the newest `limit` of all flagged orders; more exist when the union is larger or a page says so.
  const byId = new Map<string, OrderView>();
  for (const page of pages) for (const order of page.orders) byId.set(order.id, order);
  const merged = [...byId.values()].sort((a, b) => Number(b.id) - Number(a.id));
  const orders = merged.slice(0, query.limit);
  const more = merged.length > query.limit || pages.some((p) => p.nextCursor !== null);
  return { orders, nextCursor: more ? (orders.at(-1)?.id ?? null) : null };
}

/** The dashboard's signed-in routes: mounted after the API's authentication (cookie session or Bearer token). */
export function dashboardRouter({ db, now }: Deps) {
  const streams = new StreamCounter();
  const router = newRouter();
  router.use('/session', requireSession);
  router.use('/tokens', requireSession);
  router.use('/tokens/*', requireSession);
  return router
    .openapi(getSessionRoute, (c) => {
      const { merchant, csrfToken, expiresAt } = c.get('session');
      return c.json({ merchant, csrfToken, expiresAt: expiresAt.toISOString() }, 200);
    })
    .openapi(signOutRoute, async (c) => {
      await signOut(db, getCookie(c, SESSION_COOKIE) ?? '');
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .openapi(listTokensRoute, async (c) => c.json({ tokens: await listTokens(db, c.get('merchant').id) }, 200))
    .openapi(issueTokenRoute, async (c) => {
      try {
        return c.json(await issueToken(db, c.get('merchant').id, c.req.valid('json').name, now()), 201);
      } catch (error) {
        if (error instanceof TooManyTokensError) fail(409, 'conflict', error.message);
        throw error;
      }
    })
    .openapi(revokeTokenRoute, async (c) => {
      if (!(await revokeToken(db, c.get('merchant').id, c.req.valid('param').tokenId, now()))) fail(404, 'not_found', 'no such live token');
      return c.body(null, 204);
    })
    .openapi(orderCountsRoute, async (c) => c.json(await orderCounts(db, c.get('merchant').id, now()), 200))
    .openapi(needsActionRoute, async (c) => c.json(await needsActionPage(db, c.get('merchant').id, c.req.valid('query'), now()), 200))
    .openapi(unlinkedRoute, async (c) => c.json(await listUnlinked(db, c.get('merchant').id, c.req.valid('query')), 200))
    .openapi(timelinesRoute, async (c) => {
      const timelines = await packageTimelines(db, c.get('merchant').id, c.req.valid('param').id);
      if (!timelines) fail(404, 'not_found', `no store order ${c.req.valid('param').id}`);
      return c.json(timelines, 200);
    })
    .openapi(eventsRoute, (c) => {
      const merchantId = c.get('merchant').id;
      if (!streams.tryOpen(merchantId)) fail(429, 'rate_limited', 'too many open event streams');
      const session = c.get('session');
      const token = session ? undefined : c.get('token');
      const cookie = getCookie(c, SESSION_COOKIE) ?? '';
      // A stream outlives its request: it stops once the session ends or the token is revoked.
      const stillSignedIn = async () =>
        token === undefined ? (await sessionFor(db, cookie, now())) !== undefined : (await merchantForToken(db, token))?.id === merchantId;
      return streamSSE(c, async (stream) => {
        try {
          let mark = await changeMark(db, merchantId);
          await stream.writeSSE({ event: 'ready', data: mark });
          while (!stream.aborted) {
            await stream.sleep(POLL_MS);
            if (stream.aborted || !(await stillSignedIn())) break;
            const next = await changeMark(db, merchantId);
            if (next !== mark) {
              mark = next;
              await stream.writeSSE({ event: 'changed', data: mark });
            }
          }
        } finally {
          streams.close(merchantId);
        }
      }) as never;
    });
}

/** The built dashboard at `/` and `/assets/*`; a clear 503 at `/` when it has not been built. */
export function serveDashboard(app: OpenAPIHono<Env>, dir?: string): void {
  const files = loadDashboard(dir);
  const serve = (path: string) => dashboardResponse(files, path) ?? fail(404, 'not_found', 'no such file');
  app.get('/', () => serve('/'));
  app.get('/assets/*', (c) => serve(c.req.path));
}
