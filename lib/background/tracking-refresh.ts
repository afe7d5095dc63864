/**
 * The worker's Cainiao refresh: the browser-free runs of lib/sync/tracking-refresh.ts bound to the
 * real fetch, clock and timers, one at a time (each reads and writes the refresh's state in
 * IndexedDB, so two at once would lose one's answers' bookkeeping).
 */
import type { CacheDb } from '../cache/db';
import type { TrackingRefreshState } from '../cainiao/refresh-plan';
import { readRefreshState, refreshDueTracking, refreshNumbers, type RefreshSummary, type TrackingRefreshDeps } from '../sync/tracking-refresh';

export interface TrackingRefresh {
  /** Every parcel in flight that is due (the 10-minute alarm). */
  due(): Promise<RefreshSummary>;
  /** These numbers now (the Sync button's plan, one order's refresh). */
  numbers(parcels: ReadonlyMap<string, readonly string[]>, numbers: readonly string[]): Promise<RefreshSummary>;
  state(): Promise<TrackingRefreshState>;
}

export function createTrackingRefresh({ cache, fetchImpl = (...args) => fetch(...args) }: { cache: CacheDb; fetchImpl?: typeof fetch }): TrackingRefresh {
  const deps = (): TrackingRefreshDeps => ({
    cache,
    fetchImpl,
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    newKey: () => crypto.randomUUID(),
  });
  let chain: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(run: () => Promise<T>): Promise<T> => {
    const next = chain.then(run, run);
    chain = next.catch(() => undefined);
    return next;
  };
  return {
    due: () => oneAtATime(() => refreshDueTracking(deps())),
    numbers: (parcels, numbers) => oneAtATime(() => refreshNumbers(deps(), parcels, numbers)),
    state: () => readRefreshState(cache),
  };
}
