/**
 * Refreshing one order from the popup: Cainiao for its known numbers, a page only where Cainiao
 * cannot help, pushed to the real backend app, and no manual-sync quota spent.
 */
import { describe, expect, it } from 'vitest';
import { readMeta, type CacheDb } from '../../../lib/cache/db';
import type { Snapshot } from '../../../lib/domain/snapshot';
import { createBackendClient } from '../../../lib/sync/backend-client';
import { recordSnapshot, runSync } from '../../../lib/sync/engine';
import type { SyncTab } from '../../../lib/sync/manual-sync';
import { refreshStoreOrder, type OrderRefreshDeps } from '../../../lib/sync/order-refresh';
import { refreshNumbers } from '../../../lib/sync/tracking-refresh';
import { cainiaoContract, type CainiaoContract } from '../../../scripts/lib/sandbox/cainiao';
import { backendAndCachePerTest, type TestBackend } from './harness';

const T0 = new Date('2026-11-22T10:00:00Z');

let cache: CacheDb;
let backend: TestBackend;
let cainiao: CainiaoContract;
let loads: string[];
backendAndCachePerTest('order-refresh', (newBackend, newCache) => {
  cache = newCache;
  backend = newBackend;
  backend.clock = T0;
  cainiao = cainiaoContract({ parcels: new Map(), now: () => T0.getTime() });
  loads = [];
});

const client = () => createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, backend.fetch);
const sync = () => runSync({ cache, client: client(), now: () => T0, newKey: () => crypto.randomUUID(), trigger: 'merchant' });
const read = (kind: Snapshot['kind'], url: string, orders: Snapshot['orders']): Snapshot => ({ kind, url, capturedAt: T0.toISOString(), orders, warnings: [] });
const parcel = (trackingNumber: string) => ({ trackingNumber, carrier: 'J&T Express', trackingStatus: 'in_transit' as const, events: [] });

/** A tab that, like the worker, keeps what each page shows before answering. */
function tab(pages: Record<string, Snapshot>): SyncTab {
  return {
    id: () => 7,
    async load(url) {
      loads.push(url);
      const id = new URL(url).searchParams.get('tradeOrderId') ?? new URL(url).searchParams.get('orderId')!;
      const snapshot = pages[id] ?? read('unknown', url, []);
      await recordSnapshot(cache, snapshot, () => crypto.randomUUID());
      return snapshot;
    },
    loadMore: async () => undefined,
    showTab: async () => undefined,
    close: async () => undefined,
  };
}

const deps = (pages: Record<string, Snapshot> = {}): OrderRefreshDeps => ({
  cache,
  refreshTracking: (parcels, numbers) =>
    refreshNumbers(
      {
        cache,
        fetchImpl: async (input) => {
          const out = cainiao.answer(new URL(String(input)))!;
          return new Response(out.body, { status: out.status, headers: { 'content-type': out.contentType } });
        },
        now: () => T0,
        sleep: async () => undefined,
        newKey: () => crypto.randomUUID(),
      },
      parcels,
      numbers,
    ),
  openTab: () => tab(pages),
  sync,
  now: () => T0,
});

/** #1: one supplier's parcel known, the other shipped without a number yet; #2 fulfilled by hand. */
async function placeOrders() {
  const first = await backend.place('#1', ['8000000000000001', '8000000000000002']);
  const locked = await backend.place('#2', ['8000000000000003']);
  await recordSnapshot(
    cache,
    read('tracking', 'https://www.aliexpress.com/p/tracking/index.html', [
      { aliOrderId: '8000000000000001', status: 'shipped', packages: [parcel('LPKNOWN')] },
      { aliOrderId: '8000000000000002', status: 'shipped', packages: [] },
      { aliOrderId: '8000000000000003', status: 'shipped', packages: [parcel('LPLOCKED')] },
    ]),
    () => crypto.randomUUID(),
  );
  await backend.fetch(`http://backend.test/v1/store-orders/${locked}/fulfill-manually`, { method: 'POST', headers: { authorization: `Bearer ${backend.token}`, 'content-type': 'application/json' }, body: '{}' });
  await sync();
  return { first, locked };
}

const quota = async () => (await client().quota()).remaining;

describe('refreshing one order', () => {
  it("opens the pages on the merchant's own AliExpress site: the one their latest page was read on", async () => {
    const { first } = await placeOrders();
    cainiao.setParcel('LPKNOWN', 'delivered');
    await recordSnapshot(cache, { ...read('order_list', 'https://www.aliexpress.us/p/order/index.html', []), capturedAt: new Date(T0.getTime() + 60_000).toISOString() }, () => crypto.randomUUID());
    await refreshStoreOrder(deps(), first);
    expect(loads).toEqual(['https://www.aliexpress.us/p/tracking/index.html?_addShare=no&_login=yes&tradeOrderId=8000000000000002']);
  });

  it('asks Cainiao about its known number, opens the tracking page of the parcel without one, and spends no manual sync', async () => {
    const { first } = await placeOrders();
    cainiao.setParcel('LPKNOWN', 'delivered');
    const before = await quota();
    const calls = backend.calls.length;

    const record = await refreshStoreOrder(
      deps({ '8000000000000002': read('tracking', 'https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=8000000000000002', [{ aliOrderId: '8000000000000002', status: 'unknown', packages: [parcel('LPNEW')] }]) }),
      first,
    );
    expect(record).toMatchObject({ status: 'done', cainiaoRequests: 1, pagesLoaded: 1 });
    expect(cainiao.requests.map((u) => new URL(u).searchParams.get('mailNos'))).toEqual(['LPKNOWN']);
    expect(loads).toEqual([expect.stringContaining('tradeOrderId=8000000000000002')]);
    expect(await readMeta(cache, 'orderRefresh')).toEqual(record);

    const view = await cache.storeOrders.get(first);
    expect(view?.aliOrders.flatMap((a) => a.packages.map((p) => [p.trackingNumber, p.trackingStatus]))).toEqual([
      ['LPKNOWN', 'delivered'],
      ['LPNEW', 'in_transit'],
    ]);
    expect(await quota()).toBe(before);
    expect(backend.calls.slice(calls).some((c) => c.includes('manual-sync'))).toBe(false);
  });

  it('reads the tracking page instead when Cainiao answers an HTTP error', async () => {
    const { first } = await placeOrders();
    cainiao.refuseNext('http_error');
    const record = await refreshStoreOrder(deps(), first);
    expect(record).toMatchObject({ status: 'done', cainiaoRequests: 1, pagesLoaded: 2 });
    expect(loads).toEqual([expect.stringContaining('tradeOrderId=8000000000000001'), expect.stringContaining('tradeOrderId=8000000000000002')]);
  });

  it('leaves an order fulfilled by hand alone, and says why', async () => {
    const { locked } = await placeOrders();
    const record = await refreshStoreOrder(deps(), locked);
    expect(record).toMatchObject({ status: 'failed', problem: expect.stringMatching(/fulfilled by hand/) });
    expect(cainiao.requests).toEqual([]);
    expect(loads).toEqual([]);
  });

  it('stops at a login page and says what to do', async () => {
    const { first } = await placeOrders();
    cainiao.setParcel('LPKNOWN', 'in_transit');
    const record = await refreshStoreOrder(deps({ '8000000000000002': read('login', 'https://login.aliexpress.com/', []) }), first);
    expect(record).toMatchObject({ status: 'failed', problem: expect.stringMatching(/log in/) });
  });
});
