import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PULL_ALARM } from '../../../lib/background/alarms';
import { createSyncService } from '../../../lib/background/sync-service';
import { readMeta, type CacheDb } from '../../../lib/cache/db';
import { DEFAULT_SETTINGS, settingsItem } from '../../../lib/settings';
import { recordSnapshot } from '../../../lib/sync/engine';
import { backendAndCachePerTest, type TestBackend } from '../sync/harness';

const LIST_URL = 'https://www.aliexpress.com/p/order/index.html';
const listRead = (capturedAt: string) => ({
  kind: 'order_list' as const,
  url: LIST_URL,
  capturedAt,
  orders: [{ aliOrderId: '8214398062177351', status: 'shipped' as const, packages: [] }],
  warnings: [],
});

let backend: TestBackend;
let cache: CacheDb;

backendAndCachePerTest('service', async (newBackend, newCache) => {
  fakeBrowser.reset();
  backend = newBackend;
  cache = newCache;
  await settingsItem.setValue({ ...DEFAULT_SETTINGS, backendUrl: 'http://backend.test', apiToken: backend.token });
});

/** The backend took the API sync and is still reading AliExpress when the wait for its answer ends. */
const busyWithApiSync: typeof fetch = (input, init) =>
  String(input).endsWith('/v1/aliexpress-sync')
    ? new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))
    : backend.fetch(input, init);

describe('the sync service', () => {
  it('after a pass fails with a storage error, says so in the sync status, and the next pass runs', async () => {
    const service = createSyncService({ cache, fetchImpl: backend.fetch });
    await recordSnapshot(cache, listRead('2026-12-01T10:00:00.000Z'), () => crypto.randomUUID());
    // The disk is full the moment the pass tries to drop the delivered entry.
    const full = vi.spyOn(cache.outbox, 'delete').mockRejectedValueOnce(new DOMException('The disk is full', 'QuotaExceededError'));
    await service.syncNow('merchant').catch(() => undefined);
    full.mockRestore();
    const failed = await readMeta(cache, 'syncStatus');
    expect(failed?.lastError).toMatch(/disk is full/);
    expect(await cache.outbox.count()).toBe(1);

    await service.syncNow('merchant');
    expect(await cache.outbox.count()).toBe(0);
    const status = await readMeta(cache, 'syncStatus');
    expect(status?.lastSyncAt).toBeDefined();
    expect(status?.lastError).toBeUndefined();
  });

  it('after an API sync that outlasts the wait for its answer, says it goes on and sets an alarm that pulls its result', async () => {
    const service = createSyncService({ cache, fetchImpl: busyWithApiSync, backendTimeoutMs: 50 });
    const result = await service.startApiSync();
    expect(result).toMatchObject({ ok: false, stillRunning: true, error: expect.stringContaining('asks it again in 2 minutes') });
    expect((await fakeBrowser.alarms.get(PULL_ALARM))?.scheduledTime).toBeGreaterThan(Date.now() + 60_000);
  });
});
