/** What every request of the API goes through before its route: the request log, security headers, CORS, the token. */
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { lookupHash, merchantForToken, type Merchant } from '../auth';
import type { Database } from '../db';
import type { Logger } from '../log';
import type { Env } from './env';
import { fail } from './errors';

/** Tags each answer with a request id (the caller's, or a new one) and logs it, one line a request. */
export function requestLog(log: Logger): MiddlewareHandler<Env> {
  return async (c, next) => {
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
  };
}

/** Any Chrome or Firefox extension, when no origins are configured; web pages get no CORS grant. */
const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]+$/;
const EXPOSED_HEADERS = ['Retry-After', 'x-request-id'];
/** What the extension sends; nothing else may cross origins. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'x-request-id'];

/** CORS for the extension: the configured origins (exactly), else any extension origin; the API's methods and headers only. */
export function extensionCors(allowedOrigins?: readonly string[]): MiddlewareHandler<Env> {
  const allowed = allowedOrigins && new Set(allowedOrigins);
  const allowedOrigin = (origin: string): string | null => ((allowed ? allowed.has(origin) : EXTENSION_ORIGIN.test(origin)) ? origin : null);
  const preflight = cors({
    origin: allowedOrigin,
    allowMethods: ['GET', 'POST', 'PUT'],
    allowHeaders: ALLOWED_HEADERS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    // The headers hono's cors() gives an actual request, set on the answer once it is made: set
    // before (as cors() does), they make Hono rebuild every answer, and the server then sends it
    // as a stream, which cost more per request than the sync's own JSON.
    const origin = allowedOrigin(c.req.header('origin') ?? '');
    if (origin) c.res.headers.set('Access-Control-Allow-Origin', origin);
    c.res.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(','));
    c.res.headers.append('Vary', 'Origin');
  };
}

/**
 * On every answer: no content sniffing, no framing, no referrer, and a CSP that lets nothing load
 * (the API serves JSON; should any answer be shown as a page, it can run nothing). API answers
 * are about one merchant: never kept by a cache on the way.
 */
export const securityHeaders: MiddlewareHandler<Env> = async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set('X-Content-Type-Options', 'nosniff');
  // The dashboard's pages set their own policy and caching (server/dashboard/static.ts); every
  // other answer gets the strictest.
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  headers.set('X-Frame-Options', 'DENY');
  headers.set('Referrer-Policy', 'no-referrer');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
};

/**
 * Routes that check the token again in their own first statement: for them a token verified in
 * the last minute is let through without asking the database, so the busiest route keeps its one
 * round trip for token, key and locks, and a rotated token still writes nothing.
 */
const RECHECKING_ROUTES = new Set(['POST /v1/sync']);
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;

/** Tokens (by hash) verified recently, oldest first; bounded, so a flood of tokens cannot grow it. */
class VerifiedTokens {
  private readonly entries = new Map<string, { merchant: Merchant; until: number }>();
  get(hash: string, now: number): Merchant | undefined {
    const entry = this.entries.get(hash);
    if (entry && entry.until > now) return entry.merchant;
    if (entry) this.entries.delete(hash);
    return undefined;
  }
  set(hash: string, merchant: Merchant, now: number): void {
    this.entries.delete(hash);
    this.entries.set(hash, { merchant, until: now + VERIFIED_TTL_MS });
    if (this.entries.size > VERIFIED_MAX) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** The merchant of the bearer token, found before anything of the request is read. */
export function authenticate(db: Database): MiddlewareHandler<Env> {
  const verified = new VerifiedTokens();
  return async (c, next) => {
    // OPTIONS is CORS's preflight; a dashboard session (server/dashboard/middleware.ts) has signed the merchant in already.
    if (c.req.method === 'OPTIONS' || c.get('session')) return next();
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) fail(401, 'unauthorized', 'send the API token as "Authorization: Bearer <token>"');
    const hash = lookupHash(token);
    const rechecked = hash !== undefined && RECHECKING_ROUTES.has(`${c.req.method} ${c.req.path}`);
    const at = Date.now();
    const merchant = (rechecked && verified.get(hash, at)) || (await merchantForToken(db, token));
    if (!merchant) fail(401, 'unauthorized', 'the API token is not valid');
    if (rechecked) verified.set(hash, merchant, at);
    c.set('token', token);
    c.set('merchant', merchant);
    await next();
  };
}
