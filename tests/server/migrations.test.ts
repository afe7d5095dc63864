import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { createMerchant, hashToken } from '../../server/auth';
import { migrate, openDatabase, pgliteDatabase, type Database } from '../../server/db';
import { silentLogger } from '../../server/log';
import { DATABASES, dropSchema, openTestDatabase, uniqueSchema } from './helpers';

const MIGRATIONS = new URL('../../server/migrations/', import.meta.url);
const oldToken = `aos_${'b'.repeat(43)}`;

describe.each(DATABASES)('migrations on %s', (kind) => {
  it('apply once: a second run applies nothing', async () => {
    const db = await openTestDatabase(kind, import.meta.filename);
    try {
      const versions = (await db.query<{ version: string }>('select version from schema_migrations order by version')).rows.map((r) => r.version);
      expect(versions).toEqual(readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).sort().map((f) => f.replace('.sql', '')));
      expect(await migrate(db)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe('migrations keep the data of earlier versions', () => {
  it('serves orders written under 0001 after 0002 is applied', async () => {
    // A database as the first release left it: only 0001, with a synced order in it.
    const raw = new PGlite();
    await raw.exec('create table schema_migrations (version text primary key, applied_at timestamptz not null default now())');
    await raw.exec(readFileSync(new URL('0001_init.sql', MIGRATIONS), 'utf8'));
    await raw.exec(`
      insert into schema_migrations (version) values ('0001_init');
      insert into merchants (name, token_hash) values ('old', '${hashToken(oldToken)}');
      insert into store_orders (merchant_id, store_order_number, paid, state) values (1, '#OLD', true, 'fulfilled');
      insert into ali_orders (merchant_id, store_order_id, ali_order_id, status) values (1, 1, '1234567890123456', 'shipped');
      insert into packages (ali_order_pk, tracking_number, tracking_status) values (1, 'LPOLD', 'in_transit');
      insert into state_changes (merchant_id, store_order_id, to_state, cause) values (1, 1, 'fulfilled', 'sync');
      insert into sync_requests (merchant_id, idempotency_key, response) values (1, 'old-key-1', '{"results":[],"syncedAt":"2026-01-01T00:00:00.000Z"}');
    `);
    const db: Database = pgliteDatabase(raw);
    try {
      expect(await migrate(db)).toEqual(['0002_rules', '0003_idempotency_retention', '0020_stores', '0030_aliexpress_accounts', '0040_dashboard', '0050_store_webhooks', '0060_ali_order_status_source', '0070_ali_order_origin']);
      const pkg = (await db.query<{ first_seen_at: Date | null; read_at: Date | null }>('select first_seen_at, read_at from packages')).rows[0]!;
      expect(pkg.first_seen_at).not.toBeNull();
      expect(pkg.read_at).not.toBeNull();
      const { rows } = await db.query<{ field: string }>('select field from state_changes');
      expect(rows).toEqual([{ field: 'state' }]);
      const { token } = await createMerchant(db, 'new');
      const app = createApp({ db, log: silentLogger });
      const list = await app.request('/v1/orders', { headers: { authorization: `Bearer ${token}` } });
      expect(await list.json()).toEqual({ orders: [], nextCursor: null });
      // The token the first release stored on the merchant still works once tokens have their own table.
      const old = await app.request('/v1/quota', { headers: { authorization: `Bearer ${oldToken}` } });
      expect(old.status).toBe(200);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(process.env.DATABASE_URL)('migrations from several processes at once on postgres', () => {
  it('create the schema and apply each migration exactly once', async () => {
    const databaseUrl = process.env.DATABASE_URL!;
    const schema = uniqueSchema(import.meta.filename);
    const dbs = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ databaseUrl, schema })));
    try {
      const { rows } = await dbs[0]!.query<{ n: number }>('select count(*)::int as n from schema_migrations');
      expect(rows[0]!.n).toBe(readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql')).length);
    } finally {
      await Promise.all(dbs.slice(1).map((d) => d.close()));
      await dropSchema(dbs[0]!, schema);
      await dbs[0]!.close();
    }
  });
});
