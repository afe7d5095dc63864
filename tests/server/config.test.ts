import { describe, expect, it } from 'vitest';
import { databaseOptionsFromEnv } from '../../server/config';

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
