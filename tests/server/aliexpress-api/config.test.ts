/** The operator's AliExpress app from the environment, and the sealed secrets it depends on. */
import { describe, expect, it } from 'vitest';
import { aliexpressConfigFromEnv } from '../../../server/aliexpress-api/config';
import { newSecretsKey, secretBox, secretBoxFromEnv } from '../../../server/secrets';

describe('AliExpress configuration', () => {
  const key = newSecretsKey();

  it('is off without an app, and needs both halves of one and a secrets key', () => {
    expect(aliexpressConfigFromEnv({})).toBeUndefined();
    expect(() => aliexpressConfigFromEnv({ ALIEXPRESS_APP_KEY: '1' })).toThrow(/both ALIEXPRESS_APP_KEY and ALIEXPRESS_APP_SECRET/);
    expect(() => aliexpressConfigFromEnv({ ALIEXPRESS_APP_KEY: '1', ALIEXPRESS_APP_SECRET: 's' })).toThrow(/set SECRETS_KEY too/);
    expect(() => aliexpressConfigFromEnv({ ALIEXPRESS_APP_KEY: '1', ALIEXPRESS_APP_SECRET: 's', SECRETS_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
  });

  it('talks to https://api-sg.aliexpress.com every 6 hours unless told otherwise', () => {
    const config = aliexpressConfigFromEnv({ ALIEXPRESS_APP_KEY: '1', ALIEXPRESS_APP_SECRET: 's', SECRETS_KEY: key })!;
    expect(config).toMatchObject({ appKey: '1', appSecret: 's', apiOrigin: 'https://api-sg.aliexpress.com', passIntervalMs: 6 * 3_600_000 });
    expect(config.redirectUri).toBeUndefined();
    const moved = aliexpressConfigFromEnv({
      ALIEXPRESS_APP_KEY: '1',
      ALIEXPRESS_APP_SECRET: 's',
      SECRETS_KEY: key,
      ALIEXPRESS_API_ORIGIN: 'http://127.0.0.1:9999/ignored/path',
      ALIEXPRESS_SYNC_INTERVAL_HOURS: '2',
      ALIEXPRESS_REDIRECT_URI: 'https://shop.example/v1/aliexpress-account/callback',
    })!;
    expect(moved).toMatchObject({ apiOrigin: 'http://127.0.0.1:9999', passIntervalMs: 2 * 3_600_000, redirectUri: 'https://shop.example/v1/aliexpress-account/callback' });
  });

  it.each([['ALIEXPRESS_API_ORIGIN', 'not a url'], ['ALIEXPRESS_API_ORIGIN', 'ftp://x'], ['ALIEXPRESS_SYNC_INTERVAL_HOURS', '0'], ['ALIEXPRESS_SYNC_INTERVAL_HOURS', 'often']])('refuses %s=%s, naming it', (name, value) => {
    expect(() => aliexpressConfigFromEnv({ ALIEXPRESS_APP_KEY: '1', ALIEXPRESS_APP_SECRET: 's', SECRETS_KEY: key, [name]: value })).toThrow(name);
  });
});

describe('sealed secrets', () => {
  const box = secretBox(Buffer.from(newSecretsKey(), 'base64'));

  it('opens what it sealed, only with the same associated data and key, and never shows the plain text', () => {
    const sealed = box.seal('50000secret-token', 'merchant:1');
    expect(sealed).not.toContain('secret');
    expect(box.seal('50000secret-token', 'merchant:1')).not.toBe(sealed);
    expect(box.open(sealed, 'merchant:1')).toBe('50000secret-token');
    expect(() => box.open(sealed, 'merchant:2')).toThrow();
    expect(() => secretBox(Buffer.from(newSecretsKey(), 'base64')).open(sealed, 'merchant:1')).toThrow();
    const [v, iv, tag, body] = sealed.split('.');
    expect(() => box.open([v, iv, tag, `${body}A`].join('.'), 'merchant:1')).toThrow();
    expect(() => box.open('garbage', 'merchant:1')).toThrow(/not a sealed secret/);
  });

  it('takes its key from SECRETS_KEY', () => {
    expect(secretBoxFromEnv({})).toBeUndefined();
    expect(secretBoxFromEnv({ SECRETS_KEY: newSecretsKey() })).toBeDefined();
  });
});
