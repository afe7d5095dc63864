import { describe, expect, it } from 'vitest';
import { newSecretsKey, parseSecretsKey, secretBox } from '../../server/secrets';
import { validHmac, shopifyHmac } from '../../server/shopify/webhooks';

describe('secrets at rest', () => {
  it('opens what it sealed, and nothing sealed under another key or changed', () => {
    const box = secretBox(parseSecretsKey(newSecretsKey()));
    const sealed = box.seal('shpat_secret_token');
    expect(sealed).not.toContain('shpat');
    expect(box.open(sealed)).toBe('shpat_secret_token');
    expect(box.seal('same')).not.toBe(box.seal('same'));
    expect(() => secretBox(parseSecretsKey(newSecretsKey())).open(sealed)).toThrow();
    const [v, iv, tag, data] = sealed.split('.');
    expect(() => box.open([v, iv, tag, `${data!.slice(0, -2)}AA`].join('.'))).toThrow();
    expect(() => parseSecretsKey('too short')).toThrow(/32 bytes/);
  });
});

describe('Shopify webhook signatures', () => {
  it('accepts the base64 HMAC of the exact raw body only', () => {
    const body = Buffer.from('{"id":1}');
    const header = shopifyHmac('shpss_x', body);
    expect(validHmac('shpss_x', body, header)).toBe(true);
    expect(validHmac('shpss_y', body, header)).toBe(false);
    expect(validHmac('shpss_x', Buffer.from('{"id": 1}'), header)).toBe(false);
    expect(validHmac('shpss_x', body, '')).toBe(false);
  });
});
