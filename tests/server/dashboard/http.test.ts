import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { createMerchantWithLogin } from '../../../server/dashboard/accounts';
import { MAX_FAILED_ATTEMPTS } from '../../../server/dashboard/sessions';
import type { Database } from '../../../server/db';
import { silentLogger } from '../../../server/log';
import { aliOrder, Clock, DATABASES, newAliOrderId, newKey, openTestDatabase, pkg, snapshot } from '../helpers';

const ORIGIN = 'http://dash.test';
const SETUP_CODE = 'setup-code-for-tests';

function distDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dash-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title><script type="module" src="/assets/app-1.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
  return dir;
}

describe.each(DATABASES)('the dashboard over HTTP on %s', (kind) => {
  let db: Database;
  let app: ReturnType<typeof createApp>;
  const clock = new Clock();

  type Answer = { status: number; body: any; headers: Headers };
  async function call(path: string, init: { method?: string; body?: unknown; raw?: string; cookie?: string; csrf?: string; token?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { host: 'dash.test', ...init.headers };
    if (init.cookie) headers.cookie = init.cookie;
    if (init.csrf) headers['x-csrf-token'] = init.csrf;
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(`${ORIGIN}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: kept as text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async function signedIn(login: string, password = 'a long enough password') {
    const res = await call('/v1/session', { body: { login, password }, headers: { origin: ORIGIN } });
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return { cookie, csrf: res.body.csrfToken as string, merchant: res.body.merchant as { id: string } };
  }

  beforeAll(async () => {
    db = await openTestDatabase(kind, import.meta.filename);
    app = createApp({ db, log: silentLogger, now: clock.now, setupCode: SETUP_CODE, dashboardDir: distDir() });
  });
  afterAll(() => db.close());

  it('serves the dashboard at / with a strict Content Security Policy, and its assets', async () => {
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect((await call('/assets/app-1.js')).headers.get('cache-control')).toContain('immutable');
    expect((await call('/assets/../index.html')).status).toBe(404);
    const unbuilt = createApp({ db, log: silentLogger, dashboardDir: join(tmpdir(), 'no-such-dashboard') });
    expect((await unbuilt.request('/')).status).toBe(503);
  });

  it('creates the first merchant on the setup page only with the printed code, then closes it', async () => {
    expect((await call('/v1/setup')).body).toEqual({ needsSetup: true });
    const request = { name: 'First shop', login: 'first', password: 'a long enough password' };
    expect((await call('/v1/setup', { body: { ...request, setupCode: 'wrong' } })).status).toBe(403);
    expect((await call('/v1/setup', { body: { ...request, setupCode: SETUP_CODE } })).status).toBe(201);
    expect((await call('/v1/setup')).body).toEqual({ needsSetup: false });
    expect((await call('/v1/setup', { body: { ...request, login: 'second', setupCode: SETUP_CODE } })).status).toBe(409);
  });

  it('signs in with an HttpOnly SameSite=Strict cookie (Secure behind HTTPS) and signs out', async () => {
    const res = await call('/v1/session', { body: { login: 'first', password: 'a long enough password' } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/);
    const https = await call('/v1/session', { body: { login: 'first', password: 'a long enough password' }, headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers.get('set-cookie')).toMatch(/Secure/);
    const session = await signedIn('first');
    expect((await call('/v1/session', { cookie: session.cookie })).body.merchant.name).toBe('First shop');
    expect((await call('/v1/orders', { cookie: session.cookie })).status).toBe(200);
    const out = await call('/v1/session', { method: 'DELETE', cookie: session.cookie, csrf: session.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await call('/v1/orders', { cookie: session.cookie })).status).toBe(401);
  });

  it('refuses a change made with the cookie without the CSRF token, or from another origin', async () => {
    const s = await signedIn('first');
    const order = { storeOrderNumber: '#CSRF-1', paid: true };
    expect((await call('/v1/store-orders', { body: order, cookie: s.cookie })).status).toBe(403);
    expect((await call('/v1/store-orders', { body: order, cookie: s.cookie, csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await call('/v1/store-orders', { body: order, cookie: s.cookie, csrf: s.csrf, headers: { origin: 'https://evil.example' } })).status).toBe(403);
    expect((await call('/v1/store-orders', { body: order, cookie: s.cookie, csrf: s.csrf, headers: { origin: ORIGIN } })).status).toBe(201);
    // Sign-in from another origin is refused too (login CSRF).
    expect((await call('/v1/session', { body: { login: 'first', password: 'a long enough password' }, headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('answers sign-in with a wrong password 401, and 429 once the attempts run out', async () => {
    await createMerchantWithLogin(db, { name: 'Locked shop', login: 'locky', password: 'a long enough password' });
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) expect((await call('/v1/session', { body: { login: 'locky', password: 'wrong password' } })).status).toBe(401);
    const locked = await call('/v1/session', { body: { login: 'locky', password: 'wrong password' } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers hostile sign-in bodies 400 naming the field, and never crashes', async () => {
    const bad = [
      { raw: '{"login":' },
      { body: { login: 'a\u0000b', password: 'x' } },
      { body: { login: 'first', password: 'x'.repeat(201) } },
      { body: { login: 42, password: [] } },
      { body: { login: 'l'.repeat(101), password: 'x' } },
    ];
    for (const init of bad) {
      const res = await call('/v1/session', init);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect((await call('/v1/session', { raw: JSON.stringify({ login: 'x', password: 'y'.repeat(9 * 1024 * 1024) }) })).status).toBe(413);
    // The setup page's body too: before any code is checked, a bad body is a 400 naming its field.
    const setup = await call('/v1/setup', { body: { setupCode: SETUP_CODE, name: 'N\u0000', login: 'abc', password: 'a long enough password' } });
    expect([setup.status, setup.body.error.field]).toEqual([400, 'name']);
    expect((await call('/v1/setup', { body: { setupCode: 7, name: [], login: null, password: 1 } })).status).toBe(400);
  });

  it('issues and revokes extension tokens from a session only; a revoked token stops at once', async () => {
    const s = await signedIn('first');
    const issued = await call('/v1/tokens', { body: { name: 'Laptop' }, cookie: s.cookie, csrf: s.csrf });
    expect(issued.status).toBe(201);
    const token = issued.body.token as string;
    expect((await call('/v1/quota', { token })).status).toBe(200);
    expect((await call('/v1/tokens', { token })).status).toBe(403);
    const listed = await call('/v1/tokens', { cookie: s.cookie });
    expect(listed.body.tokens.map((t: { name: string }) => t.name)).toContain('Laptop');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await call(`/v1/tokens/${issued.body.id}`, { method: 'DELETE', cookie: s.cookie, csrf: s.csrf })).status).toBe(204);
    expect((await call('/v1/quota', { token })).status).toBe(401);
    expect((await call('/v1/tokens', { body: { name: 'a\u0000' }, cookie: s.cookie, csrf: s.csrf })).status).toBe(400);
  });

  it('keeps the AliExpress orders no store order links to, counts the tabs, and shows none of it to another merchant', async () => {
    const a = await createMerchantWithLogin(db, { name: 'Shop A', login: 'shop-a', password: 'a long enough password' });
    const b = await signedIn((await createMerchantWithLogin(db, { name: 'Shop B', login: 'shop-b', password: 'a long enough password' }), 'shop-b'));
    const sa = await signedIn('shop-a');
    const linked = newAliOrderId();
    const loose = newAliOrderId();
    const created = await call('/v1/store-orders', { body: { storeOrderNumber: '#A-1', paid: true }, token: a.token });
    await call(`/v1/store-orders/${created.body.id}/place`, { body: { aliOrders: [{ aliOrderId: linked, supplier: 'S' }] }, token: a.token });
    const read = snapshot(clock.now().toISOString(), [
      aliOrder(linked, 'shipped', { packages: [pkg('LPA1', 'in_transit', ['2026-06-30T10:00:00Z', '2026-06-29T10:00:00Z'])] }),
      aliOrder(loose, 'awaiting_shipment', { storeName: 'Loose Store' }),
    ]);
    expect((await call('/v1/sync', { body: { idempotencyKey: newKey(), snapshots: [read] }, token: a.token })).status).toBe(200);
    // The sync is the extension's: a session cannot send one.
    expect((await call('/v1/sync', { body: { idempotencyKey: newKey(), snapshots: [read] }, cookie: sa.cookie, csrf: sa.csrf })).status).toBe(401);

    const unlinked = await call('/v1/unlinked-ali-orders', { cookie: sa.cookie });
    expect(unlinked.body.aliOrders.map((o: { aliOrderId: string; supplier: string }) => [o.aliOrderId, o.supplier])).toEqual([[loose, 'Loose Store']]);
    const counts = await call('/v1/order-counts', { cookie: sa.cookie });
    expect(counts.body).toMatchObject({ all: 1, unlinked: 1, states: { fulfilled: 1, pending: 0 } });
    const timelines = await call(`/v1/store-orders/${created.body.id}/events`, { cookie: sa.cookie });
    expect(timelines.body.packages[0].events).toHaveLength(2);

    expect((await call('/v1/unlinked-ali-orders', { cookie: b.cookie })).body.aliOrders).toEqual([]);
    expect((await call('/v1/order-counts', { cookie: b.cookie })).body).toMatchObject({ all: 0, needsAction: 0, unlinked: 0 });
    expect((await call(`/v1/store-orders/${created.body.id}/events`, { cookie: b.cookie })).status).toBe(404);
    expect((await call('/v1/needs-action', { cookie: b.cookie })).body.orders).toEqual([]);

    // Placing the loose one links it: it leaves the tab.
    const second = await call('/v1/store-orders', { body: { storeOrderNumber: '#A-2', paid: true }, cookie: sa.cookie, csrf: sa.csrf });
    const placed = await call(`/v1/store-orders/${second.body.id}/place`, { body: { aliOrders: [{ aliOrderId: loose, supplier: 'Loose Store' }] }, cookie: sa.cookie, csrf: sa.csrf });
    // What the extension had read of it applies at once: awaiting shipment, not awaiting payment.
    expect(placed.body).toMatchObject({ state: 'awaiting_shipment', aliOrders: [{ aliOrderId: loose, status: 'awaiting_shipment' }] });
    expect((await call('/v1/unlinked-ali-orders', { cookie: sa.cookie })).body.aliOrders).toEqual([]);
    expect((await call('/v1/unlinked-ali-orders?cursor=12', { cookie: sa.cookie })).status).toBe(400);
  });

  it('lists Needs action: flagged orders of any of its three flags, newest first, paged', async () => {
    const m = await createMerchantWithLogin(db, { name: 'Flags', login: 'flags', password: 'a long enough password' });
    const s = await signedIn('flags');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ali = newAliOrderId();
      const created = await call('/v1/store-orders', { body: { storeOrderNumber: `#F-${i}`, paid: true }, token: m.token });
      await call(`/v1/store-orders/${created.body.id}/place`, { body: { aliOrders: [{ aliOrderId: ali, supplier: 'S' }] }, token: m.token });
      // Paid 9 days ago and no tracking number: attention.
      const paidAt = new Date(clock.now().getTime() - 9 * 86_400_000).toISOString();
      await call('/v1/sync', { body: { idempotencyKey: newKey(), snapshots: [snapshot(clock.now().toISOString(), [aliOrder(ali, 'awaiting_shipment', { paidAt })])] }, token: m.token });
      ids.push(created.body.id);
    }
    await call('/v1/store-orders', { body: { storeOrderNumber: '#F-calm', paid: true }, token: m.token });
    const first = await call('/v1/needs-action?limit=2', { cookie: s.cookie });
    expect(first.body.orders.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
    const rest = await call(`/v1/needs-action?limit=2&cursor=${first.body.nextCursor}`, { cookie: s.cookie });
    expect(rest.body).toMatchObject({ orders: [{ id: ids[0] }], nextCursor: null });

    // The tab's count is what the list holds: an abnormal parcel counts, a locked order (its
    // flags no longer apply) and an order on track do not.
    const add = async (number: string, read: (ali: string) => ReturnType<typeof aliOrder>) => {
      const ali = newAliOrderId();
      const created = await call('/v1/store-orders', { body: { storeOrderNumber: number, paid: true }, token: m.token });
      await call(`/v1/store-orders/${created.body.id}/place`, { body: { aliOrders: [{ aliOrderId: ali, supplier: 'S' }] }, token: m.token });
      await call('/v1/sync', { body: { idempotencyKey: newKey(), snapshots: [snapshot(clock.now().toISOString(), [read(ali)])] }, token: m.token });
      return created.body.id as string;
    };
    const recent = new Date(clock.now().getTime() - 3_600_000).toISOString();
    const nineDaysAgo = new Date(clock.now().getTime() - 9 * 86_400_000).toISOString();
    await add('#F-abnormal', (ali) => aliOrder(ali, 'shipped', { packages: [pkg(`LPAB${ali.slice(-6)}`, 'abnormal', [recent])] }));
    await add('#F-on-track', (ali) => aliOrder(ali, 'shipped', { packages: [pkg(`LPOK${ali.slice(-6)}`, 'in_transit', [recent])] }));
    const locked = await add('#F-locked', (ali) => aliOrder(ali, 'awaiting_shipment', { paidAt: nineDaysAgo }));
    await call(`/v1/store-orders/${locked}/fulfill-manually`, { body: {}, token: m.token });
    const listed = (await call('/v1/needs-action?limit=500', { cookie: s.cookie })).body.orders;
    expect(listed).toHaveLength(4);
    expect((await call('/v1/order-counts', { cookie: s.cookie })).body.needsAction).toBe(listed.length);
  });

  it('streams a change event when a sync arrives', async () => {
    const m = await createMerchantWithLogin(db, { name: 'Live', login: 'live', password: 'a long enough password' });
    const s = await signedIn('live');
    const controller = new AbortController();
    const res = await app.request(`${ORIGIN}/v1/events`, { headers: { cookie: s.cookie, host: 'dash.test' }, signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const until = async (event: string) => {
      while (!seen.includes(`event: ${event}`)) seen += decoder.decode((await reader.read()).value);
    };
    await until('ready');
    const ali = newAliOrderId();
    const created = await call('/v1/store-orders', { body: { storeOrderNumber: '#LIVE', paid: true }, token: m.token });
    await call(`/v1/store-orders/${created.body.id}/place`, { body: { aliOrders: [{ aliOrderId: ali, supplier: 'S' }] }, token: m.token });
    await call('/v1/sync', { body: { idempotencyKey: newKey(), snapshots: [snapshot(clock.now().toISOString(), [aliOrder(ali, 'shipped')])] }, token: m.token });
    await until('changed');
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });
});
