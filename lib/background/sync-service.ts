/**
 * The service worker's sync duties, built from the pure engine, the cache and the settings.
 * (lib/background/ is the one part of lib/ that talks to browser APIs; tests use WXT's fakeBrowser.)
 */
import { openCache, type CacheDb } from '../cache/db';
import type { Snapshot } from '../domain/snapshot';
import { settingsItem } from '../settings';
import { createBackendClient } from '../sync/backend-client';
import { recordSnapshot, runSync } from '../sync/engine';

export interface SyncService {
  capture(snapshot: Snapshot): Promise<void>;
  syncNow(): Promise<void>;
}

export function createSyncService(cache: CacheDb = openCache(), fetchImpl: typeof fetch = (...args) => fetch(...args)): SyncService {
  // One pass at a time in this worker; a request during a pass runs once after it.
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;

  const syncOnce = async () => {
    const settings = await settingsItem.getValue();
    const client = settings.backendUrl && settings.apiToken ? createBackendClient(settings, fetchImpl) : undefined;
    await runSync({ cache, client, now: () => new Date(), newKey: () => crypto.randomUUID() });
  };

  const syncNow = (): Promise<void> => {
    queued ??= running.then(() => {
      queued = undefined;
      running = syncOnce();
      return running;
    });
    return queued;
  };

  return {
    async capture(snapshot) {
      await recordSnapshot(cache, snapshot, () => crypto.randomUUID());
      // Pushed at once; the 10-minute alarm retries whatever this pass could not deliver.
      void syncNow().catch(() => undefined);
    },
    syncNow,
  };
}
