import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openCache, readMeta, type CacheDb } from '../../../lib/cache/db';
import type { Snapshot } from '../../../lib/domain/snapshot';
import { createBackendClient } from '../../../lib/sync/backend-client';
import { pushOutbox, recordSnapshot } from '../../../lib/sync/engine';
import { cancelManualSync, interruptStaleRuns, runManualSync, type SyncTab } from '../../../lib/sync/manual-sync';
import { refreshNumbers } from '../../../lib/sync/tracking-refresh';
import { cainiaoContract } from '../../../scripts/lib/sandbox/cainiao';
import type { Database } from '../../../server/db';
import { openTestDatabase, startTestBackend, type TestBackend } from './harness';

const LIST = 'https://www.aliexpress.com/p/order/index.html';
const T0 = new Date('2026-11-22T10:00:00Z');

const order = (aliOrderId: string, status: Snapshot['orders'][number]['status'], trackingNumber?: string): Snapshot['orders'][number] => ({
  aliOrderId,
  status,
  packages: trackingNumber ? [{ trackingNumber, carrier: 'Cainiao', trackingStatus: 'in_transit', events: [] }] : [],
});
const page = (kind: Snapshot['kind'], url: string, orders: Snapshot['orders'] = []): Snapshot => ({ kind, url, capturedAt: T0.toISOString(), orders, warnings: [] });

const dated = (aliOrderId: string, status: Snapshot['orders'][number]['status'], orderedAt: string) => ({ ...order(aliOrderId, status), orderedAt });

/** A tab over canned pages that, like the worker, keeps each page's snapshot before answering. */
function fakeTab(cache: CacheDb, listPages: Snapshot[], trackingPages: Record<string, Snapshot>, log: string[], tabPages: Record<string, Snapshot[]> = {}): SyncTab {
  let listIndex = 0;
  let shown = listPages;
  let open = false;
  const keep = async (s: Snapshot) => {
    await recordSnapshot(cache, s, () => crypto.randomUUID());
    return s;
  };
  return {
    id: () => (open ? 7 : undefined),
    async load(url) {
      open = true;
      log.push(url);
      if (url === LIST) {
        shown = listPages;
        listIndex = 0;
        return keep(shown[listIndex++]!);
      }
      const id = new URL(url).searchParams.get('tradeOrderId')!;
      return keep(trackingPages[id] ?? page('unknown', url));
    },
    async loadMore() {
      if (listIndex >= shown.length) return undefined;
      log.push('View orders');
      return keep(shown[listIndex++]!);
    },
    async showTab(title, code) {
      const pages = tabPages[code];
      if (!pages) return undefined;
      log.push(`tab ${title}`);
      shown = pages;
      listIndex = 0;
      return keep(shown[listIndex++]!);
    },
    async close() {
      log.push('closed');
    },
  };
}

let db: Database;
let cache: CacheDb;
let backend: TestBackend;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db.close());
beforeEach(async () => {
  cache = openCache(`manual-${Math.random()}`);
  backend = await startTestBackend(db);
  backend.clock = T0;
});
afterEach(() => cache.delete());

const deps = (tab: SyncTab, now = () => T0) => ({
  cache,
  client: createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, backend.fetch),
  openTab: () => tab,
  now,
  sleep: async () => undefined,
  pauseMs: 3000,
  newId: () => crypto.randomUUID(),
});

describe('the Sync button', () => {
  it('walks the list pages and the needed tracking pages, pushes what they show, and sums it up', async () => {
    await backend.place('#1', ['8000000000000001']);
    await backend.place('#2', ['8000000000000002']);
    await backend.place('#3', ['8000000000000003']);
    const log: string[] = [];
    const tab = fakeTab(
      cache,
      [
        page('order_list', LIST, [order('8000000000000001', 'shipped'), order('8000000000000009', 'completed')]),
        page('order_list', LIST, [order('8000000000000002', 'awaiting_shipment'), order('8000000000000003', 'shipped')]),
      ],
      {
        '8000000000000001': page('tracking', `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=8000000000000001`, [order('8000000000000001', 'shipped', 'LP001')]),
        '8000000000000003': page('tracking', `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=8000000000000003`, [order('8000000000000003', 'shipped', 'LP003')]),
      },
      log,
    );
    const run = await runManualSync(deps(tab));
    expect(run).toMatchObject({ status: 'done', watched: 3, ordersSeen: 3, pagesLoaded: 4, newTrackingNumbers: 2 });
    expect(log).toEqual([LIST, 'View orders', expect.stringContaining('tradeOrderId=8000000000000001'), expect.stringContaining('tradeOrderId=8000000000000003'), 'closed']);
    expect(await cache.outbox.count()).toBe(0);
    const { rows } = await db.query<{ store_order_number: string; state: string }>(
      'select store_order_number, state from store_orders where merchant_id = $1 order by store_order_number',
      [backend.merchantId],
    );
    expect(rows.map((r) => [r.store_order_number, r.state])).toEqual([
      ['#1', 'fulfilled'],
      ['#2', 'awaiting_shipment'],
      ['#3', 'fulfilled'],
    ]);
    expect(run.changed).toBe(3);
  });

  it("loads the pages on the merchant's own AliExpress site: the one their latest page was read on", async () => {
    await backend.place('#1', ['8000000000000001']);
    const US_LIST = 'https://www.aliexpress.us/p/order/index.html';
    await recordSnapshot(cache, page('order_list', US_LIST), () => crypto.randomUUID());
    const log: string[] = [];
    const pages: Record<string, Snapshot> = {
      [US_LIST]: page('order_list', US_LIST, [order('8000000000000001', 'shipped')]),
      'https://www.aliexpress.us/p/tracking/index.html?_addShare=no&_login=yes&tradeOrderId=8000000000000001': page('tracking', 'https://www.aliexpress.us/p/tracking/index.html?tradeOrderId=8000000000000001', [order('8000000000000001', 'shipped', 'LP001')]),
    };
    const tab: SyncTab = {
      id: () => 7,
      async load(url) {
        log.push(url);
        const shown = pages[url] ?? page('unknown', url);
        await recordSnapshot(cache, shown, () => crypto.randomUUID());
        return shown;
      },
      loadMore: async () => undefined,
      showTab: async () => undefined,
      close: async () => undefined,
    };
    expect(await runManualSync(deps(tab))).toMatchObject({ status: 'done', pagesLoaded: 2, newTrackingNumbers: 1 });
    expect(log).toEqual(Object.keys(pages));
  });

  describe('reading the list by tab', () => {
    const TABS = [
      { code: 'all', title: 'View all' },
      { code: 'processing', title: 'Processing' },
    ];
    // Ten orders on the first page over ten days, and the two watched ones, awaiting shipment when
    // last read, 30 and 40 days back behind 20 more orders the cache knows.
    const firstPage = { ...page('order_list', LIST, Array.from({ length: 10 }, (_, i) => dated(`80000000000001${String(i).padStart(2, '0')}`, 'completed', `2026-11-${String(20 - i).padStart(2, '0')}`))), list: { tab: 'all', tabs: TABS } };
    const between = Array.from({ length: 20 }, (_, i) => dated(`80000000000002${String(i).padStart(2, '0')}`, 'completed', `2026-10-${String(30 - i).padStart(2, '0')}`));
    const watchedRead = [dated('8000000000000001', 'awaiting_shipment', '2026-10-05'), dated('8000000000000002', 'awaiting_shipment', '2026-09-25')];

    beforeEach(async () => {
      await backend.place('#1', ['8000000000000001']);
      await backend.place('#2', ['8000000000000002']);
      const earlier = new Date(T0.getTime() - 86_400_000).toISOString();
      await recordSnapshot(cache, { ...page('order_list', LIST, [...between, ...watchedRead]), capturedAt: earlier }, () => crypto.randomUUID());
      await pushOutbox(cache, deps(fakeTab(cache, [], {}, [])).client, T0);
    });

    it('clicks the tab by its title and reads the watched orders there: one list page instead of three', async () => {
      const log: string[] = [];
      const processing = { ...page('order_list', LIST, watchedRead), list: { tab: 'processing' } };
      const tab = fakeTab(cache, [firstPage], {}, log, { processing: [processing] });
      const run = await runManualSync(deps(tab));
      expect(log.slice(0, 2)).toEqual([LIST, 'tab Processing']);
      expect(run).toMatchObject({ status: 'done', ordersSeen: 2, pagesLoaded: 2 });
      expect(run.warnings ?? []).toEqual([]);
    });

    it('without the tab on the page, pages the all-tab instead and says so in the run', async () => {
      const log: string[] = [];
      const more = [page('order_list', LIST, between.slice(0, 10)), page('order_list', LIST, [...between.slice(10), ...watchedRead])];
      const tab = fakeTab(cache, [firstPage, ...more], {}, log);
      const run = await runManualSync(deps(tab));
      expect(log).not.toContain('tab Processing');
      expect(run.status).toBe('done');
      expect(run.warnings).toEqual([{ kind: 'tab_not_found', code: 'processing', title: 'Processing' }]);
      // The watched orders' statuses came from the all-tab, or from their own pages.
      expect(log.filter((l) => l === 'View orders' || l.includes('/p/order/detail.html')).length).toBeGreaterThan(0);
    });
  });

  it('takes every tracking page it planned however long the pages take: a run finishes', async () => {
    await backend.place('#1', ['8000000000000001']);
    await backend.place('#2', ['8000000000000002']);
    const log: string[] = [];
    const tracking = (id: string) => page('tracking', `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=${id}`, [order(id, 'shipped', `LP${id.slice(-3)}`)]);
    const tab = fakeTab(
      cache,
      [page('order_list', LIST, [order('8000000000000001', 'shipped'), order('8000000000000002', 'shipped')])],
      { '8000000000000001': tracking('8000000000000001'), '8000000000000002': tracking('8000000000000002') },
      log,
    );
    // Each page load takes four minutes on this clock.
    let clock = T0.getTime();
    const run = await runManualSync({ ...deps(tab, () => new Date(clock)), sleep: async () => void (clock += 4 * 60_000) });
    expect(run).toMatchObject({ status: 'done', pagesLoaded: 3 });
    expect(log.filter((l) => l.includes('tradeOrderId'))).toHaveLength(2);
  });

  it('a second click within 10 minutes is refused with the rule and the time, and loads no page', async () => {
    await backend.place('#1', ['8000000000000001']);
    const log: string[] = [];
    await runManualSync(deps(fakeTab(cache, [page('order_list', LIST, [order('8000000000000001', 'awaiting_shipment')])], {}, log)));
    backend.clock = new Date(T0.getTime() + 4 * 60_000);
    const again = await runManualSync(deps(fakeTab(cache, [], {}, log), () => backend.clock!));
    expect(again.status).toBe('refused');
    expect(again.problem).toMatchObject({ kind: 'quota', rule: 'cooldown' });
    expect(log.filter((l) => l === LIST)).toHaveLength(1);
    expect((await readMeta(cache, 'quota'))?.quota.remaining).toBe(9);
  });

  it('the 11th of the day is refused with the daily limit and when the next day starts', async () => {
    await backend.place('#1', ['8000000000000001']);
    // Ten accepted today (UTC merchant), the last one an hour ago.
    await db.query(
      `insert into manual_sync_quota (merchant_id, day, used, last_at) values ($1, '2026-11-22', 10, $2)
       on conflict (merchant_id) do update set day = excluded.day, used = excluded.used, last_at = excluded.last_at`,
      [backend.merchantId, new Date(T0.getTime() - 3_600_000)],
    );
    const log: string[] = [];
    const run = await runManualSync(deps(fakeTab(cache, [], {}, log)));
    expect(run.status).toBe('refused');
    expect(run.problem).toMatchObject({ kind: 'quota', rule: 'daily_limit', nextAllowedAt: '2026-11-23T00:00:00.000Z' });
    expect(log).toEqual([]);
    expect((await readMeta(cache, 'quota'))?.quota).toMatchObject({ remaining: 0, blockedBy: 'daily_limit' });
  });

  it('a login page stops the sync with what to do, and what was pushed stays pushed', async () => {
    await backend.place('#1', ['8000000000000001']);
    await backend.place('#2', ['8000000000000002']);
    const log: string[] = [];
    const tab = fakeTab(cache, [page('order_list', LIST, [order('8000000000000001', 'awaiting_shipment')]), page('login', 'https://login.aliexpress.com/')], {}, log);
    const run = await runManualSync(deps(tab));
    expect(run.status).toBe('failed');
    expect(run.problem).toMatchObject({ kind: 'login', message: expect.stringMatching(/log in/i) });
    expect(log.at(-1)).toBe('closed');
    const { rows } = await db.query<{ status: string }>("select status from ali_orders where merchant_id = $1 and ali_order_id = '8000000000000001'", [backend.merchantId]);
    expect(rows[0]?.status).toBe('awaiting_shipment');
  });

  it('a bot check says to open the tab and slide to verify', async () => {
    await backend.place('#1', ['8000000000000001']);
    const tab = fakeTab(cache, [page('bot_check', 'https://www.aliexpress.com/_____tmd_____/punish?x5secdata=x')], {}, []);
    const run = await runManualSync(deps(tab));
    expect(run.problem).toMatchObject({ kind: 'bot_check', message: expect.stringMatching(/slide to verify/) });
  });

  it('the backend down: the run says so and keeps what it read for later', async () => {
    await backend.place('#1', ['8000000000000001']);
    const tab = fakeTab(cache, [page('order_list', LIST, [order('8000000000000001', 'shipped')])], {}, []);
    const d = deps(tab);
    let calls = 0;
    // The slot and the watchlist come through, then the network goes.
    const flaky: typeof fetch = async (input, init) => {
      calls += 1;
      if (calls > 2) backend.online = false;
      return backend.fetch(input, init);
    };
    const run = await runManualSync({ ...d, client: createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, flaky) });
    expect(run.problem?.kind).toBe('backend_unreachable');
    expect(await cache.outbox.count()).toBe(1);
  });

  it('cancel stops the run after the page it is on, and closes the tab', async () => {
    await backend.place('#1', ['8000000000000001']);
    await backend.place('#2', ['8000000000000002']);
    const log: string[] = [];
    const tab = fakeTab(cache, [page('order_list', LIST, [order('8000000000000001', 'shipped')]), page('order_list', LIST, [order('8000000000000002', 'shipped')])], {}, log);
    const run = await runManualSync({ ...deps(tab), sleep: async () => void (await cancelManualSync(cache, T0)) });
    expect(run.status).toBe('canceled');
    expect(log).toEqual([LIST, 'closed']);
  });

  it('a run left running by a dead worker is reported as interrupted, with its tab to close', async () => {
    await cache.syncRuns.add({ id: 'r1', status: 'running', step: 'reading_order_list', startedAt: T0.toISOString(), pagesLoaded: 1, watched: 3, ordersSeen: 1, changed: 0, newTrackingNumbers: 0, tabId: 42 });
    expect(await interruptStaleRuns(cache, T0)).toEqual([42]);
    expect((await cache.syncRuns.get('r1'))?.status).toBe('interrupted');
  });

  it('without a backend configured it says what to set', async () => {
    const run = await runManualSync({ ...deps(fakeTab(cache, [], {}, [])), client: undefined });
    expect(run.problem).toMatchObject({ kind: 'not_configured' });
  });
});

const tracking = (id: string, number: string) => page('tracking', `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=${id}`, [order(id, 'shipped', number)]);

describe('the Sync button with Cainiao', () => {
  const contract = cainiaoContract({ parcels: new Map(), now: () => T0.getTime() });
  const contractFetch: typeof fetch = async (input) => {
    const out = contract.answer(new URL(String(input)))!;
    return new Response(out.body, { status: out.status, headers: { 'content-type': out.contentType } });
  };
  const withCainiao = (tab: SyncTab) => ({
    ...deps(tab),
    cainiaoPauseMs: 2000,
    refreshTracking: (parcels: ReadonlyMap<string, readonly string[]>, numbers: readonly string[]) =>
      refreshNumbers({ cache, fetchImpl: contractFetch, now: () => T0, sleep: async () => undefined, newKey: () => crypto.randomUUID() }, parcels, numbers),
  });

  /** Three orders the backend knows: two shipped with numbers read 12 hours ago, one not shipped yet. */
  async function knownParcels() {
    await backend.place('#1', ['8000000000000001']);
    await backend.place('#2', ['8000000000000002']);
    await backend.place('#3', ['8000000000000003']);
    backend.clock = new Date(T0.getTime() - 12 * 3_600_000);
    const earlier = { ...page('tracking', 'https://www.aliexpress.com/p/tracking/index.html', [order('8000000000000001', 'shipped', 'LPMOVING'), order('8000000000000002', 'shipped', 'LPOTHER')]), capturedAt: backend.clock.toISOString() };
    await createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, backend.fetch).sync({ idempotencyKey: 'earlier-read', snapshots: [earlier] });
    backend.clock = T0;
    contract.setParcel('LPMOVING', 'delivered');
    contract.setParcel('LPOTHER', 'external');
    contract.requests.length = 0;
  }

  it('refreshes the known numbers in one request, and reads only the pages of an order without a number and of the number Cainiao cannot serve', async () => {
    await knownParcels();
    const log: string[] = [];
    const tab = fakeTab(
      cache,
      [page('order_list', LIST, [order('8000000000000001', 'shipped'), order('8000000000000002', 'shipped'), order('8000000000000003', 'shipped')])],
      { '8000000000000002': tracking('8000000000000002', 'LPOTHER'), '8000000000000003': tracking('8000000000000003', 'LPNEW') },
      log,
    );
    const run = await runManualSync(withCainiao(tab));
    expect(run).toMatchObject({ status: 'done', watched: 3, ordersSeen: 3, pagesLoaded: 3, cainiaoRequests: 1, newTrackingNumbers: 1 });
    expect(contract.requests.map((u) => new URL(u).searchParams.get('mailNos'))).toEqual(['LPMOVING,LPOTHER']);
    // In the watchlist's order: the order never read first.
    expect(log).toEqual([LIST, expect.stringContaining('tradeOrderId=8000000000000003'), expect.stringContaining('tradeOrderId=8000000000000002'), 'closed']);
    const { rows } = await db.query<{ tracking_number: string; tracking_status: string }>(
      'select tracking_number, tracking_status from packages p join ali_orders a on a.id = p.ali_order_pk where a.merchant_id = $1 order by tracking_number',
      [backend.merchantId],
    );
    expect(rows.map((r) => [r.tracking_number, r.tracking_status])).toEqual([
      ['LPMOVING', 'delivered'],
      ['LPNEW', 'in_transit'],
      ['LPOTHER', 'in_transit'],
    ]);
  });

  it('reads the tracking pages instead when Cainiao shows its slider check, so the run loses nothing', async () => {
    await knownParcels();
    contract.refuseNext('slider_check');
    const log: string[] = [];
    const tab = fakeTab(
      cache,
      [page('order_list', LIST, [order('8000000000000003', 'awaiting_shipment')])],
      { '8000000000000001': tracking('8000000000000001', 'LPMOVING'), '8000000000000002': tracking('8000000000000002', 'LPOTHER') },
      log,
    );
    const run = await runManualSync(withCainiao(tab));
    expect(run).toMatchObject({ status: 'done', pagesLoaded: 3, cainiaoRequests: 1 });
    expect(log.filter((l) => l.includes('tradeOrderId'))).toHaveLength(2);
  });
});
