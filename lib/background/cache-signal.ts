/**
 * Tells the extension pages which cache stores changed, so the popup and the options page (which
 * read the cache without Dexie, lib/cache/reader.ts) read them again. Dexie reports every
 * committed write of this context, and those other contexts make through Dexie. Changes are
 * gathered for SIGNAL_DELAY_MS and sent as one message: a pull of 10,000 orders in several
 * transactions costs an open popup one re-read, not one per transaction.
 */
import { Dexie, type ObservabilitySet } from 'dexie';
import type { CacheDb } from '../cache/db';
import { CACHE_STORES, isCacheStore, type CacheStore } from '../cache/layout';
import { CACHE_CHANNEL, type CacheChanged } from '../cache/broadcast';

export const SIGNAL_DELAY_MS = 150;

export interface CacheSignalOptions {
  channel?: Pick<BroadcastChannel, 'postMessage' | 'close'>;
  delayMs?: number;
}

/** The stores of database `name` that a Dexie change set touches. */
export function changedStores(parts: ObservabilitySet, name: string): Set<CacheStore> {
  const prefix = `idb://${name}/`;
  const stores = new Set<CacheStore>();
  for (const part of Object.keys(parts)) {
    // Dexie's "everything may have changed" (a page restored from the back-forward cache).
    if (part === 'all') return new Set(Object.keys(CACHE_STORES) as CacheStore[]);
    if (!part.startsWith(prefix)) continue;
    const store = part.slice(prefix.length).split('/')[0]!;
    if (isCacheStore(store)) stores.add(store);
  }
  return stores;
}

/** Starts broadcasting the cache's changes; returns the stop. */
export function setupCacheSignal(cache: CacheDb, { channel = new BroadcastChannel(CACHE_CHANNEL), delayMs = SIGNAL_DELAY_MS }: CacheSignalOptions = {}): () => void {
  let pending = new Set<CacheStore>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    const message: CacheChanged = { type: 'cache-changed', stores: [...pending] };
    pending = new Set();
    // oxlint-disable-next-line unicorn/require-post-message-target-origin -- a BroadcastChannel reaches its own origin only
    channel.postMessage(message);
  };

  const onMutated = (parts: ObservabilitySet) => {
    for (const store of changedStores(parts, cache.name)) pending.add(store);
    if (pending.size > 0 && timer === undefined) timer = setTimeout(flush, delayMs);
  };

  Dexie.on('storagemutated', onMutated);
  return () => {
    Dexie.on.storagemutated.unsubscribe(onMutated);
    if (timer !== undefined) clearTimeout(timer);
    channel.close();
  };
}
