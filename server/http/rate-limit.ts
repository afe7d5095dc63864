/**
 * A per-merchant request rate limit on the write routes: a token bucket per merchant, in this
 * process's memory (several backend processes each allow as much; the limit is against a runaway
 * client or a stolen token, not an exact quota). Refused requests get 429 and Retry-After, which
 * the extension honours.
 */
import type { MiddlewareHandler } from 'hono';
import type { Env } from './env';
import { errorResponse } from './errors';

export interface WriteRateLimit {
  /** Writes a merchant may send at once. */
  burst: number;
  /** Writes a second a merchant gets back. */
  perSecond: number;
}

/**
 * Far above what the extension sends (a push of its outbox is one request an entry, a few hundred
 * after a day offline), far below what a loop sends.
 */
export const DEFAULT_WRITE_RATE_LIMIT: WriteRateLimit = { burst: 600, perSecond: 10 };

/** Buckets not touched for this long are full again and are forgotten. */
const IDLE_MS = 10 * 60_000;

export function limitWrites(limit: WriteRateLimit, now: () => number = Date.now): MiddlewareHandler<Env> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  let lastSweep = now();
  return async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT') return next();
    const at = now();
    if (at - lastSweep > IDLE_MS) {
      for (const [id, b] of buckets) if (at - b.at > IDLE_MS) buckets.delete(id);
      lastSweep = at;
    }
    const merchantId = c.get('merchant').id;
    const bucket = buckets.get(merchantId) ?? { tokens: limit.burst, at };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((at - bucket.at) / 1000) * limit.perSecond);
    bucket.at = at;
    buckets.set(merchantId, bucket);
    if (bucket.tokens < 1) {
      const seconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
      const res = errorResponse(429, 'rate_limited', `too many changes at once: at most ${limit.burst} in a burst, then ${limit.perSecond} a second; try again in ${seconds} s`);
      res.headers.set('Retry-After', String(seconds));
      return res;
    }
    bucket.tokens -= 1;
    await next();
  };
}
