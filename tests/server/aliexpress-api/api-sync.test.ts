/**
 * Syncing without Chrome, against the Open Platform contract server: connecting (OAuth through the
 * platform's redirect), a sync through the API on the manual-sync quota, the refresh before expiry,
 * and each failure with the message the merchant sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASES, newAliOrderId, placedOrder } from '../helpers';
import { HOUR, openApiBackend, shippedOrder, type ApiBackend } from './harness';

describe.each(DATABASES)('sync through the AliExpress API on %s', (kind) => {
  let b: ApiBackend;
  /** What the store leg was told changed, merchant by merchant. */
  const toldStoreLeg: { merchantId: string; storeOrderIds: readonly string[] }[] = [];
  beforeAll(async () => {
    b = await openApiBackend(kind, import.meta.filename, {
      accessTokenSeconds: 4 * 3600,
      storeLeg: { ordersChanged: async (merchantId, storeOrderIds) => void toldStoreLeg.push({ merchantId, storeOrderIds }) },
    });
  });
  afterAll(() => b.close());

  const place = (token: string, ids: string[]) => placedOrder(b as never, token, ids);

  it('connects through the authorise page and keeps the tokens sealed, never shown', async () => {
    const { id, token } = await b.merchant();
    expect((await b.call(token, '/v1/aliexpress-account')).body).toEqual({ configured: true, connected: false });
    const { body } = await b.call(token, '/v1/aliexpress-account/authorize', { method: 'POST' });
    const url = new URL(body.url);
    expect(url.origin + url.pathname).toBe(`${b.platform.origin}/oauth/authorize`);
    expect(url.searchParams.get('client_id')).toBe('34567890');
    expect(url.searchParams.get('redirect_uri')).toBe('http://backend.test/v1/aliexpress-account/callback');

    const landing = await b.connect(token, 'buyer-one@example.com');
    expect(landing).toBe('/#/settings?aliexpress=connected');
    const account = (await b.call(token, '/v1/aliexpress-account')).body;
    expect(account).toMatchObject({ configured: true, connected: true, account: 'buyer-one@example.com', needsReconnect: false });
    const issued = b.platform.issuedAccessTokens();
    expect(issued.length).toBeGreaterThan(0);
    for (const t of issued) expect(JSON.stringify(account)).not.toContain(t);
    const { rows } = await b.db.query<Record<string, string>>('select access_token_sealed, refresh_token_sealed from aliexpress_accounts where merchant_id = $1', [id]);
    for (const t of issued) expect(JSON.stringify(rows)).not.toContain(t);
    expect(rows[0]!.access_token_sealed).toMatch(/^v1\./);
  });

  it('syncs the watched orders through the API: one manual sync spent, statuses and parcels folded as a page read would', async () => {
    const { id: merchantId, token } = await b.merchant();
    const shipped = newAliOrderId();
    const waiting = newAliOrderId();
    const handPlaced = newAliOrderId();
    const storeOrder = await place(token, [shipped]);
    await place(token, [waiting]);
    await place(token, [handPlaced]);
    await b.connect(token, 'buyer-two@example.com', {
      [shipped]: shippedOrder('LP00123456789CN', [
        ['2026-06-25T08:00:00Z', 'Accepted by carrier'],
        ['2026-06-27T09:30:00Z', 'In transit'],
      ]),
      [waiting]: { order_status: 'WAIT_SELLER_SEND_GOODS', logistics_status: 'WAIT_SELLER_SEND_GOODS' },
    });

    const res = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.quota).toMatchObject({ used: 1, remaining: 9, blockedBy: 'cooldown' });
    expect(res.body.read).toMatchObject({ asked: 3, read: 2 });
    expect(res.body.read.problems).toEqual([{ aliOrderId: handPlaced, message: expect.stringContaining('the Chrome sync (the Sync button) can still read it') }]);
    expect(res.body.read.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ aliOrderId: shipped, outcome: 'applied', state: 'fulfilled', changed: true }),
        expect.objectContaining({ aliOrderId: waiting, outcome: 'applied', state: 'awaiting_shipment' }),
      ]),
    );

    const order = (await b.call(token, `/v1/store-orders/${storeOrder}`)).body;
    expect(order.state).toBe('fulfilled');
    expect(order.aliOrders[0]).toMatchObject({ status: 'shipped', supplier: expect.any(String) });
    expect(order.aliOrders[0].packages).toEqual([
      expect.objectContaining({ trackingNumber: 'LP00123456789CN', carrier: 'Cainiao', trackingStatus: 'in_transit', lastEventAt: '2026-06-27T09:30:00.000Z' }),
    ]);
    expect(order.history.at(-1)).toMatchObject({ from: 'awaiting_payment', to: 'fulfilled', cause: 'sync' });
    // The store leg hears of the changed orders at once, as after a page read (not only at its sweep).
    expect(toldStoreLeg.filter((t) => t.merchantId === merchantId).flatMap((t) => t.storeOrderIds)).toContain(storeOrder);

    // The same quota as the Sync button: ten minutes apart, whichever way it was spent.
    const again = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
    expect(again.status).toBe(429);
    expect(again.body.error).toMatchObject({ code: 'rate_limited', rule: 'cooldown' });
    expect((await b.call(token, '/v1/manual-sync', { method: 'POST' })).status).toBe(429);
    b.clock.advance(10 * 60_000);
    expect((await b.call(token, '/v1/aliexpress-sync', { method: 'POST' })).body.quota.used).toBe(2);
    const account = (await b.call(token, '/v1/aliexpress-account')).body;
    expect(account.lastSync).toBe(b.clock.now().toISOString());
    expect(account.lastError).toMatch(/not read through the API; the Chrome sync can read them/);
  });

  it('refreshes the access token before it expires, and keeps syncing with the new one', async () => {
    const { token } = await b.merchant();
    const ali = newAliOrderId();
    await place(token, [ali]);
    await b.connect(token, 'buyer-three@example.com', { [ali]: { order_status: 'WAIT_SELLER_SEND_GOODS' } });
    const before = (await b.call(token, '/v1/aliexpress-account')).body.expiresAt;
    b.clock.advance(HOUR);
    const refreshes = b.platform.calls.filter((c) => c.path === '/rest/auth/token/refresh').length;
    expect((await b.call(token, '/v1/aliexpress-sync', { method: 'POST' })).status).toBe(200);
    expect(b.platform.calls.filter((c) => c.path === '/rest/auth/token/refresh' && !c.refused).length).toBe(refreshes + 1);
    expect(Date.parse((await b.call(token, '/v1/aliexpress-account')).body.expiresAt)).toBeGreaterThan(Date.parse(before));
  });

  it('keeps a token that outlives the next scheduled pass as it is', async () => {
    const long = await openApiBackend(kind, import.meta.filename, { accessTokenSeconds: 30 * 86_400 });
    try {
      const { token } = await long.merchant();
      const ali = newAliOrderId();
      await placedOrder(long as never, token, [ali]);
      await long.connect(token, 'long-lived@example.com', { [ali]: { order_status: 'WAIT_SELLER_SEND_GOODS' } });
      expect((await long.call(token, '/v1/aliexpress-sync', { method: 'POST' })).status).toBe(200);
      expect(long.platform.calls.some((c) => c.path === '/rest/auth/token/refresh')).toBe(false);
    } finally {
      await long.close();
    }
  });

  it('says the app needs the dropshipping API when the platform answers isv.insufficient-permission', async () => {
    const { token } = await b.merchant();
    await place(token, [newAliOrderId()]);
    await b.connect(token, 'buyer-four@example.com');
    b.platform.withoutDropshippingPermission = true;
    try {
      const res = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('aliexpress_permission');
      expect(res.body.error.message).toMatch(/add the Dropshipping API to the app/);
    } finally {
      b.platform.withoutDropshippingPermission = false;
    }
  });

  it('says to reconnect when the merchant revoked the app, and spends no more syncs until they do', async () => {
    const { token } = await b.merchant();
    await place(token, [newAliOrderId()]);
    await b.connect(token, 'buyer-five@example.com');
    b.platform.revoke('buyer-five@example.com');
    const res = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'aliexpress_reconnect', message: expect.stringMatching(/connect the AliExpress account again/) });
    expect((await b.call(token, '/v1/aliexpress-account')).body).toMatchObject({ connected: true, needsReconnect: true });
    b.clock.advance(10 * 60_000);
    const refused = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
    expect(refused.body.error.code).toBe('aliexpress_reconnect');
    expect((await b.call(token, '/v1/quota')).body.quota.used).toBe(1);
    // Connecting again clears it.
    await b.connect(token, 'buyer-five@example.com');
    expect((await b.call(token, '/v1/aliexpress-account')).body).toMatchObject({ needsReconnect: false });
  });

  it('backs off when AliExpress throttles, says when the backend retries (the scheduled pass), and gives the manual sync back', async () => {
    const { token } = await b.merchant();
    const ali = newAliOrderId();
    await place(token, [ali]);
    await b.connect(token, 'buyer-six@example.com', { [ali]: { order_status: 'WAIT_SELLER_SEND_GOODS' } });
    b.platform.throttledUntil = b.clock.now().getTime() + 120_000;
    const res = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
    expect(res.status).toBe(503);
    const retryAt = new Date(b.clock.now().getTime() + 120_000).toISOString();
    expect(res.body.error).toMatchObject({ code: 'aliexpress_throttled', retryAt, message: expect.stringContaining(`retries at ${retryAt}`) });
    expect(res.headers.get('retry-after')).not.toBeNull();
    // The throttled sync did no work: it is not one of the day's 10, and no cooldown follows it.
    expect(res.body.quota).toMatchObject({ used: 0, remaining: 10, blockedBy: null });
    expect((await b.call(token, '/v1/quota')).body.quota).toMatchObject({ used: 0, lastSyncAt: null });
    expect((await b.call(token, '/v1/aliexpress-sync', { method: 'POST' })).body.error.code).toBe('aliexpress_throttled');
    expect((await b.call(token, '/v1/quota')).body.quota.used).toBe(0);
    expect((await b.call(token, '/v1/aliexpress-account')).body.nextPassAt).toBe(retryAt);
    b.clock.advance(120_000);
    const passes = await b.service.runDuePasses(b.clock.now());
    expect(passes.find((p) => p.read && p.read.results.some((r) => r.aliOrderId === ali))).toBeDefined();
    expect((await b.call(token, '/v1/quota')).body.quota.used).toBe(0);
    // Once AliExpress answers again, a sync through the API is spent as usual.
    expect((await b.call(token, '/v1/aliexpress-sync', { method: 'POST' })).body.quota).toMatchObject({ used: 1 });
  });

  it('gives the manual sync back when AliExpress cannot be reached, and says so', async () => {
    const { token } = await b.merchant();
    const ali = newAliOrderId();
    await place(token, [ali]);
    await b.connect(token, 'buyer-outage@example.com', { [ali]: { order_status: 'WAIT_SELLER_SEND_GOODS' } });
    b.platform.outage = true;
    try {
      const res = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({ code: 'aliexpress_unavailable', message: expect.stringContaining('HTTP 503') });
      expect(res.body.quota).toMatchObject({ used: 0, blockedBy: null });
    } finally {
      b.platform.outage = false;
    }
    expect((await b.call(token, '/v1/aliexpress-sync', { method: 'POST' })).body.quota).toMatchObject({ used: 1 });
  });

  it('refuses a callback whose state is unknown, used or malformed, and connects nothing', async () => {
    const { token } = await b.merchant();
    const unknown = await b.call(null, '/v1/aliexpress-account/callback?code=abc&state=not-a-state-we-gave');
    expect(unknown.status).toBe(302);
    expect(unknown.headers.get('location')).toMatch(/^\/#\/settings\?aliexpress=error&message=this\+sign-in\+link\+has\+expired/);
    for (const query of ['', '?code=abc', `?code=${'x'.repeat(600)}&state=abc`, '?code=a%00b&state=abc', '?code=abc&state=%00']) {
      const res = await b.call(null, `/v1/aliexpress-account/callback${query}`);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toMatch(/aliexpress=error/);
    }
    expect((await b.call(token, '/v1/aliexpress-account')).body.connected).toBe(false);
  });

  it('disconnects: the tokens are deleted and the account shows as not connected', async () => {
    const { id, token } = await b.merchant();
    await b.connect(token, 'buyer-seven@example.com');
    const res = await b.call(token, '/v1/aliexpress-account', { method: 'DELETE' });
    expect(res.body).toEqual({ configured: true, connected: false });
    expect((await b.db.query('select 1 from aliexpress_accounts where merchant_id = $1', [id])).rows).toEqual([]);
    const sync = await b.call(token, '/v1/aliexpress-sync', { method: 'POST' });
    expect(sync.status).toBe(409);
    expect(sync.body.error.code).toBe('aliexpress_not_connected');
  });

  it('answers hostile bodies on its routes with 400 or 413 and spends nothing', async () => {
    const { token } = await b.merchant();
    await b.connect(token, 'hostile@example.com');
    const send = (path: string, body: string, headers: Record<string, string> = {}) =>
      b.app.request(`http://backend.test${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, body });
    for (const path of ['/v1/aliexpress-sync', '/v1/aliexpress-account/authorize']) {
      const malformed = await send(path, '{"not json');
      expect(malformed.status).toBe(400);
      expect((await malformed.json()).error.code).toBe('bad_request');
      expect((await send(path, '{}', { 'content-length': String(64 * 1024 * 1024) })).status).toBe(413);
    }
    expect((await b.call(token, '/v1/quota')).body.quota.used).toBe(0);
  });

  it('needs the API token on every route but the callback', async () => {
    for (const [method, path] of [['GET', '/v1/aliexpress-account'], ['POST', '/v1/aliexpress-account/authorize'], ['DELETE', '/v1/aliexpress-account'], ['POST', '/v1/aliexpress-sync']] as const) {
      expect((await b.call(null, path, { method })).status).toBe(401);
      expect((await b.call('aos_not-a-real-token-at-all', path, { method })).status).toBe(401);
    }
  });
});
