/**
 * The batched refresh against the Cainiao contract server (scripts/lib/sandbox/cainiao.ts) and the
 * real backend app: what Cainiao answers lands in the cache and the outbox and is folded by the
 * backend like a tracking page's read; a refusal backs off (kept in IndexedDB) and loses nothing.
 */
import { describe, expect, it } from 'vitest';
import { openCache, readMeta, type CacheDb } from '../../../lib/cache/db';
import { CAINIAO_BATCH_SIZE } from '../../../lib/cainiao/url';
import { CAINIAO_PAUSE_MS, SLIDER_RETRY_BASE_MS } from '../../../lib/cainiao/refresh-plan';
import type { OrdersResponse } from '../../../lib/domain/api';
import type { Snapshot } from '../../../lib/domain/snapshot';
import { createBackendClient } from '../../../lib/sync/backend-client';
import { recordSnapshot, runSync } from '../../../lib/sync/engine';
import { refreshDueTracking, type TrackingRefreshDeps } from '../../../lib/sync/tracking-refresh';
import { cainiaoContract, type CainiaoContract } from '../../../scripts/lib/sandbox/cainiao';
import { backendAndCachePerTest, type TestBackend } from './harness';

const T0 = new Date('2026-11-22T10:00:00Z');
const MINUTE = 60_000;

let cacheName: string;
let cache: CacheDb;
let backend: TestBackend;
let cainiao: CainiaoContract;
let clock: Date;
let pauses: number[];
backendAndCachePerTest('refresh', (newBackend, newCache) => {
  cache = newCache;
  cacheName = newCache.name;
  backend = newBackend;
  clock = T0;
  backend.clock = T0;
  cainiao = cainiaoContract({ parcels: new Map(), now: () => clock.getTime() });
  pauses = [];
});

const cainiaoFetch: typeof fetch = async (input) => {
  const out = cainiao.answer(new URL(String(input)));
  if (!out) throw new TypeError('Failed to fetch');
  return new Response(out.body, { status: out.status, headers: { 'content-type': out.contentType, ...out.headers } });
};
const deps = (): TrackingRefreshDeps => ({
  cache,
  fetchImpl: cainiaoFetch,
  now: () => clock,
  sleep: async (ms) => void pauses.push(ms),
  newKey: () => crypto.randomUUID(),
  random: () => 0.5,
});
const client = () => createBackendClient({ backendUrl: 'http://backend.test', apiToken: backend.token }, backend.fetch);
const sync = () => runSync({ cache, client: client(), now: () => clock, newKey: () => crypto.randomUUID(), trigger: 'merchant' });

/** Store orders placed on the backend, each with one parcel in transit read from its tracking page. */
async function parcelsInTransit(count: number): Promise<{ aliOrderId: string; trackingNumber: string }[]> {
  const parcels = Array.from({ length: count }, (_, i) => ({ aliOrderId: String(8_000_000_000_000_100 + i), trackingNumber: `LP${String(i).padStart(11, '0')}` }));
  for (const [i, p] of parcels.entries()) await backend.place(`#${100 + i}`, [p.aliOrderId]);
  const page: Snapshot = {
    kind: 'tracking',
    url: 'https://www.aliexpress.com/p/tracking/index.html',
    capturedAt: T0.toISOString(),
    orders: parcels.map((p) => ({ aliOrderId: p.aliOrderId, status: 'shipped', packages: [{ trackingNumber: p.trackingNumber, carrier: 'J&T Express', trackingStatus: 'in_transit', events: [{ at: T0.toISOString(), text: 'Departed from sorting center' }] }] })),
    warnings: [],
  };
  await recordSnapshot(cache, page, () => crypto.randomUUID());
  await sync();
  return parcels;
}

const packageOf = async (aliOrderId: string) => {
  const { orders } = (await (await backend.fetch(`http://backend.test/v1/orders?q=${aliOrderId}`, { headers: { authorization: `Bearer ${backend.token}` } })).json()) as OrdersResponse;
  return orders[0]!.aliOrders[0]!.packages[0];
};

describe('the automatic refresh', () => {
  it('brings a parcel that was delivered into the cache and, pushed, into the backend, without a page load', async () => {
    const [parcel] = await parcelsInTransit(1);
    cainiao.setParcel(parcel!.trackingNumber, 'delivered');
    clock = new Date(T0.getTime() + 40 * MINUTE);

    const summary = await refreshDueTracking(deps());
    expect(summary).toMatchObject({ requests: 1, refreshed: [parcel!.trackingNumber], unserved: [], left: [] });
    const cached = await cache.aliOrders.get(parcel!.aliOrderId);
    // Merged into what the tracking page showed: Cainiao names no carrier, the page's stays.
    expect(cached?.order.packages[0]).toMatchObject({ trackingNumber: parcel!.trackingNumber, carrier: 'J&T Express', trackingStatus: 'delivered' });
    expect(await cache.outbox.count()).toBe(1);

    await sync();
    expect(await cache.outbox.count()).toBe(0);
    expect(await packageOf(parcel!.aliOrderId)).toMatchObject({ trackingStatus: 'delivered', carrier: 'J&T Express' });
  });

  it('asks for 65 parcels in 3 requests, one at a time with a pause between, and not again for half an hour', async () => {
    const parcels = await parcelsInTransit(65);
    for (const p of parcels) cainiao.setParcel(p.trackingNumber, 'in_transit');
    clock = new Date(T0.getTime() + 40 * MINUTE);
    const summary = await refreshDueTracking(deps());
    expect(summary.requests).toBe(3);
    expect(summary.refreshed).toHaveLength(65);
    expect(cainiao.requests.map((u) => new URL(u).searchParams.get('mailNos')!.split(',').length)).toEqual([CAINIAO_BATCH_SIZE, CAINIAO_BATCH_SIZE, 5]);
    expect(pauses).toEqual([CAINIAO_PAUSE_MS, CAINIAO_PAUSE_MS]);

    clock = new Date(clock.getTime() + 10 * MINUTE);
    expect((await refreshDueTracking(deps())).requests).toBe(0);
    clock = new Date(clock.getTime() + 25 * MINUTE);
    expect((await refreshDueTracking(deps())).requests).toBe(3);
  });

  it('leaves a number Cainiao does not track itself (EXTERNAL) to its tracking page and stops asking about it', async () => {
    const [tracked, external] = await parcelsInTransit(2);
    cainiao.setParcel(tracked!.trackingNumber, 'in_transit');
    cainiao.setParcel(external!.trackingNumber, 'external');
    clock = new Date(T0.getTime() + 40 * MINUTE);
    expect(await refreshDueTracking(deps())).toMatchObject({ requests: 1, refreshed: [tracked!.trackingNumber], unserved: [external!.trackingNumber] });
    // The other carrier's parcel keeps what its tracking page showed.
    expect((await cache.aliOrders.get(external!.aliOrderId))?.order.packages[0]).toMatchObject({ trackingStatus: 'in_transit', carrier: 'J&T Express' });

    clock = new Date(clock.getTime() + 40 * MINUTE);
    await refreshDueTracking(deps());
    expect(new URL(cainiao.requests.at(-1)!).searchParams.get('mailNos')).toBe(tracked!.trackingNumber);
  });

  it.each(['slider_check', 'http_error'] as const)('after a %s, backs off (the state kept in IndexedDB), loses nothing, and refreshes once the wait is over', async (refusal) => {
    const [parcel] = await parcelsInTransit(1);
    cainiao.setParcel(parcel!.trackingNumber, 'delivered');
    cainiao.refuseNext(refusal);
    clock = new Date(T0.getTime() + 40 * MINUTE);
    const before = await cache.aliOrders.get(parcel!.aliOrderId);

    const refused = await refreshDueTracking(deps());
    expect(refused).toMatchObject({ requests: 1, refreshed: [], left: [parcel!.trackingNumber] });
    expect(refused.refusal?.message).toMatch(refusal === 'slider_check' ? /slider check/ : /HTTP 503/);
    expect(await cache.aliOrders.get(parcel!.aliOrderId)).toEqual(before);
    expect(await cache.outbox.count()).toBe(0);

    // A worker that Chrome stopped and started again reads the backoff from IndexedDB.
    cache.close();
    cache = openCache(cacheName);
    const state = await readMeta(cache, 'trackingRefresh');
    expect(state).toMatchObject({ failures: 1, lastError: refused.refusal!.message });
    clock = new Date(clock.getTime() + 60_000);
    expect(await refreshDueTracking(deps())).toMatchObject({ requests: 0, left: [parcel!.trackingNumber] });
    expect(cainiao.requests).toHaveLength(1);

    clock = new Date(clock.getTime() + SLIDER_RETRY_BASE_MS);
    expect(await refreshDueTracking(deps())).toMatchObject({ requests: 1, refreshed: [parcel!.trackingNumber] });
    expect((await cache.aliOrders.get(parcel!.aliOrderId))?.order.packages[0]?.trackingStatus).toBe('delivered');
    expect((await readMeta(cache, 'trackingRefresh'))?.failures).toBe(0);
  });

  it('is not reachable: counted as a refusal, nothing lost', async () => {
    const [parcel] = await parcelsInTransit(1);
    clock = new Date(T0.getTime() + 40 * MINUTE);
    const offline = await refreshDueTracking({ ...deps(), fetchImpl: async () => Promise.reject(new TypeError('Failed to fetch')) });
    expect(offline).toMatchObject({ requests: 1, refreshed: [], left: [parcel!.trackingNumber] });
    expect(offline.refusal?.message).toBe('Cainiao could not be reached: Failed to fetch');
  });
});
