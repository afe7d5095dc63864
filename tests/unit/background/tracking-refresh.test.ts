/**
 * The worker's 10-minute alarm with Cainiao: it refreshes the parcels in flight before its push
 * and pull, so one alarm brings a carrier's news into the backend's view; off when the merchant
 * turned automatic sync off.
 */
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createSyncService } from '../../../lib/background/sync-service';
import type { CacheDb } from '../../../lib/cache/db';
import { DEFAULT_SETTINGS, settingsItem } from '../../../lib/settings';
import { cainiaoContract, type CainiaoContract } from '../../../scripts/lib/sandbox/cainiao';
import { backendAndCachePerTest, type TestBackend } from '../sync/harness';

const ALI_ORDER = '8214398062177351';
const NUMBER = 'LP062177351BR';

let backend: TestBackend;
let cache: CacheDb;
let cainiao: CainiaoContract;

backendAndCachePerTest('alarm', (newBackend, newCache) => {
  fakeBrowser.reset();
  backend = newBackend;
  cache = newCache;
  cainiao = cainiaoContract({ parcels: new Map([[NUMBER, 'delivered']]) });
});

/** The backend for its URL, Cainiao's contract server for Cainiao's. */
const fetchBoth: typeof fetch = async (input, init) => {
  const out = cainiao.answer(new URL(String(input)));
  if (out) return new Response(out.body, { status: out.status, headers: { 'content-type': out.contentType } });
  return backend.fetch(input, init);
};

async function parcelInTransit(autoSync: boolean) {
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, autoSync, backendUrl: 'http://backend.test', apiToken: backend.token });
  await backend.place('#1001', [ALI_ORDER]);
  const service = createSyncService({ cache, fetchImpl: fetchBoth });
  const capturedAt = new Date(Date.now() - 3_600_000).toISOString();
  await service.capture(
    {
      kind: 'tracking',
      url: `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=${ALI_ORDER}`,
      capturedAt,
      orders: [{ aliOrderId: ALI_ORDER, status: 'shipped', packages: [{ trackingNumber: NUMBER, trackingStatus: 'in_transit', events: [{ at: capturedAt, text: 'Departed from sorting center' }] }] }],
      warnings: [],
    },
  );
  await service.syncNow('merchant');
  return service;
}

const cachedStatus = async () => (await cache.storeOrders.toArray())[0]?.aliOrders[0]?.packages[0]?.trackingStatus;

describe('the 10-minute alarm', () => {
  it('refreshes the parcels in flight through Cainiao, then pushes and pulls: the popup shows the news after one alarm', async () => {
    const service = await parcelInTransit(true);
    expect(await cachedStatus()).toBe('in_transit');
    await service.autoSync();
    expect(cainiao.requests).toHaveLength(1);
    expect(await cachedStatus()).toBe('delivered');
  });

  it('asks Cainiao nothing when the merchant turned automatic sync off', async () => {
    const service = await parcelInTransit(false);
    await service.autoSync();
    expect(cainiao.requests).toEqual([]);
    expect(await cachedStatus()).toBe('in_transit');
  });
});
