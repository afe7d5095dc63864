/**
 * The scheduled pass: every connected merchant once per interval, each at its own offset, costing
 * no quota, claimed in the database so that several backend processes run each pass once. The
 * clock is moved, never waited for.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextPassAt, passOffsetMs } from '../../../server/aliexpress-api/accounts';
import { AliExpressService } from '../../../server/aliexpress-api/service';
import { openDatabase, type Database } from '../../../server/db';
import { silentLogger } from '../../../server/log';
import { DATABASES, dropSchema, newAliOrderId, placedOrder, uniqueSchema } from '../helpers';
import { APP_KEY, APP_SECRET, HOUR, openApiBackend, type ApiBackend } from './harness';

const INTERVAL = 6 * HOUR;

describe('when each merchant\'s pass falls', () => {
  it('spreads merchants over the interval by their id and keeps each at its offset', () => {
    const offsets = Array.from({ length: 200 }, (_, i) => passOffsetMs(String(i + 1), INTERVAL));
    expect(offsets.every((offset) => offset >= 0 && offset < INTERVAL)).toBe(true);
    // 200 merchants over 6 hours: no quarter of an hour holds more than a small share of them.
    const perQuarter = new Map<number, number>();
    for (const offset of offsets) {
      const quarter = Math.floor(offset / (HOUR / 4));
      perQuarter.set(quarter, (perQuarter.get(quarter) ?? 0) + 1);
    }
    expect(Math.max(...perQuarter.values())).toBeLessThan(30);
    const now = new Date('2026-07-01T10:00:00Z');
    const next = nextPassAt(offsets[0]!, INTERVAL, now);
    expect(next.getTime()).toBeGreaterThan(now.getTime());
    expect(next.getTime() - now.getTime()).toBeLessThanOrEqual(INTERVAL);
    expect(nextPassAt(offsets[0]!, INTERVAL, next).getTime() - next.getTime()).toBe(INTERVAL);
  });
});

describe.each(DATABASES)('the scheduled pass on %s', (kind) => {
  let b: ApiBackend;
  beforeAll(async () => {
    b = await openApiBackend(kind, import.meta.filename);
  });
  afterAll(() => b.close());

  it('runs nothing before a merchant\'s slot, then each connected merchant once, without spending quota', async () => {
    const merchants: { token: string; ali: string }[] = [];
    for (let i = 0; i < 4; i++) {
      const { token } = await b.merchant();
      const ali = newAliOrderId();
      await placedOrder(b as never, token, [ali]);
      await b.connect(token, `scheduled-${kind}-${i}@example.com`, { [ali]: { order_status: 'WAIT_SELLER_SEND_GOODS' } });
      merchants.push({ token, ali });
    }
    const slots = await Promise.all(merchants.map(async (m) => (await b.call(m.token, '/v1/aliexpress-account')).body.nextPassAt as string));
    expect(new Set(slots).size).toBe(4);
    const asked = (ali: string) => b.platform.calls.filter((c) => c.method === 'aliexpress.trade.ds.order.get' && c.orderId === ali && !c.refused).length;

    const earliest = Math.min(...slots.map(Date.parse));
    b.clock.set(new Date(earliest - 1).toISOString());
    expect(await b.service.runDuePasses(b.clock.now())).toEqual([]);

    b.clock.advance(INTERVAL);
    const passes = await b.service.runDuePasses(b.clock.now());
    expect(passes.filter((p) => p.read).length).toBeGreaterThanOrEqual(4);
    for (const m of merchants) {
      expect(asked(m.ali)).toBe(1);
      const order = (await b.call(m.token, '/v1/orders')).body.orders[0];
      expect(order.state).toBe('awaiting_shipment');
      expect((await b.call(m.token, '/v1/quota')).body.quota.used).toBe(0);
    }
    // Run again at the same moment: every pass was claimed, nothing runs twice.
    expect(await b.service.runDuePasses(b.clock.now())).toEqual([]);
    for (const m of merchants) expect(asked(m.ali)).toBe(1);
    for (const [i, m] of merchants.entries()) {
      const next = (await b.call(m.token, '/v1/aliexpress-account')).body.nextPassAt as string;
      expect(Date.parse(next) - Date.parse(slots[i]!)).toBe(INTERVAL);
    }
  });

  it('skips a merchant who must reconnect, and tells them so', async () => {
    const { token } = await b.merchant();
    await placedOrder(b as never, token, [newAliOrderId()]);
    await b.connect(token, `revoked-${kind}@example.com`);
    b.platform.revoke(`revoked-${kind}@example.com`);
    b.clock.advance(INTERVAL);
    const passes = await b.service.runDuePasses(b.clock.now());
    const mine = passes.filter((p) => p.error?.code === 'aliexpress_reconnect');
    expect(mine.length).toBe(1);
    b.clock.advance(INTERVAL);
    expect((await b.service.runDuePasses(b.clock.now())).some((p) => p.error?.code === 'aliexpress_reconnect')).toBe(false);
    expect((await b.call(token, '/v1/aliexpress-account')).body).toMatchObject({ needsReconnect: true, lastError: expect.stringMatching(/connect the AliExpress account again/) });
  });
});

describe.runIf(process.env.DATABASE_URL)('scheduled passes from several processes on postgres', () => {
  const schema = uniqueSchema(import.meta.filename);
  let b: ApiBackend;
  let dbs: Database[];
  beforeAll(async () => {
    b = await openApiBackend('postgres', import.meta.filename);
    dbs = [await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema }), await openDatabase({ databaseUrl: process.env.DATABASE_URL!, schema })];
  });
  afterAll(async () => {
    await dropSchema(dbs[0]!, schema);
    await Promise.all(dbs.map((db) => db.close()));
    await b.close();
  });

  it('two processes sharing one database run each merchant\'s pass exactly once', async () => {
    // The merchants are made through one handle's backend; both "processes" below are other pools on the same schema.
    const { createApp } = await import('../../../server/app');
    const { createMerchant } = await import('../../../server/auth');
    const service = (db: Database) => new AliExpressService({ db, log: silentLogger, config: b.config });
    const app = createApp({ db: dbs[0]!, log: silentLogger, now: b.clock.now, aliexpress: service(dbs[0]!) });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const { token } = await createMerchant(dbs[0]!, `twin ${i}`);
      const ali = newAliOrderId();
      await placedOrder({ call: async (t: string | null, path: string, init: { body?: unknown } = {}) => {
        const res = await app.request(path, { method: 'POST', headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: JSON.stringify(init.body) });
        return { status: res.status, body: await res.json(), headers: res.headers };
      } } as never, token, [ali]);
      b.platform.addAccount({ account: `twin-${i}@example.com`, orders: { [ali]: { order_status: 'WAIT_SELLER_SEND_GOODS' } } });
      b.platform.consentAs = `twin-${i}@example.com`;
      const start = await app.request('/v1/aliexpress-account/authorize', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      const consent = await fetch(((await start.json()) as { url: string }).url, { redirect: 'manual' });
      const back = new URL(consent.headers.get('location')!);
      await app.request(`${back.pathname}${back.search}`);
      ids.push(ali);
    }
    b.clock.advance(INTERVAL);
    const [first, second] = await Promise.all(dbs.map((db) => service(db).runDuePasses(b.clock.now())));
    const ran = [...first!, ...second!].map((p) => p.merchantId);
    expect(ran.length).toBe(8);
    expect(new Set(ran).size).toBe(8);
    for (const ali of ids) expect(b.platform.calls.filter((c) => c.method === 'aliexpress.trade.ds.order.get' && c.orderId === ali).length).toBe(1);
  });

  it('two `backend:aliexpress-pass` processes at a moved clock run each due pass once', async () => {
    const due = (await dbs[0]!.query<{ n: number }>('select count(*)::int as n from aliexpress_accounts')).rows[0]!.n;
    expect(due).toBe(8);
    const before = b.platform.calls.length;
    const at = new Date(b.clock.now().getTime() + INTERVAL).toISOString();
    b.clock.set(at);
    const env = {
      ...process.env,
      DATABASE_SCHEMA: schema,
      ALIEXPRESS_APP_KEY: APP_KEY,
      ALIEXPRESS_APP_SECRET: APP_SECRET,
      ALIEXPRESS_API_ORIGIN: b.platform.origin,
      SECRETS_KEY: b.secretsKey,
    };
    const run = () => promisify(execFile)(process.execPath, ['--import', 'tsx', 'server/aliexpress-api/cli-pass.ts', '--at', at], { cwd: new URL('../../../', import.meta.url).pathname, env });
    const outputs = await Promise.all([run(), run()]);
    const lines = outputs.flatMap((o) => o.stdout.trim().split('\n').filter(Boolean)).map((l) => JSON.parse(l) as { merchant: string; read?: number });
    expect(lines.length).toBe(8);
    expect(new Set(lines.map((l) => l.merchant)).size).toBe(8);
    expect(lines.every((l) => l.read === 1)).toBe(true);
    expect(b.platform.calls.slice(before).filter((c) => c.method === 'aliexpress.trade.ds.order.get').length).toBe(8);
  });
});
