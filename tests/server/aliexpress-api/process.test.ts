/**
 * End to end over HTTP, against the backend as it really runs (its own process, configured by its
 * environment) and the Open Platform contract server: connect by following the OAuth redirects,
 * sync through the API (quota spent, orders updated), each failure with its message, and the
 * scheduled pass at a moved clock in another process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db';
import { newSecretsKey } from '../../../server/secrets';
import { createMerchantToken, startBackend, type BackendProcess } from '../../../scripts/lib/backend-process';
import { OpenPlatformContract } from '../../contract/aliexpress-open-platform/server';
import { DATABASES, dropSchema, newAliOrderId, uniqueSchema } from '../helpers';
import { APP_KEY, APP_SECRET, shippedOrder } from './harness';

const ROOT = new URL('../../../', import.meta.url).pathname;

describe.each(DATABASES)('the backend process syncing through the AliExpress API on %s', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aos-aliexpress-'));
  const schema = uniqueSchema(import.meta.filename);
  const platform = new OpenPlatformContract({ appKey: APP_KEY, appSecret: APP_SECRET });
  let env: NodeJS.ProcessEnv;
  let backend: BackendProcess | undefined;
  let token: string;
  /** Merchants of their own (each has its own quota) for the failures. */
  const failing: Record<'permission' | 'throttled' | 'revoked', string> = { permission: '', throttled: '', revoked: '' };

  beforeAll(async () => {
    const origin = await platform.start();
    env = {
      LOG_LEVEL: 'info',
      ALIEXPRESS_APP_KEY: APP_KEY,
      ALIEXPRESS_APP_SECRET: APP_SECRET,
      ALIEXPRESS_API_ORIGIN: origin,
      SECRETS_KEY: newSecretsKey(),
      ...(kind === 'postgres' ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : { DATABASE_URL: '', DATA_DIR: dataDir }),
    };
    token = createMerchantToken('API merchant', env);
    for (const name of Object.keys(failing) as (keyof typeof failing)[]) failing[name] = createMerchantToken(`API merchant ${name}`, env);
    backend = await startBackend(env);
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres') {
      const db = await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema });
      await dropSchema(db, schema);
      await db.close();
    }
  });

  const call = async (path: string, init: { method?: string; body?: unknown; as?: string } = {}) => {
    const res = await fetch(`${backend!.url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${init.as ?? token}`, ...(init.body !== undefined && { 'content-type': 'application/json' }) },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };

  it('connects by following the redirects, then syncs through the API on the Sync button\'s quota', async () => {
    const shipped = newAliOrderId();
    const handPlaced = newAliOrderId();
    const created = await call('/v1/store-orders', { body: { storeOrderNumber: '#API-1', paid: true } });
    await call(`/v1/store-orders/${created.body.id}/place`, { body: { aliOrders: [{ aliOrderId: shipped, supplier: 'Supplier A' }] } });
    const other = await call('/v1/store-orders', { body: { storeOrderNumber: '#API-2', paid: true } });
    await call(`/v1/store-orders/${other.body.id}/place`, { body: { aliOrders: [{ aliOrderId: handPlaced, supplier: 'Supplier B' }] } });
    platform.addAccount({ account: 'process-buyer@example.com', orders: { [shipped]: shippedOrder('LP99887766CN', [['2026-06-25T08:00:00Z', 'Accepted by carrier'], ['2026-06-29T10:00:00Z', 'Delivered']]) } });
    platform.consentAs = 'process-buyer@example.com';

    // Connect: the backend's authorise URL, the platform's redirect, the backend's callback, the settings page.
    const { url } = (await call('/v1/aliexpress-account/authorize', { method: 'POST' })).body;
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = consent.headers.get('location')!;
    expect(callback.startsWith(`${backend!.url}/v1/aliexpress-account/callback?code=`)).toBe(true);
    const landed = await fetch(callback, { redirect: 'manual' });
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe('/#/settings?aliexpress=connected');
    expect((await call('/v1/aliexpress-account')).body).toMatchObject({ connected: true, account: 'process-buyer@example.com' });

    // Sync through the API: one of the day's syncs, the orders updated as a page read would.
    const synced = await call('/v1/aliexpress-sync', { method: 'POST' });
    expect(synced.status).toBe(200);
    expect(synced.body.quota).toMatchObject({ used: 1, blockedBy: 'cooldown' });
    expect(synced.body.read.problems).toEqual([{ aliOrderId: handPlaced, message: expect.stringContaining('the Chrome sync (the Sync button) can still read it') }]);
    const order = (await call(`/v1/store-orders/${created.body.id}`)).body;
    expect(order).toMatchObject({ state: 'fulfilled', trackingStatus: 'delivered' });
    expect(order.aliOrders[0].packages[0]).toMatchObject({ trackingNumber: 'LP99887766CN', trackingStatus: 'delivered' });

    // The same quota as the Sync button.
    const refused = await call('/v1/aliexpress-sync', { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(refused.body.error.rule).toBe('cooldown');
    expect((await call('/v1/manual-sync', { method: 'POST' })).status).toBe(429);
    // The OpenAPI document describes the routes.
    const document = await (await fetch(`${backend!.url}/v1/openapi.json`)).json();
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/aliexpress-account', '/v1/aliexpress-account/authorize', '/v1/aliexpress-sync', '/v1/aliexpress-account/callback']));
  }, 60_000);

  /** One `backend:aliexpress-pass` process, at the moved clock `moved`; its output lines. */
  const pass = async (moved: string) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/aliexpress-api/cli-pass.ts', '--at', moved], { cwd: ROOT, env: { ...process.env, ...env } });
    return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  /** Connects a merchant by following the redirects, as a browser does. */
  const connect = async (as: string, account: string) => {
    // One watched order (placed by hand on the website: the API does not serve it).
    const created = await call('/v1/store-orders', { body: { storeOrderNumber: `#${account}`, paid: true }, as });
    await call(`/v1/store-orders/${created.body.id}/place`, { body: { aliOrders: [{ aliOrderId: newAliOrderId(), supplier: 'Supplier' }] }, as });
    platform.addAccount({ account, orders: {} });
    platform.consentAs = account;
    const { url } = (await call('/v1/aliexpress-account/authorize', { method: 'POST', as })).body;
    const callback = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
    expect((await fetch(callback, { redirect: 'manual' })).headers.get('location')).toBe('/#/settings?aliexpress=connected');
  };

  it('answers each failure of the platform with what to do', async () => {
    await connect(failing.permission, 'no-permission@example.com');
    platform.withoutDropshippingPermission = true;
    const permission = await call('/v1/aliexpress-sync', { method: 'POST', as: failing.permission });
    platform.withoutDropshippingPermission = false;
    expect(permission.status).toBe(409);
    expect(permission.body.error).toMatchObject({ code: 'aliexpress_permission', message: expect.stringContaining('add the Dropshipping API to the app') });

    await connect(failing.throttled, 'throttled@example.com');
    platform.throttledUntil = Date.now() + 90_000;
    const throttled = await call('/v1/aliexpress-sync', { method: 'POST', as: failing.throttled });
    platform.throttledUntil = 0;
    expect(throttled.status).toBe(503);
    expect(throttled.body.error).toMatchObject({ code: 'aliexpress_throttled', retryAt: expect.any(String), message: expect.stringMatching(/limiting calls.*retries at/) });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);

    await connect(failing.revoked, 'revoked@example.com');
    platform.revoke('revoked@example.com');
    const revoked = await call('/v1/aliexpress-sync', { method: 'POST', as: failing.revoked });
    expect(revoked.status).toBe(409);
    expect(revoked.body.error).toMatchObject({ code: 'aliexpress_reconnect', message: expect.stringContaining('connect the AliExpress account again') });
    expect((await call('/v1/aliexpress-account', { as: failing.revoked })).body).toMatchObject({ needsReconnect: true });
  }, 60_000);

  it('runs the scheduled pass at a moved clock in another process, each due merchant once', async () => {
    await backend!.stop();
    backend = undefined;
    const at = new Date(Date.now() + 6 * 3_600_000 + 60_000).toISOString();
    const first = await pass(at);
    // Each connected merchant once (its order the API does not serve; the delivered one is no longer
    // watched), the throttled one at its retry; never the one who must reconnect.
    expect(first).toEqual([1, 2, 3].map(() => ({ merchant: expect.any(String), asked: 1, read: 0, problems: 1 })));
    expect(new Set(first.map((line) => line.merchant)).size).toBe(3);
    // Nothing more is due at the same moment.
    expect(await pass(at)).toEqual([]);
  }, 90_000);
});
