/**
 * Cainiao's batched refresh, run: asks global.cainiao.com about many tracking numbers per
 * request, one request at a time, and keeps what it answers exactly as a tracking page's read
 * (a `tracking` snapshot into the cache and the outbox, which the backend folds like any other).
 * No page load, no quota. Browser-free: the fetch, the clock and the pause are passed in; the
 * refresh's state (backoff, what Cainiao cannot serve) is kept in IndexedDB after every request.
 */
import { readMeta, writeMeta, type CacheDb } from '../cache/db';
import { readCainiaoAnswer, type CainiaoAnswer } from '../cainiao/detail';
import { cainiaoDetailUrl } from '../cainiao/url';
import {
  afterAnswer,
  batchesOf,
  CAINIAO_PAUSE_MS,
  dueNumbers,
  hostWaitUntil,
  inFlightParcels,
  initialRefreshState,
  isServable,
  MAX_REQUESTS_PER_PASS,
  ordersOfPackages,
  pruneState,
  type TrackingRefreshState,
} from '../cainiao/refresh-plan';
import { snapshotSchema } from '../domain/snapshot';
import { recordSnapshot } from './engine';

export interface TrackingRefreshDeps {
  cache: CacheDb;
  fetchImpl: typeof fetch;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  newKey: () => string;
  /** For the backoff's jitter; tests pin it. */
  random?: () => number;
  pauseMs?: number;
}

export interface RefreshSummary {
  /** Requests sent to Cainiao. */
  requests: number;
  /** Numbers whose events Cainiao answered (kept, queued for the backend). */
  refreshed: string[];
  /** Numbers Cainiao cannot serve: their AliExpress tracking page can. */
  unserved: string[];
  /** Numbers not asked in this pass: Cainiao is being left alone, or the pass reached its cap. */
  left: string[];
  /** Why Cainiao was not asked, or stopped being asked, and until when. */
  refusal?: { message: string; retryAt: string };
}

/** A request that takes longer than this is given up (and counted as a refusal). */
export const CAINIAO_TIMEOUT_MS = 20_000;
/** A real answer is about 4.4 KB a parcel; far more than a batch's worth is not an answer. */
const MAX_ANSWER_CHARS = 5_000_000;

export async function readRefreshState(cache: CacheDb): Promise<TrackingRefreshState> {
  return (await readMeta(cache, 'trackingRefresh')) ?? initialRefreshState();
}

async function ask(fetchImpl: typeof fetch, numbers: readonly string[]): Promise<CainiaoAnswer> {
  try {
    const response = await fetchImpl(cainiaoDetailUrl(numbers), {
      // Cainiao's tracking needs no login: nothing of the merchant's goes with the request.
      credentials: 'omit',
      cache: 'no-store',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(CAINIAO_TIMEOUT_MS),
    });
    const text = await response.text();
    if (text.length > MAX_ANSWER_CHARS) return { kind: 'refused', reason: 'not_json', status: response.status, message: `Cainiao answered ${text.length} characters, far more than a batch` };
    return readCainiaoAnswer({ status: response.status, retryAfter: response.headers.get('retry-after'), text }, numbers);
  } catch (error) {
    return { kind: 'refused', reason: 'http_error', status: 0, message: `Cainiao could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Refreshes `numbers` (number → the AliExpress orders it covers) now, in batches, stopping at the
 * first refusal or after `maxRequests`. Numbers Cainiao said lately it cannot serve are not asked
 * (they are in `unserved`), nor anything while Cainiao is being left alone after a refusal.
 */
export async function refreshNumbers(
  deps: TrackingRefreshDeps,
  parcels: ReadonlyMap<string, readonly string[]>,
  numbers: readonly string[],
  { maxRequests = Number.POSITIVE_INFINITY }: { maxRequests?: number } = {},
): Promise<RefreshSummary> {
  const { cache, now } = deps;
  let state = await readRefreshState(cache);
  const summary: RefreshSummary = { requests: 0, refreshed: [], unserved: [], left: [] };
  const askable: string[] = [];
  for (const number of new Set(numbers)) (isServable(state, number, now()) ? askable : summary.unserved).push(number);
  const waitUntil = hostWaitUntil(state, now());
  if (waitUntil) {
    summary.left = askable;
    summary.refusal = { message: state.lastError ?? 'Cainiao refused earlier requests', retryAt: waitUntil };
    return summary;
  }
  const batches = batchesOf(askable, state.batchSize);
  for (const [index, batch] of batches.entries()) {
    if (summary.requests >= maxRequests) {
      summary.left.push(...batches.slice(index).flat());
      break;
    }
    if (summary.requests > 0) await deps.sleep(deps.pauseMs ?? CAINIAO_PAUSE_MS);
    const answer = await ask(deps.fetchImpl, batch);
    summary.requests++;
    const at = now();
    if (answer.kind === 'ok') {
      const orders = ordersOfPackages(answer.packages, parcels);
      if (orders.length > 0) {
        const snapshot = snapshotSchema.parse({ kind: 'tracking', url: cainiaoDetailUrl(batch), capturedAt: at.toISOString(), orders, warnings: answer.warnings });
        // Kept before the state says "refreshed": a worker stopped in between asks again, loses nothing.
        await recordSnapshot(cache, snapshot, deps.newKey);
      }
      summary.refreshed.push(...answer.packages.map((p) => p.trackingNumber));
      summary.unserved.push(...answer.unserved.map((u) => u.trackingNumber));
      // Absent from the answer: asked again next time, with the smaller batch the answer showed.
      summary.left.push(...answer.missing);
    }
    state = afterAnswer(state, batch, answer, at, deps.random);
    await writeMeta(cache, 'trackingRefresh', state);
    if (answer.kind === 'refused') {
      summary.refusal = { message: answer.message, retryAt: state.retryAt! };
      summary.left.push(...batches.slice(index).flat());
      break;
    }
  }
  return summary;
}

/**
 * The automatic pass (the 10-minute alarm): every parcel in flight whose last refresh is old
 * enough, from the store orders the worker last pulled, at most `maxRequests` requests.
 */
export async function refreshDueTracking(deps: TrackingRefreshDeps, { maxRequests = MAX_REQUESTS_PER_PASS }: { maxRequests?: number } = {}): Promise<RefreshSummary> {
  const parcels = inFlightParcels(await deps.cache.storeOrders.toArray());
  const state = await readRefreshState(deps.cache);
  const pruned = pruneState(state, parcels);
  if (Object.keys(pruned.numbers).length !== Object.keys(state.numbers).length) await writeMeta(deps.cache, 'trackingRefresh', pruned);
  return refreshNumbers(deps, parcels, dueNumbers(parcels, pruned, deps.now()), { maxRequests });
}
