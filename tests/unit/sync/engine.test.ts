import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCache, readMeta, type CacheDb } from '../../../lib/cache/db';
import { lastGoodReadAt, seenLookup } from '../../../lib/cache/seen';
import type { SyncRun } from '../../../lib/cache/sync-run';
import { banners } from '../../../lib/presentation/banners';
import type { Snapshot } from '../../../lib/domain/snapshot';
import { createBackendClient, type BackendClient } from '../../../lib/sync/backend-client';
import type { OrderView } from '../../../lib/domain/api';
import { MAX_ENTRY_REFUSALS, pullOrders, pushOutbox, recordSnapshot, retryDelayMs, RETRY_BASE_MS, RETRY_MAX_MS, runSync, sameJson } from '../../../lib/sync/engine';
import type { Database } from '../../../server/db';
import { ali, orderView } from '../presentation/orders';
import { openTestDatabase, startTestBackend, type TestBackend } from './harness';

const LIST_URL = 'https://www.aliexpress.com/p/order/index.html';

/** One parcel, as read at different times. */
const parcel = (trackingStatus: 'in_transit' | 'delivered') => ({ trackingNumber: 'AA000000000BR', trackingStatus, events: [] });
const trackedPackage = (aliOrderId: string) => ({ trackingNumber: `LP${aliOrderId}`, trackingStatus: 'in_transit' as const, events: [] });

function listSnapshot(capturedAt: string, orders: Snapshot['orders']): Snapshot {
  return { kind: 'order_list', url: LIST_URL, capturedAt, orders, warnings: [] };
}

let cache: CacheDb;
let db: Database;
let backend: TestBackend;
let keys = 0;
const newKey = () => `test-key-${++keys}`;
const now = () => new Date('2026-11-22T10:00:00Z');

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());
beforeEach(async () => {
  cache = openCache(`test-${Math.random()}`);
  backend = await startTestBackend(db);
});
afterEach(() => cache.delete());

/** Like fetch on a connection the far end holds open: it settles only when its signal aborts. */
const hanging: typeof fetch = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));

const client = () => createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, backend.fetch);

describe('reading pages into the cache', () => {
  it('keeps every order a page showed and queues the page for the backend', async () => {
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    expect((await cache.aliOrders.get('8214398062177351'))?.order.status).toBe('shipped');
    expect(await cache.outbox.count()).toBe(1);
  });

  it('never forgets a tracking number because a later page (the list) shows none', async () => {
    const pkg = { trackingNumber: 'AA000000000BR', carrier: 'J&T Express', trackingStatus: 'in_transit' as const, events: [] };
    await recordSnapshot(cache, { ...listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [pkg] }]), kind: 'tracking' }, newKey);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00Z', [{ aliOrderId: '8214398062177351', status: 'completed', packages: [] }]), newKey);
    const cached = await cache.aliOrders.get('8214398062177351');
    expect(cached?.order.status).toBe('completed');
    expect(cached?.order.packages).toEqual([pkg]);
  });

  it('a late read of an older page does not roll the cache back: completed at 10:05, then shipped from 10:00, stays completed', async () => {
    const id = '8214398062177351';
    await recordSnapshot(cache, { ...listSnapshot('2026-11-22T10:05:00Z', [{ aliOrderId: id, status: 'completed', packages: [parcel('delivered')] }]), kind: 'order_detail' }, newKey);
    await recordSnapshot(cache, { ...listSnapshot('2026-11-22T10:00:00Z', [{ aliOrderId: id, status: 'shipped', packages: [parcel('in_transit')] }]), kind: 'tracking' }, newKey);
    const cached = await cache.aliOrders.get(id);
    expect(cached?.order.status).toBe('completed');
    expect(cached?.order.packages).toEqual([parcel('delivered')]);
    // Both reads still reach the backend, which applies the same rule.
    expect(await cache.outbox.count()).toBe(2);
  });

  it('merges a big page over what is cached, whether its orders are neighbours in the cache or spread among others', async () => {
    const ids = Array.from({ length: 240 }, (_, n) => String(8_214_398_062_100_000 + n));
    await recordSnapshot(cache, { ...listSnapshot('2026-11-22T09:00:00Z', ids.map((aliOrderId) => ({ aliOrderId, status: 'shipped', packages: [trackedPackage(aliOrderId)] }))), kind: 'tracking' }, newKey);
    const unseen = String(8_214_398_062_099_999);
    const neighbours = [...ids.slice(0, 60), unseen];
    const spread = ids.filter((_, n) => n % 3 === 1).slice(0, 60);
    const singleReads = vi.spyOn(cache.aliOrders, 'bulkGet');
    for (const [minute, page] of [[5, neighbours], [6, spread]] as const) {
      await recordSnapshot(cache, listSnapshot(`2026-11-22T09:0${minute}:00Z`, page.map((aliOrderId) => ({ aliOrderId, status: 'completed', packages: [] }))), newKey);
    }
    // The neighbours were read as one range, the spread ones one by one.
    expect(singleReads.mock.calls.map(([asked]) => asked.length)).toEqual([spread.length]);
    singleReads.mockRestore();
    const rows = await cache.aliOrders.bulkGet([...neighbours, ...spread]);
    expect(rows.map((r) => [r?.aliOrderId, r?.order.status, r?.order.packages])).toEqual(
      [...neighbours, ...spread].map((id) => [id, 'completed', id === unseen ? [] : [trackedPackage(id)]]),
    );
    expect(await cache.aliOrders.count()).toBe(241);
  });

  it('a re-read writes only the orders it changed, and still records when each was seen and queues the page', async () => {
    const a = { aliOrderId: '8214398062177351', status: 'shipped' as const, packages: [] };
    const b = { aliOrderId: '8214779947343229', status: 'shipped' as const, packages: [] };
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [a, b]), newKey);
    const written = vi.spyOn(cache.aliOrders, 'bulkPut');
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00Z', [a, { ...b, status: 'completed' }]), newKey);
    expect(written.mock.calls.map(([rows]) => rows.map((r) => r.aliOrderId))).toEqual([[b.aliOrderId]]);
    written.mockRestore();
    const seenAt = seenLookup(await cache.seen.toArray());
    expect([seenAt(a.aliOrderId), seenAt(b.aliOrderId)]).toEqual(['2026-11-22T09:05:00Z', '2026-11-22T09:05:00Z']);
    // The newer read supersedes the older one whole: one entry, both orders, as the page showed them.
    const entries = await cache.outbox.toArray();
    expect(entries.map((e) => e.snapshot.orders.map((o) => [o.aliOrderId, o.status]))).toEqual([
      [
        [a.aliOrderId, 'shipped'],
        [b.aliOrderId, 'completed'],
      ],
    ]);
    // The log of reads keeps each order once, in its newest read: the first read is gone.
    expect((await cache.seen.toArray()).map((r) => [r.at, r.aliOrderIds])).toEqual([['2026-11-22T09:05:00Z', `${a.aliOrderId},${b.aliOrderId}`]]);
    // An older read arriving late does not make the orders look seen earlier.
    await recordSnapshot(cache, listSnapshot('2026-11-22T08:00:00Z', [a]), newKey);
    expect(seenLookup(await cache.seen.toArray())(a.aliOrderId)).toBe('2026-11-22T09:05:00Z');
    expect(await cache.seen.count()).toBe(1);
    // A tracking page of one of them, later: that order moves to the newer read.
    await recordSnapshot(cache, { ...listSnapshot('2026-11-22T09:10:00Z', [b]), kind: 'tracking' }, newKey);
    expect((await cache.seen.toArray()).map((r) => [r.at, r.aliOrderIds])).toEqual([
      ['2026-11-22T09:05:00Z', a.aliOrderId],
      ['2026-11-22T09:10:00Z', b.aliOrderId],
    ]);
  });

  it('a login page is remembered as a problem and leaves cached orders untouched', async () => {
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    await recordSnapshot(cache, { kind: 'login', url: 'https://login.aliexpress.com/', capturedAt: '2026-11-22T09:01:00Z', orders: [], warnings: ['log in'] }, newKey);
    expect(await cache.aliOrders.count()).toBe(1);
    expect(await cache.outbox.count()).toBe(1);
    expect(await readMeta(cache, 'lastPageProblem')).toMatchObject({ kind: 'login', url: 'https://login.aliexpress.com/' });
  });
});

describe('pushing to the backend', () => {
  it('delivers the outbox, and the backend applies the AliExpress status to the store order', async () => {
    await backend.place('#1001', ['8214398062177351']);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    expect((await pushOutbox(cache, client())).results.map((r) => r.outcome)).toEqual(['applied']);
    expect(await cache.outbox.count()).toBe(0);
    await pullOrders(cache, client(), now());
    const [order] = await cache.storeOrders.toArray();
    expect(order).toMatchObject({ storeOrderNumber: '#1001', state: 'awaiting_shipment', aliOrderIds: ['8214398062177351'] });
  });

  it('keeps everything queued while the backend is down and delivers it once it is back', async () => {
    await backend.place('#1001', ['8214398062177351']);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    backend.online = false;
    await runSync({ cache, client: client(), now, newKey });
    expect(await cache.outbox.count()).toBe(1);
    expect((await readMeta(cache, 'syncStatus'))?.lastError).toMatch(/cannot be reached/);

    backend.online = true;
    // Until the retry time, passes started by page reads wait; the alarm's pass delivers.
    await runSync({ cache, client: client(), now: () => new Date(now().getTime() + 1000), newKey, trigger: 'capture' });
    expect(await cache.outbox.count()).toBe(1);
    const later = () => new Date(now().getTime() + 2000);
    await runSync({ cache, client: client(), now: later, newKey, trigger: 'alarm' });
    expect(await cache.outbox.count()).toBe(0);
    expect(await readMeta(cache, 'syncStatus')).toEqual({ lastSyncAt: later().toISOString() });
    expect((await cache.storeOrders.toArray())[0]?.state).toBe('awaiting_shipment');
  });

  it('a backend that takes the request and never answers is reported as unreachable in time, and loses nothing', async () => {
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    const stalled = createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, hanging, 50);
    await runSync({ cache, client: stalled, now, newKey });
    expect(await cache.outbox.count()).toBe(1);
    expect((await readMeta(cache, 'syncStatus'))?.lastError).toMatch(/did not answer within/);
  });

  it('a wrong token stops the pass with a message that names the token, and loses nothing', async () => {
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    const wrong = createBackendClient({ backendUrl: 'http://backend.test', apiToken: 'aos_not-the-token' }, backend.fetch);
    await runSync({ cache, client: wrong, now, newKey });
    expect(await cache.outbox.count()).toBe(1);
    expect((await readMeta(cache, 'syncStatus'))?.lastError).toMatch(/refused the API token/);
  });

  it('without settings it says what to set and keeps the queue', async () => {
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    await runSync({ cache, client: undefined, now, newKey });
    expect(await cache.outbox.count()).toBe(1);
    expect((await readMeta(cache, 'syncStatus'))?.lastError).toMatch(/options page/);
    expect(backend.calls).toEqual([]);
  });

  it('a paid day read from the order detail page reaches the backend as the start of that day', async () => {
    await backend.place('#1001', ['8214398062177351']);
    const detail: Snapshot = {
      kind: 'order_detail',
      url: 'https://www.aliexpress.com/p/order/detail.html?orderId=8214398062177351',
      capturedAt: '2026-11-22T09:00:00Z',
      warnings: [],
      orders: [{ aliOrderId: '8214398062177351', status: 'awaiting_shipment', paidAt: '2026-07-15', packages: [] }],
    };
    await recordSnapshot(cache, detail, newKey);
    await pushOutbox(cache, client());
    const { rows } = await backend.db.query<{ paid_at: Date }>('select paid_at from ali_orders where merchant_id = $1', [backend.merchantId]);
    expect(new Date(rows[0]!.paid_at).toISOString()).toBe('2026-07-15T00:00:00.000Z');
  });

  it('a retried push with the same idempotency key changes nothing more', async () => {
    await backend.place('#1001', ['8214398062177351']);
    const request = { idempotencyKey: 'retry-key-1', snapshots: [listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped' as const, packages: [] }])] };
    const first = await client().sync(request);
    const again = await client().sync(request);
    expect(again).toEqual(first);
    const { rows } = await backend.db.query<{ n: number }>("select count(*)::int as n from state_changes where cause = 'sync' and merchant_id = $1", [backend.merchantId]);
    expect(rows[0]?.n).toBe(1);
  });
});

/** A backend that answers every call with 503 and asks for 10 minutes. */
const busy: typeof fetch = async () =>
  new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'busy' } }), { status: 503, headers: { 'retry-after': '600' } });

/**
 * The backend, except that it answers `status` to every push carrying this order (as it would to
 * a body it cannot store, or one it refuses).
 */
function refusing(aliOrderId: string, status: number): typeof fetch {
  return async (input, init) => {
    if (String(input).endsWith('/v1/sync') && String(init?.body).includes(aliOrderId)) {
      return new Response(JSON.stringify({ error: { code: status >= 500 ? 'internal' : 'bad_request', message: `cannot store order ${aliOrderId}` } }), { status, headers: { 'content-type': 'application/json' } });
    }
    return backend.fetch(input, init);
  };
}

/** One pass at `at` through this fetch; jitter pinned. */
const pass = (fetchImpl: typeof fetch, at: Date) =>
  runSync({ cache, client: createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, fetchImpl), now: () => at, newKey, random: () => 1 });
/** A backend failing on everything. */
const down: typeof fetch = async () => new Response('{}', { status: 503 });

describe('an entry the backend refuses', () => {
  const bad = '8214398062177351';
  const good = '8214779947343229';

  for (const status of [500, 400]) {
    it(`(HTTP ${status}) does not hold up the others or the pull, is retried on its own backoff, then parked with the backend's reason`, async () => {
      await backend.place('#1001', [bad]);
      await backend.place('#1002', [good]);
      await recordSnapshot(cache, { ...listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: bad, status: 'shipped', packages: [] }]), kind: 'order_detail' }, newKey);
      await recordSnapshot(cache, { ...listSnapshot('2026-11-22T09:01:00Z', [{ aliOrderId: good, status: 'shipped', packages: [] }]), kind: 'order_detail' }, newKey);
      const fetchImpl = refusing(bad, status);

      let at = new Date('2026-11-22T10:00:00Z');
      await pass(fetchImpl, at);
      // The good entry went through and the backend's view came back.
      expect((await cache.outbox.toArray()).map((e) => e.snapshot.orders[0]?.aliOrderId)).toEqual([bad]);
      expect((await cache.storeOrders.toArray()).map((o) => [o.storeOrderNumber, o.state]).sort()).toEqual([
        ['#1001', 'awaiting_payment'],
        ['#1002', 'awaiting_shipment'],
      ]);
      // Not plain success: the popup is told what the backend refuses, in its words.
      expect((await readMeta(cache, 'syncStatus'))?.refused).toEqual({ retrying: 1, parked: 0, reason: expect.stringContaining(`cannot store order ${bad}`) });

      // Its own backoff: a pass right after leaves it alone.
      const calls = backend.calls.length;
      await pass(fetchImpl, new Date(at.getTime() + 1000));
      expect(backend.calls.slice(calls).filter((c) => c === 'POST /v1/sync')).toEqual([]);

      for (let i = 0; i < MAX_ENTRY_REFUSALS - 1; i++) {
        at = new Date(at.getTime() + RETRY_MAX_MS);
        await pass(fetchImpl, at);
      }
      expect(await cache.outbox.count()).toBe(0);
      const [parked] = await cache.parked.toArray();
      expect(parked).toMatchObject({ status, reason: expect.stringContaining(`cannot store order ${bad}`), entry: { snapshot: { orders: [{ aliOrderId: bad }] } } });
      expect((await readMeta(cache, 'syncStatus'))?.refused).toMatchObject({ retrying: 0, parked: 1 });
    });
  }

  it('a backend failing on every entry is not the entries\' fault: nothing is charged or parked', async () => {
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: bad, status: 'shipped', packages: [] }]), newKey);
    await recordSnapshot(cache, { ...listSnapshot('2026-11-22T09:01:00Z', [{ aliOrderId: good, status: 'shipped', packages: [] }]), kind: 'order_detail' }, newKey);
    let at = new Date('2026-11-22T10:00:00Z');
    for (let i = 0; i < MAX_ENTRY_REFUSALS + 1; i++) {
      at = new Date(at.getTime() + RETRY_MAX_MS);
      await pass(down, at);
    }
    expect(await cache.outbox.count()).toBe(2);
    expect(await cache.parked.count()).toBe(0);
    expect((await cache.outbox.toArray()).map((e) => e.refusals ?? 0)).toEqual([0, 0]);
  });
});

describe('retrying', () => {
  it('waits longer after each failure, with jitter, up to 30 minutes', () => {
    expect(retryDelayMs(1, () => 1)).toBe(RETRY_BASE_MS);
    expect(retryDelayMs(2, () => 1)).toBe(2 * RETRY_BASE_MS);
    expect(retryDelayMs(3, () => 0)).toBe(2 * RETRY_BASE_MS);
    expect(retryDelayMs(30, () => 1)).toBe(RETRY_MAX_MS);
  });

  it("honours the backend's Retry-After, even on the alarm's pass", async () => {
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    await runSync({ cache, client: createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, busy), now, newKey, random: () => 0 });
    expect((await readMeta(cache, 'syncStatus'))?.retryAfterAt).toBe(new Date(now().getTime() + 600_000).toISOString());
    backend.calls.length = 0;
    await runSync({ cache, client: client(), now: () => new Date(now().getTime() + 300_000), newKey, trigger: 'alarm' });
    expect(backend.calls).toEqual([]);
  });

  it('after a refused token, automatic passes wait for the merchant; a forced pass goes ahead', async () => {
    await backend.place('#1001', ['8214398062177351']);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    const wrong = createBackendClient({ backendUrl: 'http://backend.test', apiToken: 'aos_wrong-token' }, backend.fetch);
    await runSync({ cache, client: wrong, now, newKey });
    expect((await readMeta(cache, 'syncStatus'))?.needsToken).toBe(true);
    backend.calls.length = 0;
    await runSync({ cache, client: client(), now: () => new Date(now().getTime() + RETRY_MAX_MS), newKey, trigger: 'alarm' });
    expect(backend.calls).toEqual([]);
    await runSync({ cache, client: client(), now, newKey, trigger: 'merchant' });
    expect(await cache.outbox.count()).toBe(0);
  });
});

describe('coalescing the outbox', () => {
  it('keeps one unsent entry per order and page kind, the latest, and drops nothing unsent', async () => {
    const a = { aliOrderId: '8214398062177351', status: 'awaiting_shipment' as const, packages: [] };
    const b = { aliOrderId: '8214779947343229', status: 'shipped' as const, packages: [] };
    const pkg = { trackingNumber: 'LP1', trackingStatus: 'in_transit' as const, events: [] };
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [a, b]), newKey);
    await recordSnapshot(cache, { ...listSnapshot('2026-11-22T09:01:00Z', [{ ...a, status: 'shipped', packages: [pkg] }]), kind: 'tracking' }, newKey);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:02:00Z', [{ ...a, status: 'shipped' }]), newKey);
    const entries = await cache.outbox.orderBy('id').toArray();
    expect(entries.map((e) => [e.snapshot.kind, e.snapshot.orders.map((o) => o.aliOrderId)])).toEqual([
      ['order_list', ['8214779947343229']],
      ['tracking', ['8214398062177351']],
      ['order_list', ['8214398062177351']],
    ]);
  });

  it('queues each page exactly as it was read', async () => {
    const page: Snapshot = {
      ...listSnapshot('2026-11-22T09:00:00.000Z', [{ aliOrderId: '8214398062177351', status: 'shipped', statusText: 'Awaiting delivery', packages: [] }]),
      warnings: ['one card had no price'],
    };
    await recordSnapshot(cache, page, newKey);
    const [entry] = await cache.outbox.toArray();
    expect(entry).toMatchObject({ snapshot: page, createdAt: page.capturedAt, attempts: 0 });
  });

  it('an older read that arrives late leaves the newer unsent one whole; the next read supersedes both', async () => {
    const a = { aliOrderId: '8214398062177351', status: 'shipped' as const, packages: [] };
    const b = { aliOrderId: '8214779947343229', status: 'shipped' as const, packages: [] };
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00Z', [a]), newKey);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [a, b]), newKey);
    const orders = async () => (await cache.outbox.orderBy('id').toArray()).map((e) => [e.snapshot.capturedAt, e.snapshot.orders.map((o) => o.aliOrderId)]);
    expect(await orders()).toEqual([
      ['2026-11-22T09:05:00Z', [a.aliOrderId]],
      ['2026-11-22T09:00:00Z', [a.aliOrderId, b.aliOrderId]],
    ]);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:10:00Z', [{ ...a, status: 'completed' }]), newKey);
    expect(await orders()).toEqual([
      ['2026-11-22T09:00:00Z', [b.aliOrderId]],
      ['2026-11-22T09:10:00Z', [a.aliOrderId]],
    ]);
  });

  it('a read of orders sent already queues afresh', async () => {
    await backend.place('#1001', ['8214398062177351']);
    const a = { aliOrderId: '8214398062177351', status: 'shipped' as const, packages: [] };
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [a]), newKey);
    await pushOutbox(cache, client());
    const again = listSnapshot('2026-11-22T09:05:00Z', [{ ...a, status: 'completed' }]);
    await recordSnapshot(cache, again, newKey);
    expect((await cache.outbox.toArray()).map((e) => e.snapshot)).toEqual([again]);
    expect((await pushOutbox(cache, client())).results.map((r) => r.outcome)).toEqual(['applied']);
    expect(await cache.outbox.count()).toBe(0);
  });

  it('an entry the backend took without the answer arriving, then superseded in part, is sent again under a new key and not refused', async () => {
    await backend.place('#1001', ['8214398062177351']);
    await backend.place('#1002', ['8214779947343229']);
    const a = { aliOrderId: '8214398062177351', status: 'shipped' as const, packages: [] };
    const b = { aliOrderId: '8214779947343229', status: 'shipped' as const, packages: [] };
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:00:00Z', [a, b]), newKey);
    const lost: typeof fetch = async (input, init) => {
      await backend.fetch(input, init);
      throw new TypeError('Failed to fetch');
    };
    await expect(pushOutbox(cache, createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, lost))).rejects.toThrow();
    const [tried] = await cache.outbox.toArray();
    expect(tried?.attempts).toBe(1);

    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00Z', [{ ...a, status: 'completed' }]), newKey);
    const [rest] = await cache.outbox.orderBy('id').toArray();
    expect(rest?.snapshot.orders.map((o) => o.aliOrderId)).toEqual([b.aliOrderId]);
    expect(rest?.idempotencyKey).not.toBe(tried?.idempotencyKey);
    expect((await pushOutbox(cache, client())).results.map((r) => [r.aliOrderId, r.outcome])).toEqual([
      [b.aliOrderId, 'applied'],
      [a.aliOrderId, 'applied'],
    ]);
    expect(await cache.outbox.count()).toBe(0);
  });

  it('a full re-read while the backend is down leaves one entry per page, and all of it reaches the backend once it is back', async () => {
    const ids = Array.from({ length: 30 }, (_, n) => String(8_214_398_062_177_000 + n));
    await backend.place('#1001', ids.slice(0, 1));
    const pages = (minute: number, status: 'shipped' | 'completed') =>
      [0, 1, 2].map((p) => listSnapshot(`2026-11-22T09:${String(minute).padStart(2, '0')}:0${p}Z`, ids.slice(p * 10, p * 10 + 10).map((aliOrderId) => ({ aliOrderId, status, packages: [] }))));
    backend.online = false;
    for (const page of pages(0, 'shipped')) await recordSnapshot(cache, page, newKey);
    await runSync({ cache, client: client(), now, newKey });
    for (const page of pages(5, 'completed')) await recordSnapshot(cache, page, newKey);
    const entries = await cache.outbox.orderBy('id').toArray();
    expect(entries.map((e) => e.snapshot)).toEqual(pages(5, 'completed'));
    backend.online = true;
    const { results } = await pushOutbox(cache, client());
    expect(results.map((r) => r.aliOrderId)).toEqual(ids);
    expect(await cache.outbox.count()).toBe(0);
  });

  it('a page that reads fine clears the login problem seen before it', async () => {
    await recordSnapshot(cache, { kind: 'login', url: 'https://login.aliexpress.com/', capturedAt: '2026-11-22T09:00:00Z', orders: [], warnings: [] }, newKey);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00Z', [{ aliOrderId: '8214398062177351', status: 'shipped', packages: [] }]), newKey);
    expect(await readMeta(cache, 'lastPageProblem')).toBeUndefined();
  });

  it('an order list with no orders, read after the login page, ends the login banner too', async () => {
    await recordSnapshot(cache, { kind: 'login', url: 'https://login.aliexpress.com/', capturedAt: '2026-11-22T09:00:00Z', orders: [], warnings: [] }, newKey);
    await recordSnapshot(cache, listSnapshot('2026-11-22T09:05:00Z', []), newKey);
    const shown = banners({
      online: true,
      configured: true,
      waiting: 0,
      pageProblem: await readMeta(cache, 'lastPageProblem'),
      lastGoodReadAt: lastGoodReadAt(await cache.seen.toArray(), await readMeta(cache, 'lastGoodReadAt')),
      // A manual sync that stopped on the login page before that read.
      run: { id: 'r', status: 'failed', startedAt: '2026-11-22T08:59:00Z', finishedAt: '2026-11-22T09:00:00Z', problem: { kind: 'login', url: 'https://login.aliexpress.com/' } } as SyncRun,
      now: new Date('2026-11-22T09:06:00Z'),
    });
    expect(shown.map((b) => b.kind)).toEqual([]);
    expect(await cache.outbox.count()).toBe(0);
  });
});

/** A backend answering a fixed list of store orders, 2 to a page. */
function viewsClient(views: OrderView[]): BackendClient {
  return {
    orders: async (cursor?: string) => {
      const from = cursor ? Number(cursor) : 0;
      return { orders: views.slice(from, from + 2), nextCursor: from + 2 < views.length ? String(from + 2) : null };
    },
  } as unknown as BackendClient;
}

function view(id: string, state: OrderView['state'], aliOrderId: string): OrderView {
  return orderView({ id, storeOrderNumber: `#${id}`, state, aliOrders: [ali({ aliOrderId, supplier: 'Test Store', paidAt: null, lastSeenAt: null })] });
}

describe("pulling the backend's view", () => {
  it('writes only the store orders whose view changed, adds new ones and drops those the backend no longer lists', async () => {
    const first = [view('1001', 'awaiting_shipment', '8214398062177351'), view('1002', 'fulfilled', '8214779947343229'), view('1003', 'fulfilled', '8214779947343230')];
    expect(await pullOrders(cache, viewsClient(first), new Date('2026-11-22T09:00:00Z'))).toBe(3);
    const second = [{ ...first[0]!, state: 'fulfilled' as const }, first[1]!, view('1004', 'awaiting_order', '8214779947343231')];
    expect(await pullOrders(cache, viewsClient(second), new Date('2026-11-22T09:10:00Z'))).toBe(3);
    const rows = await cache.storeOrders.orderBy('storeOrderNumber').toArray();
    expect(rows.map((r) => [r.id, r.state, r.pulledAt, r.aliOrderIds])).toEqual([
      ['1001', 'fulfilled', '2026-11-22T09:10:00.000Z', ['8214398062177351']],
      ['1002', 'fulfilled', '2026-11-22T09:00:00.000Z', ['8214779947343229']],
      ['1004', 'awaiting_order', '2026-11-22T09:10:00.000Z', ['8214779947343231']],
    ]);
    expect(rows[1]).toEqual({ ...second[1], aliOrderIds: ['8214779947343229'], pulledAt: '2026-11-22T09:00:00.000Z' });
  });

  it('an empty answer empties the cache', async () => {
    await pullOrders(cache, viewsClient([view('1001', 'fulfilled', '8214398062177351')]), now());
    await pullOrders(cache, viewsClient([]), now());
    expect(await cache.storeOrders.count()).toBe(0);
  });

  it('compares views by content, not by the order of their keys', () => {
    expect(sameJson({ a: 1, b: [{ c: null, d: 'x' }] }, { b: [{ d: 'x', c: null }], a: 1 })).toBe(true);
    expect(sameJson({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: null }, { a: 0 })).toBe(false);
    expect(sameJson({ a: {} }, { a: [] })).toBe(false);
    expect(sameJson({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(sameJson({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(sameJson({ a: 1 }, { b: 1 })).toBe(false);
    expect(sameJson({ at: 'x', a: { at: 'y' } }, { at: 'z', a: { at: 'y' } }, 'at')).toBe(true);
    expect(sameJson({ at: 'x', a: { at: 'y' } }, { at: 'x', a: { at: 'z' } }, 'at')).toBe(false);
  });
});
