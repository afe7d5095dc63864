import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualSyncRefusedSchema, quotaResponseSchema } from '../../lib/domain/api';
import { MANUAL_SYNC_COOLDOWN_MS, MANUAL_SYNC_DAILY_LIMIT } from '../../lib/domain/quota';
import { createApp } from '../../server/app';
import { createMerchant, type Merchant } from '../../server/auth';
import { openDatabase } from '../../server/db';
import { silentLogger } from '../../server/log';
import { refundManualSync, takeManualSync } from '../../server/quota';
import { DATABASES, dropSchema, openBackend, uniqueSchema, type TestBackend } from './helpers';

describe.each(DATABASES)('manual-sync quota on %s', (kind) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await openBackend(kind, import.meta.filename);
  });
  afterAll(() => b.close());

  const take = (token: string) => b.call(token, '/v1/manual-sync', { method: 'POST' });

  it('accepts exactly one of 20 concurrent manual syncs', async () => {
    const { token } = await b.merchant();
    const answers = await Promise.all(Array.from({ length: 20 }, () => take(token)));
    const accepted = answers.filter((a) => a.status === 200);
    expect(accepted).toHaveLength(1);
    expect(quotaResponseSchema.parse(accepted[0]!.body).quota).toMatchObject({ used: 1, remaining: 9, blockedBy: 'cooldown' });
    for (const refused of answers.filter((a) => a.status !== 200)) {
      expect(refused.status).toBe(429);
      expect(manualSyncRefusedSchema.parse(refused.body).error.rule).toBe('cooldown');
      expect(refused.headers.get('retry-after')).toBe(String(MANUAL_SYNC_COOLDOWN_MS / 1000));
    }
    expect((await b.call(token, '/v1/quota')).body.quota.used).toBe(1);
  });

  it('accepts concurrent manual syncs of two merchants independently', async () => {
    const [x, y] = [await b.merchant(), await b.merchant()];
    const answers = await Promise.all([take(x.token), take(y.token), take(x.token), take(y.token)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 429, 429]);
  });

  it('refuses a second sync within 10 minutes (cooldown) and allows it at 10 minutes', async () => {
    const { token } = await b.merchant();
    b.clock.set('2026-07-02T12:00:00Z');
    expect((await take(token)).status).toBe(200);
    b.clock.set('2026-07-02T12:09:59Z');
    const early = await take(token);
    expect(early.status).toBe(429);
    expect(early.body.error).toMatchObject({ code: 'rate_limited', rule: 'cooldown' });
    expect(early.headers.get('retry-after')).toBe('1');
    expect(early.body.quota).toMatchObject({ used: 1, nextAllowedAt: '2026-07-02T12:10:00.000Z' });
    b.clock.set('2026-07-02T12:10:00Z');
    expect((await take(token)).status).toBe(200);
  });

  it('refuses the 11th sync of a day with daily_limit and allows it again the next day in the merchant\'s timezone', async () => {
    // Los Angeles is UTC-7 in July: its day starts at 07:00 UTC.
    const { token } = await b.merchant('America/Los_Angeles');
    b.clock.set('2026-07-03T07:00:00Z');
    for (let i = 1; i <= MANUAL_SYNC_DAILY_LIMIT; i++) {
      const ok = await take(token);
      expect(ok.status).toBe(200);
      expect(ok.body.quota).toMatchObject({ used: i, remaining: MANUAL_SYNC_DAILY_LIMIT - i, day: '2026-07-03', timezone: 'America/Los_Angeles' });
      b.clock.advance(MANUAL_SYNC_COOLDOWN_MS);
    }
    // 08:40 UTC is 01:40 in Los Angeles: the 11th click of its 3 July.
    const eleventh = await take(token);
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.rule).toBe('daily_limit');
    expect(eleventh.body.quota).toMatchObject({ used: 10, remaining: 0, resetsAt: '2026-07-04T07:00:00.000Z' });
    expect(Number(eleventh.headers.get('retry-after'))).toBe((Date.parse('2026-07-04T07:00:00Z') - b.clock.now().getTime()) / 1000);

    // After midnight UTC, still 3 July in Los Angeles.
    b.clock.set('2026-07-04T06:59:59Z');
    expect((await take(token)).body.error.rule).toBe('daily_limit');
    b.clock.set('2026-07-04T07:00:00Z');
    const nextDay = await take(token);
    expect(nextDay.status).toBe(200);
    expect(nextDay.body.quota).toMatchObject({ used: 1, day: '2026-07-04' });
  });

  it('counts days in UTC for a merchant without a timezone', async () => {
    const { token } = await b.merchant();
    b.clock.set('2026-07-05T23:50:00Z');
    expect((await take(token)).body.quota.day).toBe('2026-07-05');
    b.clock.set('2026-07-06T00:00:00Z');
    expect((await take(token)).body.quota).toMatchObject({ day: '2026-07-06', used: 1 });
  });

  it('gives a taken sync back as if it never ran, but never undoes a sync taken after it', async () => {
    const { id, token } = await b.merchant();
    const merchant: Merchant = { id, name: 'refund', timezone: 'UTC' };
    const at = b.clock.now();
    const first = await takeManualSync(b.db, merchant, at);
    if (!first.accepted) throw new Error('the first sync of the day was refused');
    expect((await refundManualSync(b.db, merchant, first.taken, at)).used).toBe(0);
    expect((await b.call(token, '/v1/quota')).body.quota).toMatchObject({ used: 0, lastSyncAt: null, blockedBy: null });
    expect((await b.db.query('select 1 from manual_syncs where merchant_id = $1', [id])).rows).toHaveLength(0);

    const again = await takeManualSync(b.db, merchant, at);
    if (!again.accepted) throw new Error('the sync given back was not available again');
    const later = new Date(at.getTime() + MANUAL_SYNC_COOLDOWN_MS);
    expect((await takeManualSync(b.db, merchant, later)).accepted).toBe(true);
    // The earlier take is stale now: giving it back changes nothing.
    expect((await refundManualSync(b.db, merchant, again.taken, later)).used).toBe(2);
    expect((await b.call(token, '/v1/quota')).body.quota.used).toBe(2);
  });

  it('reports the quota without taking one', async () => {
    const { token } = await b.merchant('Asia/Shanghai');
    b.clock.set('2026-07-07T15:59:00Z');
    const before = await b.call(token, '/v1/quota');
    expect(before.status).toBe(200);
    expect(quotaResponseSchema.parse(before.body).quota).toEqual({
      limit: 10,
      used: 0,
      remaining: 10,
      day: '2026-07-07',
      timezone: 'Asia/Shanghai',
      lastSyncAt: null,
      nextAllowedAt: null,
      blockedBy: null,
      resetsAt: '2026-07-07T16:00:00.000Z',
    });
    await take(token);
    expect((await b.call(token, '/v1/quota')).body.quota).toMatchObject({ used: 1, lastSyncAt: '2026-07-07T15:59:00.000Z', blockedBy: 'cooldown' });
  });

  it('refuses without a valid token', async () => {
    expect((await b.call(null, '/v1/manual-sync', { method: 'POST' })).status).toBe(401);
    expect((await b.call('aos_wrong-token-0000000', '/v1/quota')).status).toBe(401);
  });
});

// Two backends on one PostgreSQL database, each with its own connection pool, as two processes would be.
describe.runIf(process.env.DATABASE_URL)('manual-sync quota across backend processes on postgres', () => {
  it('accepts exactly one of 20 concurrent manual syncs spread over two backends', async () => {
    const databaseUrl = process.env.DATABASE_URL!;
    const schema = uniqueSchema(import.meta.filename);
    const [one, two] = await Promise.all([openDatabase({ databaseUrl, schema }), openDatabase({ databaseUrl, schema })]);
    try {
      const { token } = await createMerchant(one, 'two processes');
      const apps = [one, two].map((db) => createApp({ db, log: silentLogger }));
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          apps[i % 2]!.request('/v1/manual-sync', { method: 'POST', headers: { authorization: `Bearer ${token}` } }),
        ),
      );
      expect(answers.map((a) => a.status).filter((s) => s === 200)).toHaveLength(1);
      expect(answers.map((a) => a.status).filter((s) => s === 429)).toHaveLength(19);
      const { rows } = await one.query<{ n: number }>('select count(*)::int as n from manual_syncs');
      expect(rows[0]!.n).toBe(1);
    } finally {
      await two.close();
      await dropSchema(one, schema);
      await one.close();
    }
  });
});
