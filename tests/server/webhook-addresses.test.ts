/**
 * Outgoing webhooks reach public addresses only: a URL is refused when registered if it is, or
 * resolves to, a loopback, private, link-local or metadata address (IPv4 and IPv6), and a delivery
 * to one that resolves there later is refused before anything is sent; ALLOW_PRIVATE_WEBHOOK_URLS
 * lets an operator allow them.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowPrivateWebhookUrlsFromEnv } from '../../server/config';
import { silentLogger } from '../../server/log';
import { newSecretsKey, parseSecretsKey, secretBox } from '../../server/secrets';
import { isPublicAddress, publicOnlyLookup, refusedWebhookUrl, type Resolve } from '../../server/webhooks-out/addresses';
import { deliverDueWebhooks } from '../../server/webhooks-out/deliver';
import { createEndpoint } from '../../server/webhooks-out/endpoints';
import { DATABASES } from './helpers';
import { openStoreLegBackend, type StoreLegBackend } from './store-leg-harness';

describe('which addresses are public', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.100.100.200', '0.0.0.0', '224.0.0.1', '255.255.255.255',
    '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::5', 'ff02::1', '::ffff:127.0.0.1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '2002:c0a8:101::1', '2001:db8::1', '[::1]',
  ])('%s is not', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('%s is', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('is false for what is not an address', () => {
    expect(isPublicAddress('example.com')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
  });
});

describe('refusing a webhook URL', () => {
  const names: Record<string, string[]> = {
    'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    'rebind.example.com': ['93.184.215.14', '10.0.0.5'],
    'metadata.example.com': ['169.254.169.254'],
    'v6-inside.example.com': ['fd12::1'],
  };
  const resolve: Resolve = async (host) => {
    const found = names[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found;
  };
  const refused = (url: string, allowPrivate = false) => refusedWebhookUrl(url, { allowPrivate, resolve });

  it('takes an https URL whose every address is public', async () => {
    expect(await refused('https://hooks.example.com/aos')).toBeUndefined();
    expect(await refused('https://93.184.215.14/aos')).toBeUndefined();
  });

  it('refuses a name with any address inside, an address inside, plain http and a name that does not resolve', async () => {
    expect(await refused('https://rebind.example.com/x')).toMatch(/rebind\.example\.com resolves to 10\.0\.0\.5, which is a private/);
    expect(await refused('https://metadata.example.com/x')).toMatch(/169\.254\.169\.254/);
    expect(await refused('https://v6-inside.example.com/x')).toMatch(/fd12::1/);
    expect(await refused('https://[::ffff:127.0.0.1]/x')).toMatch(/private/);
    expect(await refused('https://169.254.169.254/latest/meta-data/')).toMatch(/169\.254\.169\.254 is a private/);
    expect(await refused('http://hooks.example.com/x')).toMatch(/an https URL/);
    expect(await refused('https://nowhere.example.com/x')).toMatch(/does not resolve/);
  });

  it('takes them all when the operator allows private webhook URLs', async () => {
    expect(await refused('http://127.0.0.1:9000/x', true)).toBeUndefined();
    expect(allowPrivateWebhookUrlsFromEnv({})).toBe(false);
    expect(allowPrivateWebhookUrlsFromEnv({ ALLOW_PRIVATE_WEBHOOK_URLS: '1' })).toBe(true);
    expect(() => allowPrivateWebhookUrlsFromEnv({ ALLOW_PRIVATE_WEBHOOK_URLS: 'yes please' })).toThrow(/ALLOW_PRIVATE_WEBHOOK_URLS/);
  });

  it('refuses a private answer at connect time, so a name that resolves inside later reaches nothing', async () => {
    const lookup = publicOnlyLookup(false);
    const error = await new Promise<Error | null>((done) => lookup('localhost', { all: true }, (e) => done(e)));
    expect(error?.message).toMatch(/localhost resolves to .*a private address/);
    const allowed = await new Promise<Error | null>((done) => publicOnlyLookup(true)('localhost', { all: true }, (e) => done(e)));
    expect(allowed).toBeNull();
  });
});

describe.each(DATABASES)('outgoing webhook endpoints on %s', { timeout: 60_000 }, (kind) => {
  let b: StoreLegBackend;
  beforeAll(async () => {
    b = await openStoreLegBackend(kind, import.meta.filename);
  });
  afterAll(() => b.close());

  it('answers 400 on the url field for an endpoint inside, and registers a public one', async () => {
    const { token } = await b.merchantWithShop();
    for (const url of ['http://127.0.0.1:9/x', 'https://127.0.0.1/x', 'https://10.0.0.1/x', 'https://[::1]/x', 'https://[fe80::1]/x', 'https://169.254.169.254/latest/meta-data/', 'https://localhost/x', 'https://[::ffff:10.0.0.1]/x']) {
      const res = await b.call(token, '/v1/webhook-endpoints', { body: { url } });
      expect(res.status, url).toBe(400);
      expect(res.body.error, url).toMatchObject({ code: 'bad_request', field: 'url' });
    }
    expect((await b.call(token, '/v1/webhook-endpoints')).body).toEqual([]);
    const ok = await b.call(token, '/v1/webhook-endpoints', { body: { url: 'https://93.184.215.14/hooks' } });
    expect(ok.status).toBe(201);
  });

  it('refuses for good a delivery to an endpoint that is inside by now, sending nothing', async () => {
    let hits = 0;
    const receiver = createServer((_req, res) => {
      hits++;
      res.end('ok');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const { merchantId } = await b.merchantWithShop();
      // As if it had resolved to a public address when it was registered.
      const box = secretBox(parseSecretsKey(newSecretsKey()));
      const endpoint = await createEndpoint(b.db, box, merchantId, { url: `https://localhost:${(receiver.address() as AddressInfo).port}/hooks`, events: ['order.fulfilled'] }, new Date());
      await b.db.query(
        `insert into webhook_deliveries (endpoint_id, merchant_id, event, event_key, payload, status, next_attempt_at, created_at)
         values ($1, $2, 'order.fulfilled', 'order.fulfilled:test', '{}'::jsonb, 'queued', now(), now())`,
        [endpoint.id, merchantId],
      );
      await deliverDueWebhooks({ db: b.db, log: silentLogger, box, now: () => new Date(), allowPrivate: false });
      const { rows } = await b.db.query<{ status: string; error: string }>('select status, error from webhook_deliveries where endpoint_id = $1', [endpoint.id]);
      expect(rows).toEqual([{ status: 'failed', error: expect.stringMatching(/localhost resolves to .*a private address/) }]);
      expect(hits).toBe(0);
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});
