import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderViewSchema, storeOrderDetailSchema } from '../../lib/domain/api';
import { DATABASES, aliOrder, newAliOrderId, openBackend, pkg, placedOrder, snapshot, syncBody, type TestBackend } from './helpers';

describe.each(DATABASES)('merchant-side store order endpoints on %s', (kind) => {
  let b: TestBackend;
  let token: string;
  let other: { id: string; token: string };
  beforeAll(async () => {
    b = await openBackend(kind, import.meta.filename);
    ({ token } = await b.merchant());
    other = await b.merchant();
  });
  afterAll(() => b.close());

  const get = async (id: string, t = token) => (await b.call(t, `/v1/store-orders/${id}`)).body;
  const post = (path: string, body?: unknown, t = token) => b.call(t, path, { method: 'POST', body });

  describe('POST /v1/store-orders', () => {
    it('creates pending and awaiting-order orders', async () => {
      const unpaid = await post('/v1/store-orders', { storeOrderNumber: '#C-1', paid: false });
      expect(unpaid.status).toBe(201);
      expect(unpaid.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
      expect(storeOrderDetailSchema.parse(await get(unpaid.body.id))).toMatchObject({ state: 'pending', locked: false, aliOrders: [] });
      const paid = await post('/v1/store-orders', { storeOrderNumber: '#C-2', paid: true });
      expect((await get(paid.body.id)).state).toBe('awaiting_order');
    });

    it('refuses a duplicate store order number with 409, but another merchant may use it', async () => {
      expect((await post('/v1/store-orders', { storeOrderNumber: '#C-3', paid: true })).status).toBe(201);
      const dup = await post('/v1/store-orders', { storeOrderNumber: '#C-3', paid: false });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('conflict');
      expect((await post('/v1/store-orders', { storeOrderNumber: '#C-3', paid: true }, other.token)).status).toBe(201);
    });

    it.each([
      ['malformed JSON', { raw: '{"storeOrderNumber":' }],
      ['a missing field', { body: { storeOrderNumber: '#C-9' } }],
      ['a string for paid', { body: { storeOrderNumber: '#C-9', paid: 'yes' } }],
      ['an empty number', { body: { storeOrderNumber: '  ', paid: true } }],
    ])('refuses %s with 400', async (_name, init) => {
      const res = await b.call(token, '/v1/store-orders', { method: 'POST', ...init });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    });
  });

  describe('POST /v1/store-orders/:id/place', () => {
    it('places to AliExpress: awaiting payment, one AliExpress order per supplier', async () => {
      const [a, c] = [newAliOrderId(), newAliOrderId()];
      const id = await placedOrder(b, token, [a, c]);
      const view = orderViewSchema.parse(await get(id));
      expect(view.state).toBe('awaiting_payment');
      expect(view.aliOrders.map((x) => [x.aliOrderId, x.supplier])).toEqual([
        [a, 'Supplier 1'],
        [c, 'Supplier 2'],
      ]);
    });

    it('refuses an AliExpress order that belongs to another store order (409)', async () => {
      const a = newAliOrderId();
      await placedOrder(b, token, [a]);
      const id = await placedOrder(b, token, []);
      const res = await post(`/v1/store-orders/${id}/place`, { aliOrders: [{ aliOrderId: a, supplier: 'S' }] });
      expect(res.status).toBe(409);
      expect((await get(id)).aliOrders).toEqual([]);
    });

    it.each([
      ['no AliExpress orders', { aliOrders: [] }],
      ['a short order id', { aliOrders: [{ aliOrderId: '12345', supplier: 'S' }] }],
      ['a missing supplier', { aliOrders: [{ aliOrderId: '1234567890123456' }] }],
    ])('refuses %s with 400', async (_name, body) => {
      const id = await placedOrder(b, token, []);
      expect((await post(`/v1/store-orders/${id}/place`, body)).status).toBe(400);
    });

    it('answers 404 for an unknown id, a non-numeric id and another merchant\'s order', async () => {
      const theirs = await placedOrder(b, other.token, []);
      const body = { aliOrders: [{ aliOrderId: newAliOrderId(), supplier: 'S' }] };
      for (const id of ['999999999', 'abc', '1;drop', theirs]) {
        const res = await post(`/v1/store-orders/${id}/place`, body);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
      expect((await get(theirs, other.token)).aliOrders).toEqual([]);
    });
  });

  describe('POST /v1/store-orders/:id/payment-captured', () => {
    it('moves a pending order to awaiting order once, and not another merchant\'s', async () => {
      const id = await placedOrder(b, token, [], { paid: false });
      expect((await post(`/v1/store-orders/${id}/payment-captured`, undefined, other.token)).status).toBe(404);
      const res = await post(`/v1/store-orders/${id}/payment-captured`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'awaiting_order', paid: true });
      expect((await post(`/v1/store-orders/${id}/payment-captured`)).body.state).toBe('awaiting_order');
      expect((await get(id)).history.map((h: { to: string; cause: string }) => `${h.to}:${h.cause}`)).toEqual(['pending:created', 'awaiting_order:payment_captured']);
    });
  });

  describe('POST /v1/store-orders/:id/placing-failed', () => {
    it('moves the order to failed with the reason, and placing again clears it', async () => {
      const id = await placedOrder(b, token, []);
      const failed = await post(`/v1/store-orders/${id}/placing-failed`, { reason: 'product unavailable in the buyer\'s country' });
      expect(failed.status).toBe(200);
      expect(failed.body).toMatchObject({ state: 'failed', placingError: 'product unavailable in the buyer\'s country' });
      const placed = await post(`/v1/store-orders/${id}/place`, { aliOrders: [{ aliOrderId: newAliOrderId(), supplier: 'S' }] });
      expect(placed.body).toMatchObject({ id, state: 'awaiting_payment', placingError: null });
      expect((await post(`/v1/store-orders/${id}/placing-failed`, {})).status).toBe(400);
    });
  });

  describe('POST /v1/store-orders/:id/fulfill-manually', () => {
    it('before placing: fulfilled with no AliExpress number, locked, and cannot be placed any more', async () => {
      const id = await placedOrder(b, token, []);
      const res = await b.call(token, `/v1/store-orders/${id}/fulfill-manually`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'fulfilled', fulfillmentMode: 'manual_before_placing', locked: true, aliOrders: [] });
      const place = await post(`/v1/store-orders/${id}/place`, { aliOrders: [{ aliOrderId: newAliOrderId(), supplier: 'S' }] });
      expect(place.status).toBe(409);
      expect((await get(id)).history.map((h: { field: string; to: string; cause: string }) => `${h.field}:${h.to}:${h.cause}`)).toEqual([
        'state:awaiting_order:created',
        'fulfillment_mode:manual_before_placing:fulfilled_manually',
        'state:fulfilled:fulfilled_manually',
      ]);
    });

    it('after placing: fulfilled, keeps its AliExpress number, tracking no longer updated', async () => {
      const a = newAliOrderId();
      const id = await placedOrder(b, token, [a]);
      const res = await post(`/v1/store-orders/${id}/fulfill-manually`, {});
      expect(res.body).toMatchObject({ state: 'fulfilled', fulfillmentMode: 'manual_after_placing', aliOrders: [{ aliOrderId: a }] });
      const sync = await post('/v1/sync', syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(a, 'shipped', { packages: [pkg('LPZ', 'in_transit')] })])]));
      expect(sync.body.results[0]).toMatchObject({ outcome: 'ignored', reason: 'locked' });
      expect((await get(id)).aliOrders[0].packages).toEqual([]);
    });

    it('on the store: fulfilled and cannot be placed again', async () => {
      const id = await placedOrder(b, token, []);
      const res = await post(`/v1/store-orders/${id}/fulfill-manually`, { onStore: true });
      expect(res.body).toMatchObject({ state: 'fulfilled', fulfillmentMode: 'store_fulfilled', locked: true });
      expect((await post(`/v1/store-orders/${id}/place`, { aliOrders: [{ aliOrderId: newAliOrderId(), supplier: 'S' }] })).status).toBe(409);
    });

    it('refuses a second fulfillment, a bad body and another merchant\'s order', async () => {
      const id = await placedOrder(b, token, []);
      await post(`/v1/store-orders/${id}/fulfill-manually`);
      expect((await post(`/v1/store-orders/${id}/fulfill-manually`, { onStore: true })).status).toBe(409);
      expect((await get(id)).fulfillmentMode).toBe('manual_before_placing');
      const fresh = await placedOrder(b, token, []);
      expect((await post(`/v1/store-orders/${fresh}/fulfill-manually`, { onStore: 'yes' })).status).toBe(400);
      expect((await b.call(token, `/v1/store-orders/${fresh}/fulfill-manually`, { method: 'POST', raw: '{' })).status).toBe(400);
      expect((await post(`/v1/store-orders/${fresh}/fulfill-manually`, {}, other.token)).status).toBe(404);
      expect((await get(fresh)).locked).toBe(false);
    });
  });

  describe('PUT /v1/store-orders/:id/tracking-status and POST /:id/retrack', () => {
    it('shows a manual status for reference, keeps the carrier\'s, and Re-track drops it', async () => {
      const a = newAliOrderId();
      const id = await placedOrder(b, token, [a]);
      await post('/v1/sync', syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(a, 'shipped', { packages: [pkg('LPT', 'in_transit', ['2026-07-01T08:00:00Z'])] })])]));
      const set = await b.call(token, `/v1/store-orders/${id}/tracking-status`, { method: 'PUT', body: { trackingStatus: 'delivered' } });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ trackingStatus: 'delivered', manualTrackingStatus: 'delivered' });
      expect(set.body.aliOrders[0].packages[0].trackingStatus).toBe('in_transit');

      // Sync keeps following the carrier underneath; the merchant's value stays on top.
      await post('/v1/sync', syncBody([snapshot('2026-07-01T09:30:00Z', [aliOrder(a, 'shipped', { packages: [pkg('LPT', 'abnormal', ['2026-07-01T09:20:00Z'])] })])]));
      expect(await get(id)).toMatchObject({ trackingStatus: 'delivered', flags: ['abnormal'] });

      const retrack = await post(`/v1/store-orders/${id}/retrack`);
      expect(retrack.status).toBe(200);
      expect(retrack.body).toMatchObject({ trackingStatus: 'abnormal', manualTrackingStatus: null });
      const history = (await get(id)).history.filter((h: { field: string }) => h.field === 'tracking_status');
      expect(history).toMatchObject([
        { from: null, to: 'delivered', cause: 'set_by_hand' },
        { from: 'delivered', to: null, cause: 'retrack' },
      ]);
    });

    it('refuses a bad status, a missing body and another merchant\'s order', async () => {
      const id = await placedOrder(b, token, [newAliOrderId()]);
      const put = (body: unknown, t = token) => b.call(t, `/v1/store-orders/${id}/tracking-status`, { method: 'PUT', body });
      expect((await put({ trackingStatus: 'lost' })).status).toBe(400);
      expect((await put({})).status).toBe(400);
      expect((await b.call(token, `/v1/store-orders/${id}/tracking-status`, { method: 'PUT', raw: 'delivered' })).status).toBe(400);
      expect((await put({ trackingStatus: 'delivered' }, other.token)).status).toBe(404);
      expect((await post(`/v1/store-orders/${id}/retrack`, undefined, other.token)).status).toBe(404);
      expect((await get(id)).manualTrackingStatus).toBeNull();
    });
  });

  describe('another merchant', () => {
    it.each<[string, string, unknown]>([
      ['POST', '/place', { aliOrders: [{ aliOrderId: '8999999999999999', supplier: 'S' }] }],
      ['POST', '/payment-captured', undefined],
      ['POST', '/placing-failed', { reason: 'nope' }],
      ['POST', '/fulfill-manually', { onStore: true }],
      ['PUT', '/tracking-status', { trackingStatus: 'abnormal' }],
      ['POST', '/retrack', undefined],
      ['GET', '', undefined],
    ])('can neither read nor change the order: %s /v1/store-orders/:id%s → 404, nothing written', async (method, suffix, body) => {
      const id = await placedOrder(b, token, [], { paid: false });
      const before = await get(id);
      const res = await b.call(other.token, `/v1/store-orders/${id}${suffix}`, { method, body });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
      expect(JSON.stringify(res.body)).not.toContain(before.storeOrderNumber);
      expect(await get(id)).toEqual(before);
    });
  });

  describe('GET /v1/store-orders/:id', () => {
    it('is not readable by another merchant, nor without a token', async () => {
      const id = await placedOrder(b, token, []);
      expect((await b.call(other.token, `/v1/store-orders/${id}`)).status).toBe(404);
      expect((await b.call(null, `/v1/store-orders/${id}`)).status).toBe(401);
      expect((await b.call('aos_0000000000000000000000', `/v1/store-orders/${id}/retrack`, { method: 'POST' })).status).toBe(401);
    });
  });
});
