/**
 * POST /v1/sync is set-based: a fixed handful of statements whatever the batch size, with the same
 * answers and the same rules as one read at a time (order by order, in capture order).
 */
import { describe, expect, it } from 'vitest';
import type { SyncResponse } from '../../lib/domain/api';
import type { Package } from '../../lib/domain/snapshot';
import { createApp } from '../../server/app';
import type { Database, Queryable } from '../../server/db';
import { silentLogger } from '../../server/log';
import { backendWithMerchant, DATABASES, aliOrder, newAliOrderId, newKey, pkg, placedOrder, snapshot, syncBody, type TestBackend } from './helpers';

/** `count` paid store orders, each placed with one AliExpress order, straight in SQL (fast for big batches). */
async function seedPlaced(db: Queryable, merchantId: string, aliOrderIds: string[], mode = 'auto'): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `with s as (
       insert into store_orders (merchant_id, store_order_number, paid, fulfillment_mode, state, created_at, updated_at)
       select $1, 'S' || a, true, $3, case when $3 = 'auto' then 'awaiting_payment' else 'fulfilled' end, now(), now()
         from unnest($2::text[]) with ordinality as u(a, n) order by n
       returning id, store_order_number)
     insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier, status, updated_at)
     select $1, s.id, substr(s.store_order_number, 2), 'Supplier', 'awaiting_payment', now() from s
     returning store_order_id::text as id`,
    [merchantId, aliOrderIds, mode],
  );
  return rows.map((r) => r.id);
}

const newAliOrderIds = (n: number) => Array.from({ length: n }, () => newAliOrderId());

/** The i-th single-supplier order of the big batch: four outcomes in turn. */
const singleRead = (ali: string, i: number) =>
  [
    aliOrder(ali, 'awaiting_shipment'),
    aliOrder(ali, 'shipped', { packages: [pkg(`LPB${i}`, 'in_transit', ['2026-07-01T08:00:00Z'])] }),
    aliOrder(ali, 'closed'),
    aliOrder(ali, 'unknown'),
  ][i % 4]!;

describe.each(DATABASES)('set-based POST /v1/sync on %s', (kind) => {
  let b: TestBackend;
  let token: string;
  backendWithMerchant(kind, import.meta.filename, (backend, merchantToken) => {
    b = backend;
    token = merchantToken;
  });

  const sync = (body: unknown) => b.call<SyncResponse>(token, '/v1/sync', { body });
  const view = async (id: string) => (await b.call(token, `/v1/store-orders/${id}`)).body;

  it('applies a snapshot that names one order several times read by read, leaving one audit row', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    const res = await sync(
      syncBody([
        snapshot('2026-07-01T09:00:00Z', [
          aliOrder(ali, 'awaiting_shipment'),
          aliOrder(ali, 'shipped', { packages: [pkg('LPDUP', 'pending'), pkg('LPDUP', 'in_transit')] }),
          aliOrder(ali, 'unknown'),
        ]),
      ]),
    );
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual(
      Array.from({ length: 3 }, () => ({ outcome: 'applied', aliOrderId: ali, storeOrderId: id, storeOrderNumber: expect.any(String), state: 'fulfilled', changed: true })),
    );
    const v = await view(id);
    // The last read of the same capture wins; an `unknown` status keeps the one before it.
    expect(v.aliOrders[0]).toMatchObject({ status: 'shipped', packages: [{ trackingNumber: 'LPDUP', trackingStatus: 'in_transit' }] });
    expect(v.history.filter((h: { cause: string }) => h.cause === 'sync')).toEqual([expect.objectContaining({ from: 'awaiting_payment', to: 'fulfilled' })]);

    // The same again, later: nothing it knew changes.
    const again = await sync(syncBody([snapshot('2026-07-01T09:10:00Z', [aliOrder(ali, 'shipped', { packages: [pkg('LPDUP', 'in_transit')] })])]));
    expect(again.body.results[0]).toMatchObject({ outcome: 'applied', state: 'fulfilled', changed: false });
  });

  it('folds several reads of one package: the newest read wins, a carrier and the earliest times are kept', async () => {
    const ali = newAliOrderId();
    const id = await placedOrder(b, token, [ali]);
    const noCarrier: Package = { trackingNumber: 'LPFOLD', trackingStatus: 'delivered', events: [{ at: '2026-07-01T08:45:00Z', text: 'Delivered' }] };
    await sync(
      syncBody([
        snapshot('2026-07-01T09:10:00Z', [aliOrder(ali, 'shipped', { packages: [noCarrier] })], 'tracking'),
        snapshot('2026-07-01T09:00:00Z', [aliOrder(ali, 'shipped', { packages: [pkg('LPFOLD', 'in_transit', ['2026-07-01T08:30:00Z', '2026-07-01T08:00:00Z'])] })], 'tracking'),
      ]),
    );
    expect((await view(id)).aliOrders[0].packages).toEqual([
      {
        trackingNumber: 'LPFOLD',
        carrier: 'Cainiao',
        trackingStatus: 'delivered',
        lastEventAt: '2026-07-01T08:45:00.000Z',
        firstEventAt: '2026-07-01T08:00:00.000Z',
        firstSeenAt: '2026-07-01T09:00:00.000Z',
      },
    ]);
  });

  it('answers 1,000 orders of every outcome in request order with a fixed number of statements', async () => {
    const me = await b.merchant();
    const other = await b.merchant();
    const singles = newAliOrderIds(400);
    const splitIds = newAliOrderIds(200);
    const lockedIds = newAliOrderIds(50);
    const theirs = newAliOrderIds(50);
    const unknown = newAliOrderIds(300);
    const singleStores = await seedPlaced(b.db, me.id, singles);
    await seedPlaced(b.db, me.id, lockedIds, 'manual_after_placing');
    await seedPlaced(b.db, other.id, theirs);
    // Split store orders: each even one's store order also gets the next one, from a second supplier.
    const firsts = splitIds.filter((_, i) => i % 2 === 0);
    const splitStores = await seedPlaced(b.db, me.id, firsts);
    await b.db.query(
      `insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier, status, updated_at)
       select $1, f.store_order_id, u.second, 'Supplier 2', 'awaiting_payment', now()
         from unnest($2::text[], $3::text[]) as u(first, second) join ali_orders f on f.merchant_id = $1 and f.ali_order_id = u.first`,
      [me.id, firsts, splitIds.filter((_, i) => i % 2 === 1)],
    );

    const orders = [
      ...singles.map(singleRead),
      ...splitIds.map((ali, i) => (i % 2 === 0 ? aliOrder(ali, 'shipped', { packages: [pkg(`LPS${i}`, 'pending')] }) : aliOrder(ali, 'awaiting_shipment'))),
      ...lockedIds.map((ali) => aliOrder(ali, 'shipped', { packages: [pkg(`LPL${ali}`, 'pending')] })),
      ...theirs.map((ali) => aliOrder(ali, 'closed')),
      ...unknown.map((ali) => aliOrder(ali, 'shipped')),
    ];
    expect(orders).toHaveLength(1000);

    // The same app over a database that counts what it is sent.
    const counted = countingDatabase(b.db);
    const app = createApp({ db: counted.db, log: silentLogger, now: b.clock.now });
    const post = async (body: unknown) => {
      counted.count = 0;
      const res = await app.request('/v1/sync', { method: 'POST', headers: { authorization: `Bearer ${me.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return { body: (await res.json()) as SyncResponse, statements: counted.count };
    };
    // The token is checked before the body; the app keeps a recently checked token for the sync
    // route, which checks it again in its own first statement (see RECHECKING_ROUTES).
    await post(syncBody([snapshot('2026-07-01T08:59:00Z', [])]));
    // Half a snapshot each, as the extension sends list pages.
    const big = await post(syncBody([snapshot('2026-07-01T09:00:00Z', orders.slice(0, 500), 'order_list'), snapshot('2026-07-01T09:00:01Z', orders.slice(500), 'tracking')]));

    const results = big.body.results;
    expect(results.map((r) => r.aliOrderId)).toEqual(orders.map((o) => o.aliOrderId));
    const expected = ['awaiting_shipment', 'fulfilled', 'canceled', 'awaiting_payment'];
    singles.forEach((ali, i) => {
      expect(results[i]).toEqual({
        outcome: 'applied',
        aliOrderId: ali,
        storeOrderId: singleStores[i],
        storeOrderNumber: `S${ali}`,
        state: expected[i % 4],
        changed: i % 4 !== 3,
      });
    });
    expect(results.slice(400, 600)).toEqual(splitIds.map((ali) => expect.objectContaining({ outcome: 'applied', aliOrderId: ali, state: 'awaiting_fulfillment', changed: true })));
    expect(results.slice(600, 650)).toEqual(lockedIds.map((ali) => ({ outcome: 'ignored', aliOrderId: ali, reason: 'locked' })));
    expect(results.slice(650)).toEqual([...theirs, ...unknown].map((ali) => ({ outcome: 'ignored', aliOrderId: ali, reason: 'unknown_order' })));

    // One audit row per store order that moved (300 singles, 100 split orders), none for the rest.
    const audit = await b.db.query<{ cause: string; n: number }>(
      `select cause, count(*)::int as n from state_changes where merchant_id = $1 group by cause`,
      [me.id],
    );
    expect(audit.rows).toEqual([{ cause: 'sync', n: 400 }]);
    const moved = await b.db.query<{ state: string; n: number }>(
      `select state, count(*)::int as n from store_orders where id = any($1::bigint[]) group by state order by state`,
      [[...singleStores, ...splitStores]],
    );
    expect(moved.rows).toEqual([
      { state: 'awaiting_fulfillment', n: 100 },
      { state: 'awaiting_payment', n: 100 },
      { state: 'awaiting_shipment', n: 100 },
      { state: 'canceled', n: 100 },
      { state: 'fulfilled', n: 100 },
    ]);
    // Locked and other merchants' orders are untouched.
    const untouched = await b.db.query<{ status: string; packages: number }>(
      `select a.status, (select count(*)::int from packages p where p.ali_order_pk = a.id) as packages
         from ali_orders a where a.ali_order_id = any($1::text[])`,
      [[...lockedIds, ...theirs]],
    );
    expect(new Set(untouched.rows.map((r) => `${r.status}/${r.packages}`))).toEqual(new Set(['awaiting_payment/0']));

    // A one-order sync costs the same statements as the 1,000-order one: nothing is per row. The
    // big one read orders no store order links to, which cost one statement more, however many
    // (the dashboard keeps them: server/dashboard/unlinked.ts).
    const small = await post(syncBody([snapshot('2026-07-01T09:05:00Z', [aliOrder(singles[0]!, 'shipped')])]));
    expect(small.body.results[0]).toMatchObject({ outcome: 'applied', state: 'awaiting_shipment' });
    expect(big.statements).toBe(small.statements + 1);
    // Token, key and locks; the reads; the writes with the commit.
    expect(small.statements).toBeLessThanOrEqual(3);
  });

  it('keeps the newest capture and a chained audit trail when two requests sync overlapping orders at once', async () => {
    const me = await b.merchant();
    const alis = Array.from({ length: 40 }, () => newAliOrderId());
    const stores = await seedPlaced(b.db, me.id, alis);
    const post = (body: unknown) => b.call<SyncResponse>(me.token, '/v1/sync', { body });
    for (let round = 0; round < 4; round++) {
      const older = `2026-07-0${round + 1}T09:00:00Z`;
      const newer = `2026-07-0${round + 1}T09:30:00Z`;
      const status = round % 2 === 0 ? 'shipped' : 'completed';
      // The server's clock is past both captures: a capture ahead of it would count as captured now.
      b.clock.set(`2026-07-0${round + 1}T10:00:00Z`);
      // One walks the orders forwards, the other backwards: without ordered locks they would deadlock.
      const [a, c] = await Promise.all([
        post(syncBody([snapshot(older, alis.map((ali) => aliOrder(ali, 'awaiting_shipment')))])),
        post(syncBody([snapshot(newer, [...alis].reverse().map((ali) => aliOrder(ali, status, { packages: [pkg(`LPC${ali}`, 'in_transit', [newer])] })))])),
      ]);
      expect([a.status, c.status]).toEqual([200, 200]);
      const rows = await b.db.query<{ status: string; state: string; tracking: string }>(
        `select a.status, s.state, p.tracking_status as tracking from ali_orders a join store_orders s on s.id = a.store_order_id
           join packages p on p.ali_order_pk = a.id where a.ali_order_id = any($1::text[])`,
        [alis],
      );
      expect(new Set(rows.rows.map((r) => `${r.status}/${r.state}/${r.tracking}`))).toEqual(new Set([`${status}/fulfilled/in_transit`]));
    }
    b.clock.set('2026-07-01T10:00:00.000Z');
    // Every audit row starts where the one before it ended, and the last one ends at the state.
    const history = await b.db.query<{ store_order_id: string; from_state: string; to_state: string }>(
      `select store_order_id::text as store_order_id, from_state, to_state from state_changes where store_order_id = any($1::bigint[]) order by id`,
      [stores],
    );
    for (const id of stores) {
      const trail = history.rows.filter((h) => h.store_order_id === id);
      expect(trail.length).toBeGreaterThan(0);
      expect(trail[0]!.from_state).toBe('awaiting_payment');
      for (let i = 1; i < trail.length; i++) expect(trail[i]!.from_state).toBe(trail[i - 1]!.to_state);
      expect(trail.at(-1)!.to_state).toBe('fulfilled');
    }
  });

  it('keeps merchants apart when both sync at once', async () => {
    const [m1, m2] = [await b.merchant(), await b.merchant()];
    const [a1, a2] = [newAliOrderId(), newAliOrderId()];
    await seedPlaced(b.db, m1.id, [a1]);
    await seedPlaced(b.db, m2.id, [a2]);
    const both = [a1, a2].map((ali) => aliOrder(ali, 'closed'));
    const [r1, r2] = await Promise.all([
      b.call<SyncResponse>(m1.token, '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', both)]) }),
      b.call<SyncResponse>(m2.token, '/v1/sync', { body: syncBody([snapshot('2026-07-01T09:00:00Z', both)]) }),
    ]);
    expect(r1.body.results.map((r) => r.outcome === 'applied' ? r.state : r.reason)).toEqual(['canceled', 'unknown_order']);
    expect(r2.body.results.map((r) => r.outcome === 'applied' ? r.state : r.reason)).toEqual(['unknown_order', 'canceled']);
  });

  it('answers a replay of a big sync the same, and refuses its key with another body', async () => {
    const me = await b.merchant();
    const alis = Array.from({ length: 200 }, () => newAliOrderId());
    await seedPlaced(b.db, me.id, alis);
    const key = newKey();
    const body = syncBody([snapshot('2026-07-01T09:00:00Z', alis.map((ali) => aliOrder(ali, 'awaiting_shipment')))], key);
    const first = await b.call<SyncResponse>(me.token, '/v1/sync', { body });
    b.clock.advance(60_000);
    const again = await b.call<SyncResponse>(me.token, '/v1/sync', { body });
    expect(again.body).toEqual(first.body);
    const other = await b.call(me.token, '/v1/sync', { body: { ...body, snapshots: [snapshot('2026-07-01T09:00:00Z', [aliOrder(alis[0]!, 'closed')])] } });
    expect(other.status).toBe(409);
    const audit = await b.db.query<{ n: number }>('select count(*)::int as n from state_changes where merchant_id = $1', [me.id]);
    expect(audit.rows[0]!.n).toBe(200);
  });
});

/** A database that counts the statements sent through it (the transaction's own begin/commit aside). */
function countingDatabase(db: Database): { db: Database; count: number } {
  const counter = { db, count: 0 };
  const counted = (q: Queryable): Queryable => ({
    query(text, params) {
      counter.count++;
      return q.query(text, params);
    },
  });
  counter.db = {
    kind: db.kind,
    query: (text, params) => counted(db).query(text, params),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          ...counted(tx),
          beforeCommit(text, params) {
            counter.count++;
            tx.beforeCommit(text, params);
          },
        }),
      ),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
  return counter;
}
