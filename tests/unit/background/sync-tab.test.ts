import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createSyncService } from '../../../lib/background/sync-service';
import { openCache, readMeta, type CacheDb } from '../../../lib/cache/db';
import { openSyncTab, setupSyncTabs } from '../../../lib/background/sync-tab';
import type { Snapshot } from '../../../lib/domain/snapshot';

const LIST_URL = 'https://www.aliexpress.com/p/order/index.html';
const order = (aliOrderId: string) => ({ aliOrderId, status: 'shipped' as const, packages: [] });
const listPage: Snapshot = { kind: 'order_list', url: LIST_URL, capturedAt: '2026-12-01T09:00:00.000Z', orders: [], warnings: [] };

/** The worker's sync service on a cache of its own; it hands what a sync tab's page showed to the run waiting on it. */
const service = (cache: CacheDb) => createSyncService({ cache, fetchImpl: async () => Promise.reject(new TypeError('offline')) });

/** Loads the list in a new sync tab and returns the pending answer with the tab's id. */
async function loadList(tab: ReturnType<typeof openSyncTab>) {
  const answer = tab.load(LIST_URL);
  await vi.waitFor(async () => expect((await fakeBrowser.tabs.query({})).some((t) => t.url === LIST_URL)).toBe(true));
  return { answer, tabId: tab.id()! };
}

describe('the sync tab', () => {
  beforeEach(() => {
    fakeBrowser.reset();
    setupSyncTabs();
  });

  it('answers a load with the snapshot its page sent, once it is kept', async () => {
    const cache = openCache(`tab-${Math.random()}`);
    const tab = openSyncTab(60_000);
    const { answer, tabId } = await loadList(tab);
    await service(cache).capture(listPage, { fromTab: tabId });
    expect(await answer).toEqual(listPage);
    expect(await readMeta(cache, 'lastGoodReadAt')).toBe(listPage.capturedAt);
    await cache.delete();
  });

  it('ends the wait at once with the reason when the page was read but could not be kept, and still closes its tab', async () => {
    const tab = openSyncTab(60_000);
    const { answer, tabId } = await loadList(tab);
    const cache = openCache(`tab-${Math.random()}`);
    vi.spyOn(cache, 'transaction').mockRejectedValue(new Error('QuotaExceededError'));
    await expect(service(cache).capture(listPage, { fromTab: tabId })).rejects.toThrow('QuotaExceededError');
    await expect(answer).rejects.toThrow(/could not be kept in the extension's cache: QuotaExceededError/);
    const remove = vi.spyOn(fakeBrowser.tabs, 'remove');
    await tab.close();
    expect(remove).toHaveBeenCalledWith(tabId);
  });

  it('ends the wait when the merchant closes the tab, and does not open it again', async () => {
    const tab = openSyncTab(60_000);
    const { answer, tabId } = await loadList(tab);
    // As the browser tells it (the fake's own tabs.remove cannot find the tab's window).
    await fakeBrowser.tabs.onRemoved.trigger(tabId, { isWindowClosing: false, windowId: 1 });
    await expect(answer).rejects.toThrow(/closed before its page was read/);
    await expect(tab.load(LIST_URL)).rejects.toThrow(/closed/);
  });

  it('counts a tab click that brings no list naming the tab in time as a tab not found, so the run reads the all-tab', async () => {
    const cache = openCache(`tab-${Math.random()}`);
    const tab = openSyncTab(1000);
    const { answer, tabId } = await loadList(tab);
    await service(cache).capture(listPage, { fromTab: tabId });
    await answer;
    // The page's content script clicked the tab, but no answer naming it ever came.
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ clicked: true } as never);
    expect(await tab.showTab('Processing', 'processing')).toBeUndefined();
    await cache.delete();
  });

  it('does not take a late second read of the page it showed for the page "View orders" brings', async () => {
    const cache = openCache(`tab-${Math.random()}`);
    const tab = openSyncTab(60_000);
    const page1: Snapshot = { ...listPage, orders: [order('8214398062177351')] };
    const page2: Snapshot = { ...listPage, capturedAt: '2026-12-01T09:00:05.000Z', orders: [order('8209871234560011')] };
    const { answer, tabId } = await loadList(tab);
    await service(cache).capture(page1, { fromTab: tabId });
    await answer;
    vi.spyOn(fakeBrowser.tabs, 'sendMessage').mockResolvedValue({ clicked: true } as never);
    const next = tab.loadMore();
    await vi.waitFor(() => expect(fakeBrowser.tabs.sendMessage).toHaveBeenCalled());
    // The first page read again from its DOM, after its own data was read and taken.
    await service(cache).capture({ ...page1, capturedAt: '2026-12-01T09:00:02.000Z' }, { fromTab: tabId });
    await service(cache).capture(page2, { fromTab: tabId });
    expect(await next).toEqual(page2);
    await cache.delete();
  });
});
