/**
 * Which parcels Cainiao's public tracking refreshes, in which batches, and how its answers move
 * the refresh's state: when each number was last refreshed, which numbers Cainiao cannot serve,
 * and how long to leave Cainiao alone after it refused. Pure: the state is a plain value the
 * worker keeps in IndexedDB (it forgets everything in memory when Chrome stops it).
 */
import type { AliOrder, AliOrderStatus, Package, TrackingStatus } from '../domain/snapshot';
import { isCanceled } from '../domain/store-order-rules';
import type { CainiaoAnswer, UnservedReason } from './detail';

type CainiaoRefusal = Extract<CainiaoAnswer, { kind: 'refused' }>;
import { CAINIAO_BATCH_SIZE } from './url';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * How often one number is asked again. The alarm fires every 10 minutes; 30 minutes between
 * refreshes shows a carrier's scan within about half an hour at 300 parcels for 10 requests per
 * half hour (480 a day), about what a person checking a few parcels now and then sends.
 */
export const REFRESH_EVERY_MS = 30 * MINUTE_MS;
/** Between two requests of one pass: one at a time, never a burst. */
export const CAINIAO_PAUSE_MS = 2000;
/** Requests in one automatic pass at most (600 parcels); the rest wait for the next alarm. */
export const MAX_REQUESTS_PER_PASS = 20;
/**
 * When to ask Cainiao again about a number it could not serve. `external`: another carrier's
 * number, which Cainiao does not track itself; the AliExpress tracking page keeps it. `no_events`:
 * unknown to Cainiao yet (a label just printed), so sooner.
 */
export const UNSERVED_RECHECK_MS: Readonly<Record<UnservedReason, number>> = { external: 24 * HOUR_MS, no_events: 6 * HOUR_MS };
/**
 * Backoff after Cainiao refused: doubling from the base up to 6 hours, each with jitter (50-100 %)
 * so many browsers refused at once do not come back at once. Its slider check means it takes us
 * for a robot: that starts at half an hour.
 */
export const HOST_RETRY_BASE_MS = 5 * MINUTE_MS;
export const SLIDER_RETRY_BASE_MS = 30 * MINUTE_MS;
export const HOST_RETRY_MAX_MS = 6 * HOUR_MS;

export interface NumberRefresh {
  /** When Cainiao last answered with this number's events. */
  refreshedAt?: string;
  /** Cainiao cannot serve it, since then. */
  unserved?: UnservedReason;
  unservedAt?: string;
}

export interface TrackingRefreshState {
  /** Cainiao's refusals in a row, and no request before `retryAt`. */
  failures: number;
  retryAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  /** What the last refusal was (an HTTP error, its slider check …), for the popup to say. */
  lastRefusal?: { reason: CainiaoRefusal['reason']; status: number };
  /** Lowered when an answer covered fewer numbers than asked. */
  batchSize: number;
  numbers: Record<string, NumberRefresh>;
}

export const initialRefreshState = (): TrackingRefreshState => ({ failures: 0, batchSize: CAINIAO_BATCH_SIZE, numbers: {} });

/** What a store order (the backend's view the worker pulled) says about its parcels. */
export interface ParcelSource {
  locked: boolean;
  aliOrders: readonly {
    aliOrderId: string;
    status: AliOrderStatus;
    packages: readonly { trackingNumber: string; trackingStatus: TrackingStatus }[];
  }[];
}

/**
 * The parcels still on their way: tracking number known, not delivered, on an AliExpress order
 * that is not canceled and a store order that is not locked (the seed: sync must not touch it).
 * Number → the AliExpress orders it covers (one parcel can carry several orders).
 */
export function inFlightParcels(orders: Iterable<ParcelSource>): Map<string, string[]> {
  const parcels = new Map<string, string[]>();
  for (const order of orders) {
    if (order.locked) continue;
    for (const ali of order.aliOrders) {
      if (isCanceled(ali.status)) continue;
      for (const pkg of ali.packages) {
        if (pkg.trackingStatus === 'delivered') continue;
        const ids = parcels.get(pkg.trackingNumber) ?? [];
        if (!ids.includes(ali.aliOrderId)) ids.push(ali.aliOrderId);
        parcels.set(pkg.trackingNumber, ids);
      }
    }
  }
  return parcels;
}

const at = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

/** Whether Cainiao can be expected to refresh this number (it has not said otherwise lately). */
export function isServable(state: TrackingRefreshState, trackingNumber: string, now: Date): boolean {
  const entry = state.numbers[trackingNumber];
  if (!entry?.unserved) return true;
  return now.getTime() - at(entry.unservedAt) >= UNSERVED_RECHECK_MS[entry.unserved];
}

/** Cainiao is being left alone until this time, after a refusal; undefined when it may be asked. */
export function hostWaitUntil(state: TrackingRefreshState, now: Date): string | undefined {
  return state.retryAt && Date.parse(state.retryAt) > now.getTime() ? state.retryAt : undefined;
}

/**
 * The numbers due for a refresh at `now`, longest unrefreshed first (never refreshed before all),
 * so a pass cut short leaves the most recently refreshed ones for the next.
 */
export function dueNumbers(parcels: ReadonlyMap<string, readonly string[]>, state: TrackingRefreshState, now: Date, everyMs = REFRESH_EVERY_MS): string[] {
  const due: string[] = [];
  for (const number of parcels.keys()) {
    if (!isServable(state, number, now)) continue;
    if (now.getTime() - at(state.numbers[number]?.refreshedAt) >= everyMs) due.push(number);
  }
  return due.sort((a, b) => at(state.numbers[a]?.refreshedAt) - at(state.numbers[b]?.refreshedAt));
}

/** Consecutive batches of at most `size` distinct numbers, in the given order. */
export function batchesOf(numbers: readonly string[], size: number): string[][] {
  const distinct = [...new Set(numbers)];
  const batches: string[][] = [];
  for (let i = 0; i < distinct.length; i += Math.max(1, size)) batches.push(distinct.slice(i, i + Math.max(1, size)));
  return batches;
}

/** How long to leave Cainiao alone after `failures` refusals in a row. */
export function hostRetryDelayMs(failures: number, sliderCheck: boolean, random: () => number = Math.random): number {
  const base = sliderCheck ? SLIDER_RETRY_BASE_MS : HOST_RETRY_BASE_MS;
  const ceiling = Math.min(HOST_RETRY_MAX_MS, base * 2 ** Math.max(0, failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * The state after one answer for `asked`. A refusal touches no number: each stays as it was, due
 * again once Cainiao may be asked. `Retry-After`, when sent, is waited out whatever the backoff.
 */
export function afterAnswer(state: TrackingRefreshState, asked: readonly string[], answer: CainiaoAnswer, now: Date, random: () => number = Math.random): TrackingRefreshState {
  const nowIso = now.toISOString();
  if (answer.kind === 'refused') {
    const failures = state.failures + 1;
    const backoff = hostRetryDelayMs(failures, answer.reason === 'slider_check', random);
    const wait = Math.max(backoff, (answer.retryAfterSeconds ?? 0) * 1000);
    return { ...state, failures, retryAt: new Date(now.getTime() + wait).toISOString(), lastError: answer.message, lastErrorAt: nowIso, lastRefusal: { reason: answer.reason, status: answer.status } };
  }
  const numbers = { ...state.numbers };
  for (const pkg of answer.packages) numbers[pkg.trackingNumber] = { refreshedAt: nowIso };
  for (const { trackingNumber, reason } of answer.unserved) numbers[trackingNumber] = { ...numbers[trackingNumber], unserved: reason, unservedAt: nowIso };
  const covered = asked.length - answer.missing.length;
  // Fewer numbers answered than asked: Cainiao has a limit of its own, which later batches keep to.
  const batchSize = answer.missing.length > 0 && covered > 0 ? Math.min(state.batchSize, covered) : state.batchSize;
  return { failures: 0, batchSize, numbers };
}

/** The state without numbers no longer in flight, so it does not grow with every parcel ever sent. */
export function pruneState(state: TrackingRefreshState, parcels: ReadonlyMap<string, unknown>): TrackingRefreshState {
  const numbers: Record<string, NumberRefresh> = {};
  for (const [number, entry] of Object.entries(state.numbers)) if (parcels.has(number)) numbers[number] = entry;
  return { ...state, numbers };
}

/**
 * The orders a batch's packages belong to, as a tracking page would show them: the packages
 * Cainiao refreshed, the status left `unknown` (Cainiao says nothing of the order), so the read
 * folds into the cache and the backend like any tracking page's.
 */
export function ordersOfPackages(packages: readonly Package[], parcels: ReadonlyMap<string, readonly string[]>): AliOrder[] {
  const byOrder = new Map<string, Package[]>();
  for (const pkg of packages) {
    for (const aliOrderId of parcels.get(pkg.trackingNumber) ?? []) {
      const list = byOrder.get(aliOrderId) ?? [];
      list.push(pkg);
      byOrder.set(aliOrderId, list);
    }
  }
  return [...byOrder].map(([aliOrderId, pkgs]) => ({ aliOrderId, status: 'unknown', packages: pkgs }));
}
