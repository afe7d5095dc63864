/**
 * What the busy path of the backend does per request, and must keep doing as it is made cheaper:
 * the sync checks its token inside its own transaction, the database layer pipelines a
 * transaction's first and last statements, headers are set on every answer, logs are batched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncResponse } from '../../lib/domain/api';
import { rotateToken } from '../../server/auth';
import { MAX_BODY_BYTES } from '../../server/http/body';
import { createLogger } from '../../server/log';
import { DATABASES, aliOrder, newAliOrderId, openBackend, placedOrder, snapshot, syncBody, type TestBackend } from './helpers';

describe.each(DATABASES)('the request path on %s', (kind) => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await openBackend(kind, import.meta.filename);
  });
  afterAll(() => b.close());

  it('refuses a rotated token on the very next sync, writing nothing, and takes the new one', async () => {
    const me = await b.merchant();
    const ali = newAliOrderId();
    const id = await placedOrder(b, me.token, [ali]);
    const before = (await b.call(me.token, `/v1/store-orders/${id}`)).body.state as string;
    const fresh = await rotateToken(b.db, me.id);
    const refused = await b.call(me.token, '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'closed')])]) });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    expect((await b.call(fresh, `/v1/store-orders/${id}`)).body.state).toBe(before);
    const { rows } = await b.db.query<{ n: number }>('select count(*)::int as n from sync_requests where merchant_id = $1', [me.id]);
    expect(rows[0]!.n).toBe(0);
    const taken = await b.call<SyncResponse>(fresh, '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'closed')])]) });
    expect(taken.status).toBe(200);
    expect(taken.body.results).toEqual([expect.objectContaining({ outcome: 'applied', state: 'canceled' })]);
  });

  it('tells a wrong token before a bad body, and a bad body to the right token', async () => {
    const me = await b.merchant();
    expect((await b.call('aos_not-a-real-token-at-all', '/v1/sync', { raw: '{not json' })).status).toBe(401);
    expect((await b.call('aos_not-a-real-token-at-all', '/v1/sync', { body: { idempotencyKey: 'k' } })).status).toBe(401);
    expect((await b.call(me.token, '/v1/sync', { raw: '{not json' })).status).toBe(400);
    expect((await b.call(me.token, '/v1/sync', { body: { idempotencyKey: 'k' } })).status).toBe(400);
  });

  it('refuses a body whose declared length is over the limit, and reads one within it', async () => {
    const me = await b.merchant();
    const body = JSON.stringify(syncBody([snapshot('2026-07-01T09:00:00Z', [aliOrder(newAliOrderId(), 'shipped')])]));
    const post = (length: number) =>
      b.app.request('/v1/sync', {
        method: 'POST',
        headers: { authorization: `Bearer ${me.token}`, 'content-type': 'application/json', 'content-length': String(length) },
        body,
      });
    const tooLarge = await post(MAX_BODY_BYTES + 1);
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error.code).toBe('payload_too_large');
    const read = await post(Buffer.byteLength(body));
    expect(read.status).toBe(200);
    expect((await read.json()).results).toEqual([expect.objectContaining({ outcome: 'ignored', reason: 'unknown_order' })]);
  });

  it('tags answers and errors alike with the request id and the CORS headers of an extension origin', async () => {
    const me = await b.merchant();
    const origin = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
    const answers = [
      await b.call(me.token, '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [])]), headers: { origin, 'x-request-id': 'req-1' } }),
      await b.call('aos_not-a-real-token-at-all', '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', [])]), headers: { origin, 'x-request-id': 'req-2' } }),
      await b.call(null, '/v1/quota', { headers: { origin, 'x-request-id': 'req-3' } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 401]);
    answers.forEach((a, i) => {
      expect(a.headers.get('x-request-id')).toBe(`req-${i + 1}`);
      expect(a.headers.get('access-control-allow-origin')).toBe(origin);
      expect(a.headers.get('access-control-expose-headers')).toBe('Retry-After,x-request-id');
      expect(a.headers.get('vary')).toContain('Origin');
    });
    expect(answers[0]!.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('runs a transaction\'s last statement after the others, and rolls everything back when it fails', async () => {
    await b.db.query('create table tx_probe (n int primary key)');
    const order = await b.db.transaction(async (tx) => {
      await tx.query('insert into tx_probe (n) values (1)');
      tx.beforeCommit('insert into tx_probe (n) select max(n) + 1 from tx_probe');
      await tx.query('insert into tx_probe (n) values (10)');
      return 'done';
    });
    expect(order).toBe('done');
    // The last statement saw both earlier rows: it ran after them.
    expect((await b.db.query<{ n: number }>('select n from tx_probe order by n')).rows.map((r) => r.n)).toEqual([1, 10, 11]);
    const failed = b.db.transaction(async (tx) => {
      await tx.query('insert into tx_probe (n) values (2)');
      tx.beforeCommit('insert into tx_probe (n) values (1)');
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect((await b.db.query<{ n: number }>('select n from tx_probe order by n')).rows.map((r) => r.n)).toEqual([1, 10, 11]);
    // The connection is clean afterwards: the next transaction commits.
    await b.db.transaction(async (tx) => {
      await tx.query('insert into tx_probe (n) values (3)');
    });
    expect((await b.db.query<{ n: number }>('select count(*)::int as n from tx_probe')).rows[0]!.n).toBe(4);
    await b.db.query('drop table tx_probe');
  });
});

describe('the logger', () => {
  it('writes the lines of one turn of the event loop at once, in order, one JSON object a line', async () => {
    const writes: string[] = [];
    const log = createLogger(true, { write: (text) => writes.push(text) });
    log.info('first', { n: 1 });
    log.error('second', { n: 2 });
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    const lines = writes[0]!.split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1).map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ level: 'info', message: 'first', n: 1 }),
      expect.objectContaining({ level: 'error', message: 'second', n: 2 }),
    ]);
    log.info('third');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
  });

  it('writes nothing when disabled', async () => {
    const writes: string[] = [];
    createLogger(false, { write: (text) => writes.push(text) }).info('quiet');
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([]);
  });
});
