import { describe, expect, it } from 'vitest';
import { databaseOptionsFromEnv, publicUrlFromEnv } from '../../server/config';

describe('databaseOptionsFromEnv', () => {
  const url = 'postgres://u:p@127.0.0.1:5432/db';

  it('leaves the PostgreSQL pool size to the default unless DATABASE_POOL_SIZE says otherwise', () => {
    expect(databaseOptionsFromEnv({ DATABASE_URL: url })).toEqual({ databaseUrl: url });
    expect(databaseOptionsFromEnv({ DATABASE_URL: url, DATABASE_POOL_SIZE: '40' })).toEqual({ databaseUrl: url, poolSize: 40 });
  });

  it.each(['0', '-1', '2.5', 'many', '100000'])('refuses DATABASE_POOL_SIZE=%s', (size) => {
    expect(() => databaseOptionsFromEnv({ DATABASE_URL: url, DATABASE_POOL_SIZE: size })).toThrow(/DATABASE_POOL_SIZE/);
  });
});

describe('publicUrlFromEnv', () => {
  it('takes an https URL (a path prefix too) and refuses what Shopify could not deliver to', () => {
    expect(publicUrlFromEnv({})).toBeUndefined();
    expect(publicUrlFromEnv({ PUBLIC_URL: 'https://orders.example.com/' })).toBe('https://orders.example.com');
    expect(publicUrlFromEnv({ PUBLIC_URL: 'https://example.com/aos/' })).toBe('https://example.com/aos');
    expect(publicUrlFromEnv({ PUBLIC_URL: 'http://127.0.0.1:8787' })).toBe('http://127.0.0.1:8787');
    expect(() => publicUrlFromEnv({ PUBLIC_URL: 'http://orders.example.com' })).toThrow(/PUBLIC_URL must be an https URL/);
    expect(() => publicUrlFromEnv({ PUBLIC_URL: 'orders.example.com' })).toThrow(/PUBLIC_URL/);
    expect(() => publicUrlFromEnv({ PUBLIC_URL: 'https://example.com/?a=1' })).toThrow(/no query/);
  });
});
