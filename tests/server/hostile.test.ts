/**
 * The API under hostile input, route by route: oversized, malformed, wrong types, text the
 * databases cannot store (NUL, lone surrogates), dates they cannot store, capture times in the
 * future, deep nesting, bodies without a valid token. Nothing may answer 5xx, every refusal is in
 * the error shape, and a 400 names the field.
 */
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorResponseSchema, type OrderView } from '../../lib/domain/api';
import { MAX_BODY_BYTES, MAX_COMMAND_BODY_BYTES } from '../../server/http/body';
import { MAX_ISSUES_SHOWN } from '../../server/http/errors';
import { DATABASES, aliOrder, newAliOrderId, openBackend, pkg, placedOrder, snapshot, syncBody, type TestBackend } from './helpers';

type Route = { method: 'GET' | 'POST' | 'PUT'; path: (id: string) => string; body?: (ali: string) => unknown };

/** Every route, with a body it accepts. */
const ROUTES: Route[] = [
  { method: 'POST', path: () => '/v1/sync', body: (ali) => syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'shipped')])]) },
  { method: 'GET', path: () => '/v1/orders' },
  { method: 'GET', path: () => '/v1/watchlist' },
  { method: 'POST', path: () => '/v1/manual-sync' },
  { method: 'GET', path: () => '/v1/quota' },
  { method: 'POST', path: () => '/v1/store-orders', body: () => ({ storeOrderNumber: `#H-${newAliOrderId()}`, paid: true }) },
  { method: 'GET', path: (id) => `/v1/store-orders/${id}` },
  { method: 'POST', path: (id) => `/v1/store-orders/${id}/place`, body: () => ({ aliOrders: [{ aliOrderId: newAliOrderId(), supplier: 'S' }] }) },
  { method: 'POST', path: (id) => `/v1/store-orders/${id}/payment-captured` },
  { method: 'POST', path: (id) => `/v1/store-orders/${id}/placing-failed`, body: () => ({ reason: 'out of stock' }) },
  { method: 'POST', path: (id) => `/v1/store-orders/${id}/fulfill-manually`, body: () => ({ onStore: false }) },
  { method: 'PUT', path: (id) => `/v1/store-orders/${id}/tracking-status`, body: () => ({ trackingStatus: 'in_transit' }) },
  { method: 'POST', path: (id) => `/v1/store-orders/${id}/retrack` },
];
const BODY_ROUTES = ROUTES.filter((r) => r.body);
const name = (r: Route) => `${r.method} ${r.path(':id')}`;

/** A body nested `depth` arrays deep. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

function expectRefusal(res: { status: number; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  return errorResponseSchema.parse(res.body).error;
}

describe.each(DATABASES)('hostile input on %s', (kind) => {
  let b: TestBackend;
  let token: string;
  let storeOrderId: string;
  beforeAll(async () => {
    b = await openBackend(kind, import.meta.filename);
    ({ token } = await b.merchant());
    storeOrderId = await placedOrder(b, token, [newAliOrderId()]);
  });
  afterAll(() => b.close());

  const send = (route: Route, init: { raw?: string; body?: unknown; token?: string | null; headers?: Record<string, string>; path?: string }) =>
    b.call(init.token === undefined ? token : init.token, init.path ?? route.path(storeOrderId), { method: route.method, ...init });

  describe.each(BODY_ROUTES.map((r) => [name(r), r] as const))('%s', (_name, route) => {
    it('answers a body without a valid token 401 without reading it, however malformed', async () => {
      for (const raw of ['{not json', nested(5000), JSON.stringify({ a: 'x'.repeat(1000) })]) {
        expect(expectRefusal(await send(route, { raw, token: 'aos_not-a-real-token-at-all' }), 401).code).toBe('unauthorized');
        expect(expectRefusal(await send(route, { raw, token: null }), 401).code).toBe('unauthorized');
      }
    });

    it('refuses an oversized body with 413: a declared one before the token is checked, a streamed one as it passes the limit', async () => {
      const max = route.path('') === '/v1/sync' ? MAX_BODY_BYTES : MAX_COMMAND_BODY_BYTES;
      const raw = JSON.stringify({ pad: 'x'.repeat(max) });
      expect(expectRefusal(await send(route, { raw }), 413).code).toBe('payload_too_large');
      const declared = await b.app.request(route.path(storeOrderId), {
        method: route.method,
        headers: { 'content-type': 'application/json', 'content-length': String(max + 1), authorization: 'Bearer aos_not-a-real-token-at-all' },
        body: '{}',
      });
      expect(declared.status).toBe(413);
    });

    it('does not read a streamed body before the token is checked', async () => {
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (++pulls > 100) controller.close();
          else controller.enqueue(new Uint8Array(64 * 1024).fill(32));
        },
      });
      const res = await b.app.request(route.path(storeOrderId), {
        method: route.method,
        headers: { authorization: 'Bearer aos_not-a-real-token-at-all', 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(401);
      expect(pulls).toBeLessThanOrEqual(2);
    });

    it.each([
      ['malformed JSON', '{"a":'],
      ['a JSON string', '"text"'],
      ['a number', '42'],
      ['deep nesting', nested(100)],
      ['an array of a million items', `[${'0,'.repeat(999_999)}0]`],
    ])('refuses %s with 400', async (_what, raw) => {
      expect(expectRefusal(await send(route, { raw }), route.path('') === '/v1/sync' || raw.length < MAX_COMMAND_BODY_BYTES ? 400 : 413).code).not.toBe('internal');
    });

    it('answers a body in another media type 415', async () => {
      const res = await send(route, { raw: 'storeOrderNumber=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(expectRefusal(res, 415).code).toBe('bad_request');
    });

    it('never answers 5xx to random JSON, and names the field of a 400', async () => {
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
          const res = await send(route, { body: value });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) errorResponseSchema.parse(res.body);
        }),
        { numRuns: 25 },
      );
    });
  });

  describe('text the databases cannot store', () => {
    const ali = newAliOrderId();
    it.each([
      ['a NUL in a status text', aliOrder(ali, 'shipped', { statusText: 'Shipped\u0000' }), 'snapshots[0].orders[0].statusText', 'NUL'],
      ['a lone surrogate in an event text', aliOrder(ali, 'shipped', { packages: [{ ...pkg('LPX', 'in_transit'), events: [{ at: '2026-07-01T08:00:00Z', text: 'Arrived \ud800' }] }] }), 'snapshots[0].orders[0].packages[0].events[0].text', 'surrogate'],
      ['year 0000 in an event', aliOrder(ali, 'shipped', { packages: [pkg('LPY', 'in_transit', ['0000-01-01T00:00:00Z'])] }), 'snapshots[0].orders[0].packages[0].events[0].at', '1970'],
      ['year 0000 as the paid day', aliOrder(ali, 'shipped', { paidAt: '0000-01-01' }), 'snapshots[0].orders[0].paidAt', ''],
      ['an offset of +20:00', aliOrder(ali, 'shipped', { paidAt: '2026-07-01T08:00:00+20:00' }), 'snapshots[0].orders[0].paidAt', ''],
    ])('refuses %s in a sync with 400 naming the field', async (_what, order, field, words) => {
      const res = await b.call(token, '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [order])]) });
      const error = expectRefusal(res, 400);
      expect(error.field).toBe(field);
      expect(error.message).toContain(field);
      expect(error.message).toContain(words);
    });

    it('refuses a capture time in year 0000, and a NUL in a store order number, a reason and a query', async () => {
      expect(expectRefusal(await b.call(token, '/v1/sync', { body: syncBody([snapshot('0000-06-01T00:00:00Z', [])]) }), 400).field).toBe('snapshots[0].capturedAt');
      expect(expectRefusal(await b.call(token, '/v1/store-orders', { body: { storeOrderNumber: '#\u0000', paid: true } }), 400).field).toBe('storeOrderNumber');
      expect(expectRefusal(await b.call(token, `/v1/store-orders/${storeOrderId}/placing-failed`, { body: { reason: 'no \udc00' } }), 400).field).toBe('reason');
      expect(expectRefusal(await b.call(token, '/v1/orders?q=%00'), 400).field).toBe('q');
      // An encoded lone surrogate is not UTF-8: it reaches the query as a replacement character, which is text.
      expect((await b.call(token, '/v1/orders?q=%ED%A0%80')).status).toBe(200);
      expect(expectRefusal(await b.call(token, '/v1/watchlist?limit=1e99'), 400).field).toBe('limit');
    });

    it('answers an id that is no store order 404, whatever it holds', async () => {
      for (const id of ['99999999999999999999', '%00', '1%20or%201=1', '-1', '%F0%9F%92%A9']) {
        expect(expectRefusal(await b.call(token, `/v1/store-orders/${id}`), 404).code).toBe('not_found');
        expect(expectRefusal(await b.call(token, `/v1/store-orders/${id}/retrack`, { method: 'POST' }), 404).code).toBe('not_found');
      }
    });
  });

  it(`lists at most ${MAX_ISSUES_SHOWN} issues of a body with thousands, each with its field`, async () => {
    const orders = Array.from({ length: 1000 }, () => ({ aliOrderId: 'x', status: 'nope' }));
    const res = await b.call(token, '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', orders as never)]) });
    const error = expectRefusal(res, 400);
    expect(error.message.split('; ')).toHaveLength(MAX_ISSUES_SHOWN + 1);
    expect(error.message).toMatch(/^snapshots\[0\]\.orders\[0\]\.aliOrderId: /);
    expect(error.message).toMatch(/and \d+ more$/);
    expect(error.message.length).toBeLessThan(2000);
  });

  it('counts a capture time in the future as captured now, so a later real read still wins', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    const future = await b.call(token, '/v1/sync', { body: syncBody([snapshot('2099-01-01T00:00:00Z', [aliOrder(ali, 'awaiting_shipment')])]) });
    expect(future.status).toBe(200);
    b.clock.advance(60_000);
    await b.call(token, '/v1/sync', { body: syncBody([snapshot(b.clock.now().toISOString(), [aliOrder(ali, 'closed')])]) });
    const order = (await b.call<OrderView>(token, `/v1/store-orders/${id}`)).body;
    expect(order.state).toBe('canceled');
    expect(order.aliOrders[0]!.lastSeenAt).toBe(b.clock.now().toISOString());
  });

  it('keeps a capture time within the allowed clock skew as it is', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    const ahead = new Date(b.clock.now().getTime() + 60_000).toISOString();
    await b.call(token, '/v1/sync', { body: syncBody([snapshot(ahead, [aliOrder(ali, 'awaiting_shipment')])]) });
    expect((await b.call<OrderView>(token, `/v1/store-orders/${id}`)).body.aliOrders[0]!.lastSeenAt).toBe(ahead);
  });
});
