import { describe, expect, it } from 'vitest';
import { errorResponseSchema } from '../../lib/domain/api';
import { MAX_BODY_BYTES } from '../../server/http/body';
import { backendWithMerchant, DATABASES, type TestBackend } from './helpers';

describe.each(DATABASES)('HTTP surface on %s', (kind) => {
  let b: TestBackend;
  let token: string;
  backendWithMerchant(kind, import.meta.filename, (backend, merchantToken) => {
    b = backend;
    token = merchantToken;
  });

  it('grants CORS to extension origins only', async () => {
    const preflight = (origin: string) =>
      b.app.request('/v1/sync', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
    const ext = await preflight('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    expect(ext.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnopabcdefghijklmnop');
    for (const origin of ['https://evil.example', 'http://localhost:3000', 'chrome-extension://x.evil.example']) {
      expect((await preflight(origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
    const get = await b.call(token, '/v1/quota', { headers: { origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a body over the limit with 413 before reading it', async () => {
    const res = await b.call(token, '/v1/sync', { raw: `{"idempotencyKey":"${'x'.repeat(MAX_BODY_BYTES)}"}` });
    expect(res.status).toBe(413);
    expect(errorResponseSchema.parse(res.body).error.code).toBe('payload_too_large');
  });

  it('answers an unknown endpoint with 404 in the error shape', async () => {
    const res = await b.call(token, '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(errorResponseSchema.parse(res.body).error.code).toBe('not_found');
  });

  it('serves an OpenAPI 3.1 document, without a token, that describes every route and nothing else', async () => {
    const res = await b.call(null, '/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const routed = b.app.routes
      .filter((r) => r.path.startsWith('/v1/') && !r.path.includes('*') && r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(new Set(documented)).toEqual(new Set(routed));
    expect(doc.paths['/v1/sync']!.post!.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object' } } } });
    expect(doc.paths['/v1/manual-sync']!.post!.responses['429']).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
    expect(JSON.stringify(doc)).toContain('"awaiting_fulfillment"');
    expect(documented.length).toBe(new Set(routed).size);
  });

  it('reports its database on /healthz and tags each answer with a request id', async () => {
    const res = await b.call(null, '/healthz');
    expect(res.body).toEqual({ ok: true, database: kind });
    expect(res.headers.get('x-request-id')).toMatch(/.+/);
  });
});
