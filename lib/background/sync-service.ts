/**
 * The service worker's sync duties, built from the pure engine, the cache and the settings.
 * (lib/background/ is the one part of lib/ that talks to browser APIs; tests use WXT's fakeBrowser.)
 */
import { browser } from 'wxt/browser';
import { openCache, type CacheDb } from '../cache/db';
import type { Snapshot } from '../domain/snapshot';
import { settingsItem } from '../settings';
import { PULL_AFTER_API_SYNC_MINUTES, runApiSync, type ApiSyncResult } from '../sync/api-sync';
import { createBackendClient, type BackendClient } from '../sync/backend-client';
import { recordSnapshot, runSync, type SyncTrigger } from '../sync/engine';
import { cancelManualSync, interruptStaleRuns, runManualSync, type ManualRunRecord, type SyncTab } from '../sync/manual-sync';
import { refreshStoreOrder } from '../sync/order-refresh';
import type { OrderRefreshRecord } from '../cache/db';
import { isServable } from '../cainiao/refresh-plan';
import { schedulePull } from './alarms';
import { deliverTabSnapshot, failTabWait, isSyncTab, openSyncTab, setupSyncTabs } from './sync-tab';
import { createTrackingRefresh, type TrackingRefresh } from './tracking-refresh';

export interface SyncService {
  /**
   * Keeps what a page showed and pushes it at once. From a manual sync's own tab (`fromTab`), the
   * run waiting on that tab gets the page once it is kept (or why it could not be), and pushes by itself.
   */
  capture(snapshot: Snapshot, options?: { fromTab?: number; sample?: string }): Promise<void>;
  /** Push the queue and pull the backend's view; the trigger decides which waits apply. */
  syncNow(trigger?: SyncTrigger): Promise<void>;
  /**
   * The 10-minute alarm, unless the merchant turned automatic sync off: Cainiao refreshes the
   * parcels in flight that are due (no page load, no quota), then the queue is pushed and the
   * backend's view pulled, so a parcel turned abnormal shows on the badge without a tab.
   */
  autoSync(): Promise<void>;
  /** One store order brought up to date now (its row's refresh button), without the quota. */
  refreshOrder(storeOrderId: string): Promise<OrderRefreshRecord>;
  /** The Sync button. Resolves once the run has started (or was refused); it goes on by itself. */
  startManualSync(): Promise<ManualRunRecord>;
  cancelManualSync(): Promise<boolean>;
  /** "Sync through the AliExpress API": the backend reads the watched orders; then the backend's view is pulled. */
  startApiSync(): Promise<ApiSyncResult>;
  /** At worker start: runs a dead worker left behind are reported as interrupted, their tabs closed. */
  recover(): Promise<void>;
}

const ignore = (): void => undefined;

export interface SyncServiceOptions {
  cache?: CacheDb;
  fetchImpl?: typeof fetch;
  openTab?: () => SyncTab;
  trackingRefresh?: TrackingRefresh;
  /** How long a backend call may wait for its answer (tests shorten it). */
  backendTimeoutMs?: number;
}

export function createSyncService({
  cache = openCache(),
  fetchImpl = (...args) => fetch(...args),
  openTab = () => openSyncTab(),
  trackingRefresh = createTrackingRefresh({ cache, fetchImpl }),
  backendTimeoutMs,
}: SyncServiceOptions = {}): SyncService {
  // One pass at a time in this worker; a request during a pass runs once after it.
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  const client = async (): Promise<BackendClient | undefined> => {
    const settings = await settingsItem.getValue();
    return settings.backendUrl && settings.apiToken ? createBackendClient(settings, fetchImpl, backendTimeoutMs) : undefined;
  };

  // A queued pass runs with the most insistent trigger that asked for it.
  const RANK: Record<SyncTrigger, number> = { capture: 0, alarm: 1, merchant: 2 };
  let queuedTrigger: SyncTrigger = 'capture';
  const syncOnce = async (trigger: SyncTrigger) => {
    await runSync({ cache, client: await client(), now: () => new Date(), newKey: () => crypto.randomUUID(), trigger });
  };

  const syncNow = (trigger: SyncTrigger = 'merchant'): Promise<void> => {
    if (!queued || RANK[trigger] > RANK[queuedTrigger]) queuedTrigger = trigger;
    // After the running pass, however it ended: a failed pass must not leave every later request
    // holding its rejection (runSync records the failure where the popup shows it).
    queued ??= running.then(ignore, ignore).then(() => {
      queued = undefined;
      running = syncOnce(queuedTrigger);
      queuedTrigger = 'capture';
      return running;
    });
    return queued;
  };

  return {
    async capture(snapshot, { fromTab, sample } = {}) {
      const syncTab = fromTab !== undefined && isSyncTab(fromTab) ? fromTab : undefined;
      try {
        await recordSnapshot(cache, snapshot, () => crypto.randomUUID(), sample);
      } catch (error) {
        // The run waiting on this tab says why at once, instead of timing out on a page it got.
        if (syncTab !== undefined) failTabWait(syncTab, error);
        throw error;
      }
      if (syncTab !== undefined) deliverTabSnapshot(syncTab, snapshot);
      // Pushed at once; the 10-minute alarm retries whatever this pass could not deliver.
      else void syncNow('capture').catch(() => undefined);
    },
    syncNow,
    async autoSync() {
      if (!(await settingsItem.getValue()).autoSync) return;
      // A refresh that fails still leaves the push and pull to do.
      await trackingRefresh.due().catch((error) => console.error('tracking refresh', error));
      await syncNow('alarm');
    },
    refreshOrder: (storeOrderId) =>
      refreshStoreOrder({ cache, refreshTracking: trackingRefresh.numbers, openTab, sync: () => syncNow('merchant'), now: () => new Date() }, storeOrderId),
    async startManualSync() {
      const settings = await settingsItem.getValue();
      const refresh = await trackingRefresh.state();
      const now = new Date();
      const unserved = Object.keys(refresh.numbers).filter((n) => !isServable(refresh, n, now));
      let started: (run: ManualRunRecord) => void = ignore;
      const firstRecord = new Promise<ManualRunRecord>((resolve) => (started = resolve));
      const done = runManualSync({
        cache,
        client: await client(),
        openTab,
        now: () => new Date(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        pauseMs: settings.pauseBetweenPagesMs,
        newId: () => crypto.randomUUID(),
        onStarted: (run) => started(run),
        refreshTracking: trackingRefresh.numbers,
        cainiao: { unserved, batchSize: refresh.batchSize },
      });
      // The run ends with the backend's view pulled, so the popup shows what it changed.
      void done.then(() => syncNow('merchant')).catch(() => undefined);
      return Promise.race([firstRecord, done]);
    },
    cancelManualSync: () => cancelManualSync(cache, new Date()),
    async startApiSync() {
      const result = await runApiSync({ cache, client: await client(), now: () => new Date() });
      // The backend changed the orders, not this worker: pull its view so the popup shows them.
      if (result.ok) void syncNow('merchant').catch(() => undefined);
      // Still at it there: an alarm pulls later (this worker may be gone by then).
      else if (result.stillRunning) await schedulePull(PULL_AFTER_API_SYNC_MINUTES);
      return result;
    },
    async recover() {
      for (const tabId of await interruptStaleRuns(cache, new Date())) await browser.tabs.remove(tabId).catch(() => undefined);
    },
  };
}

/**
 * The worker's sync: the service, its tab listener, and the recovery of runs a dead worker left
 * behind. Must run synchronously at the worker's top level (the tab listener is registered at once).
 */
export function setupSync(cache: CacheDb): SyncService {
  setupSyncTabs();
  const service = createSyncService({ cache });
  void service.recover();
  return service;
}
