/**
 * "Sync through the AliExpress API" from the extension: against the real backend app and the Open
 * Platform contract server, the quota it spends is the popup's quota, and each refusal says why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, readMeta } from '../../../lib/cache/db';
import { createBackendClient } from '../../../lib/sync/backend-client';
import { runApiSync } from '../../../lib/sync/api-sync';
import { newAliOrderId, placedOrder } from '../../server/helpers';
import { openApiBackend, shippedOrder, type ApiBackend } from '../../server/aliexpress-api/harness';

describe('sync through the AliExpress API, from the extension', () => {
  let b: ApiBackend;
  beforeAll(async () => {
    b = await openApiBackend('pglite', import.meta.filename);
  });
  afterAll(() => b.close());

  const clientFor = (token: string) => createBackendClient({ backendUrl: 'http://backend.test', apiToken: token }, async (input, init) => b.app.request(String(input), init));

  it('reads the watched orders through the backend and keeps the quota it answers', async () => {
    const { token } = await b.merchant();
    const ali = newAliOrderId();
    const handPlaced = newAliOrderId();
    await placedOrder(b as never, token, [ali]);
    await placedOrder(b as never, token, [handPlaced]);
    await b.connect(token, 'extension-buyer@example.com', { [ali]: shippedOrder('LP55CN', [['2026-06-28T00:00:00Z', 'In transit']]) });
    const cache = openCache(`api-sync-${Math.random()}`);
    const result = await runApiSync({ cache, client: clientFor(token), now: b.clock.now });
    expect(result).toEqual({ ok: true, read: { asked: 2, read: 1, changed: 1, notServed: 1 } });
    expect((await readMeta(cache, 'quota'))?.quota).toMatchObject({ used: 1, blockedBy: 'cooldown' });

    const again = await runApiSync({ cache, client: clientFor(token), now: b.clock.now });
    expect(again).toEqual({ ok: false, error: expect.stringContaining('less than 10 minutes ago') });
  });

  it('says what the backend says when the account is not connected or must be reconnected', async () => {
    const { token } = await b.merchant();
    const cache = openCache(`api-sync-${Math.random()}`);
    expect(await runApiSync({ cache, client: clientFor(token), now: b.clock.now })).toEqual({ ok: false, error: expect.stringContaining('no AliExpress account is connected') });
    await placedOrder(b as never, token, [newAliOrderId()]);
    await b.connect(token, 'extension-revoked@example.com');
    b.platform.revoke('extension-revoked@example.com');
    expect(await runApiSync({ cache, client: clientFor(token), now: b.clock.now })).toEqual({ ok: false, error: expect.stringContaining('connect the AliExpress account again') });
    expect(await runApiSync({ cache, client: undefined, now: b.clock.now })).toEqual({ ok: false, error: expect.stringContaining('options page') });
  });

  it('a pass that outlasts the wait for its answer is said to go on at the backend, which finishes it', async () => {
    const { token } = await b.merchant();
    const ali = newAliOrderId();
    await placedOrder(b as never, token, [ali]);
    await b.connect(token, 'extension-slow@example.com', { [ali]: shippedOrder('LP56CN', [['2026-06-28T00:00:00Z', 'In transit']]) });
    let finished: Promise<unknown> = Promise.resolve();
    // The backend answers, but only after the client stopped waiting (as hundreds of orders would take).
    const slow: typeof fetch = (input, init) => {
      const answer = Promise.resolve(b.app.request(String(input), { ...init, signal: null }));
      finished = answer;
      return new Promise((resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    };
    const cache = openCache(`api-sync-${Math.random()}`);
    const result = await runApiSync({ cache, client: createBackendClient({ backendUrl: 'http://backend.test', apiToken: token }, slow, 50), now: b.clock.now });
    expect(result).toEqual({ ok: false, stillRunning: true, error: expect.stringContaining('still reading your orders') });
    await finished;
    const quota = await b.app.request('/v1/quota', { headers: { authorization: `Bearer ${token}` } });
    expect((await quota.json()).quota).toMatchObject({ used: 1 });
  });
});
