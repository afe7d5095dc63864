/**
 * The client against the Open Platform contract server: a wrong signature is refused as the
 * platform refuses it, the token calls, and every documented error read as what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliExpressApiError, OpenPlatformClient, problemOf } from '../../../server/aliexpress-api/client';
import { sign } from '../../../server/aliexpress-api/signing';
import { OpenPlatformContract, UNDOCUMENTED_REFUSAL } from '../../contract/aliexpress-open-platform/server';
import { APP_KEY, APP_SECRET } from './harness';

const NOW = new Date('2026-07-01T10:00:00Z');

describe('the Open Platform contract', () => {
  let platform: OpenPlatformContract;
  let client: OpenPlatformClient;
  beforeAll(async () => {
    platform = new OpenPlatformContract({ appKey: APP_KEY, appSecret: APP_SECRET, now: () => NOW });
    const origin = await platform.start();
    client = new OpenPlatformClient({ appKey: APP_KEY, appSecret: APP_SECRET, apiOrigin: origin });
    platform.addAccount({ account: 'buyer@example.com', orders: { '8000000000000001': { order_status: 'WAIT_SELLER_SEND_GOODS' } } });
  });
  afterAll(() => platform.stop());

  const code = async () => {
    platform.consentAs = 'buyer@example.com';
    const back = await fetch(client.authorizeUrl('http://backend.test/cb', 'st'), { redirect: 'manual' });
    const location = new URL(back.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('st');
    return location.searchParams.get('code')!;
  };

  it('refuses a wrong signature with IncompleteSignature, on /sync and on the REST token path', async () => {
    const parameters = { app_key: APP_KEY, method: 'aliexpress.trade.ds.order.get', session: 'x', timestamp: String(NOW.getTime()), sign_method: 'sha256' };
    const tampered = { ...parameters, sign: sign(APP_SECRET, { ...parameters, session: 'y' }) };
    const res = await fetch(`${platform.origin}/sync`, { method: 'POST', body: new URLSearchParams(tampered) });
    expect(await res.json()).toMatchObject({ error_response: { type: 'ISV', code: 'IncompleteSignature', msg: 'The request signature does not conform to platform standards' } });
    const rest = { app_key: APP_KEY, code: 'c', timestamp: String(NOW.getTime()), sign_method: 'sha256' };
    // Signed without the path in front: refused, the path is part of what a REST call signs.
    const noPath = await fetch(`${platform.origin}/rest/auth/token/create`, { method: 'POST', body: new URLSearchParams({ ...rest, sign: sign(APP_SECRET, rest) }) });
    expect(await noPath.json()).toMatchObject({ type: 'ISV', code: 'IncompleteSignature' });

    const wrongSecret = new OpenPlatformClient({ appKey: APP_KEY, appSecret: 'not-the-secret', apiOrigin: platform.origin });
    const error = await wrongSecret.createToken(await code(), NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AliExpressApiError);
    expect(error).toMatchObject({ kind: 'app', code: 'IncompleteSignature', message: expect.stringContaining('check ALIEXPRESS_APP_KEY and ALIEXPRESS_APP_SECRET') });
  });

  it('creates tokens from a code once, refreshes them, and reads an order with them', async () => {
    const first = await client.createToken(await code(), NOW);
    expect(first).toMatchObject({ account: 'buyer@example.com', expiresAt: new Date(NOW.getTime() + 86_400_000) });
    const refreshed = await client.refreshToken(first.refreshToken!, NOW);
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    await expect(client.refreshToken(first.refreshToken!, NOW)).rejects.toMatchObject({ kind: 'token', code: 'IllegalRefreshToken' });
    expect(await client.getOrder(refreshed.accessToken, '8000000000000001', NOW)).toMatchObject({ order_status: 'WAIT_SELLER_SEND_GOODS' });
    expect(await client.getTracking(refreshed.accessToken, '8000000000000001', 'en_US', NOW)).toEqual({ ret: false, code: '1001', msg: 'TRACKING DATA NOT FOUND' });
    const used = await code();
    await client.createToken(used, NOW);
    await expect(client.createToken(used, NOW)).rejects.toMatchObject({ kind: 'token', code: 'InvalidCode' });
  });

  it('reads a refusal it does not recognise (nothing documents how an unserved order is refused) as that order\'s problem, in AliExpress\'s words', async () => {
    const tokens = await client.createToken(await code(), NOW);
    const refused = await client.getOrder(tokens.accessToken, '8999999999999999', NOW).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'order', code: UNDOCUMENTED_REFUSAL, message: expect.stringContaining(`refused the call with ${UNDOCUMENTED_REFUSAL}`) });
    // Any other code no rule knows is read the same way, never as a documented meaning.
    expect(problemOf({ error_response: { type: 'ISV', code: 'SomeFutureCode', msg: 'whatever it says' } })).toMatchObject({ kind: 'order', code: 'SomeFutureCode', message: expect.stringContaining('"whatever it says"') });
  });

  it('reads the documented errors in both shapes as what to do', () => {
    expect(problemOf({ error_response: { type: 'ISV', code: 'isv.insufficient-permission', msg: 'Insufficient isv permissions' } })).toMatchObject({ kind: 'permission' });
    expect(problemOf({ error_response: { code: '15', msg: 'Remote service error', sub_code: 'isv.insufficient-permission' } })).toMatchObject({ kind: 'permission' });
    expect(problemOf({ type: 'ISV', code: 'IllegalAccessToken', message: 'The specified access token is invalid or expired' })).toMatchObject({ kind: 'token' });
    expect(problemOf({ error_response: { type: 'ISP', code: 'ApiCallLimit', msg: 'This ban will last for 7 more seconds' } })).toMatchObject({ kind: 'throttled', retryAfterMs: 7000 });
    expect(problemOf({ error_response: { type: 'ISP', code: 'ApiCallLimit', msg: 'limited' } })).toMatchObject({ kind: 'throttled', retryAfterMs: 60_000 });
    expect(problemOf({ code: '0', access_token: 'a' })).toBeUndefined();
    expect(problemOf({ aliexpress_trade_ds_order_get_response: { result: {} } })).toBeUndefined();
  });

  it('says AliExpress cannot be reached, without the request in the message', async () => {
    const offline = new OpenPlatformClient({ appKey: APP_KEY, appSecret: APP_SECRET, apiOrigin: 'http://127.0.0.1:9' });
    const error = await offline.getOrder('secret-session-token', '8000000000000001', NOW).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect((error as Error).message).not.toContain('secret-session-token');
  });
});
