/** What the API tells browsers and caches, whom it lets in across origins, and how fast a merchant may write. */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { silentLogger } from '../../server/log';
import { IDEMPOTENCY_RETENTION_MS, pruneIdempotencyRecords } from '../../server/sync/idempotency';
import { backendWithMerchant, DATABASES, snapshot, syncBody, type TestBackend } from './helpers';

const EXTENSION = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';

describe.each(DATABASES)('security of the HTTP surface on %s', (kind) => {
  let b: TestBackend;
  let token: string;
  backendWithMerchant(kind, import.meta.filename, (backend, merchantToken) => {
    b = backend;
    token = merchantToken;
  });

  it('answers with nosniff, a CSP that loads nothing, and no-store, errors included', async () => {
    for (const res of [await b.call(token, '/v1/quota'), await b.call(null, '/v1/quota'), await b.call(null, '/v1/openapi.json'), await b.call(null, '/healthz')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('lets only the configured origins and the API\'s own headers cross origins', async () => {
    const app = createApp({ db: b.db, log: silentLogger, allowedOrigins: [EXTENSION] });
    const preflight = (origin: string, headers = 'authorization, content-type') =>
      app.request('/v1/sync', { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
    const granted = await preflight(EXTENSION);
    expect(granted.headers.get('access-control-allow-origin')).toBe(EXTENSION);
    expect(granted.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(['authorization', 'content-type', 'x-request-id']);
    expect(granted.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT');
    // Another extension is not the configured one.
    expect((await preflight('chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a merchant\'s writes past the rate limit with 429 and Retry-After, leaving reads and other merchants alone', async () => {
    const app = createApp({ db: b.db, log: silentLogger, now: b.clock.now, writeRateLimit: { burst: 3, perSecond: 0.5 } });
    const other = await b.merchant();
    const post = (t: string) =>
      app.request('/v1/store-orders', {
        method: 'POST',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
        body: JSON.stringify({ storeOrderNumber: `#R-${Math.random()}`, paid: true }),
      });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(token)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await post(token);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect((await app.request('/v1/quota', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await post(other.token)).status).toBe(201);
  });

  it('prunes idempotency records older than the retention, and keeps the rest', async () => {
    const me = await b.merchant();
    const old = syncBody([snapshot('2026-07-01T09:00:00Z', [])]);
    expect((await b.call(me.token, '/v1/sync', { body: old })).status).toBe(200);
    b.clock.advance(IDEMPOTENCY_RETENTION_MS + 60_000);
    const recent = syncBody([snapshot('2026-07-01T09:00:00Z', [])]);
    expect((await b.call(me.token, '/v1/sync', { body: recent })).status).toBe(200);
    expect(await pruneIdempotencyRecords(b.db, b.clock.now())).toBeGreaterThanOrEqual(1);
    const { rows } = await b.db.query<{ idempotency_key: string }>('select idempotency_key from sync_requests where merchant_id = $1', [me.id]);
    expect(rows.map((r) => r.idempotency_key)).toEqual([recent.idempotencyKey]);
  });
});
