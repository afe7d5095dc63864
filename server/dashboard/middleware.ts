/**
 * Cookie sessions on the `/v1` API, beside Bearer tokens: a request without an Authorization
 * header but with the dashboard's session cookie is the session's merchant. A change (anything but
 * GET and HEAD) must carry the session's CSRF token in `x-csrf-token` and, when the browser says
 * where it comes from, come from this origin. The extension's sync stays Bearer-only.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import type { Database } from '../db';
import type { Env } from '../http/env';
import { fail } from '../http/errors';
import { CSRF_HEADER, csrfMatches, SESSION_COOKIE, SESSION_TTL_MS, sessionFor } from './sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Routes only an API token may call. */
const TOKEN_ONLY = new Set(['POST /v1/sync']);

/** Whether the browser reached us over HTTPS, directly or through a proxy that says so. */
export const overHttps = (c: Context): boolean => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

/** A change from a page of another origin is refused even with a valid cookie and token. */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  const host = c.req.header('host');
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function requireSameOrigin(c: Context): void {
  if (!sameOrigin(c)) fail(403, 'forbidden', 'the request comes from another origin');
}

export function sessionAuth(db: Database, now: () => Date): MiddlewareHandler<Env> {
  return async (c, next) => {
    if (c.req.method === 'OPTIONS' || c.req.header('authorization') !== undefined || TOKEN_ONLY.has(`${c.req.method} ${c.req.path}`)) return next();
    const id = getCookie(c, SESSION_COOKIE);
    if (!id) return next();
    const session = await sessionFor(db, id, now());
    if (!session) return next();
    if (!SAFE_METHODS.has(c.req.method)) {
      requireSameOrigin(c);
      if (!csrfMatches(session, c.req.header(CSRF_HEADER))) fail(403, 'forbidden', `a change made with the session cookie needs the session's CSRF token in the ${CSRF_HEADER} header`);
    }
    c.set('session', session);
    c.set('merchant', session.merchant);
    await next();
  };
}

/** Routes that manage credentials answer only to a signed-in session, never to an extension's token. */
export const requireSession: MiddlewareHandler<Env> = async (c, next) => {
  if (!c.get('session')) fail(403, 'forbidden', 'sign in to the dashboard to do this');
  await next();
};

export function setSessionCookie(c: Context, sessionId: string): void {
  setCookie(c, SESSION_COOKIE, sessionId, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: overHttps(c),
    path: '/',
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Strict', secure: overHttps(c) });
}

/**
 * At most a few password checks at once in this process: each costs scrypt's 32 MiB and tens of
 * milliseconds, so a flood of sign-ins is answered 429 at once rather than queued.
 */
export class PasswordCheckSlots {
  private running = 0;
  constructor(private readonly max = 4) {}
  async run<T>(check: () => Promise<T>): Promise<T | undefined> {
    if (this.running >= this.max) return undefined;
    this.running++;
    try {
      return await check();
    } finally {
      this.running--;
    }
  }
}
