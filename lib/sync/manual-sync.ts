/**
 * The Sync button's full pass: take a slot from the backend, get the watchlist, walk the order
 * list in one background tab, refresh every known tracking number through Cainiao in batches,
 * read the tracking pages still needed, push as it goes, and leave a record of every step in
 * IndexedDB. Browser-free: the tab, Cainiao's refresh, the clock and the pause are passed in.
 */
import type { CacheDb } from '../cache/db';
import { readMeta, writeMeta } from '../cache/db';
import type { Snapshot } from '../domain/snapshot';
import type { SyncProblem, SyncRun } from '../cache/sync-run';
import { BackendError, type BackendClient } from './backend-client';
import { pushOutbox } from './engine';
import { CAINIAO_PAUSE_MS } from '../cainiao/refresh-plan';
import { afterCainiao, afterDetailPage, afterListPage, afterTabMissing, afterTrackingPage, ALL_TAB, newPlan, nextStep, orderDetailUrl, orderListUrl, trackingUrl, type ManualPlan, type WatchedOrder } from './manual-plan';
import type { RefreshSummary } from './tracking-refresh';

/** The one background tab a run works in. */
export interface SyncTab {
  /** Loads a URL in the tab (opening it the first time) and resolves with what the page showed. */
  load(url: string): Promise<Snapshot>;
  /** Clicks "View orders"; resolves with the next page, or undefined when there is no such button. */
  loadMore(): Promise<Snapshot | undefined>;
  /**
   * Clicks the order list's tab titled `title` (the page's own title for tab `code`); resolves with
   * the tab's first page, or undefined when the page shows no such tab or no list naming it in time.
   */
  showTab(title: string, code: string): Promise<Snapshot | undefined>;
  /** The tab's id, once it exists. */
  id(): number | undefined;
  close(): Promise<void>;
}

export interface ManualSyncDeps {
  cache: CacheDb;
  client: BackendClient | undefined;
  openTab: () => SyncTab;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  pauseMs: number;
  newId: () => string;
  /** Told the run's first record (or the running one), so a caller need not wait for the end. */
  onStarted?: (run: ManualRunRecord) => void;
  /**
   * Cainiao's batched refresh (tracking-refresh.ts: refreshNumbers) of these numbers, each with
   * the AliExpress orders it covers; what it read is in the outbox when it resolves. Without it
   * every shipped order's tracking page is read instead.
   */
  refreshTracking?: (parcels: ReadonlyMap<string, readonly string[]>, numbers: readonly string[]) => Promise<RefreshSummary>;
  /** Between two Cainiao requests. */
  cainiaoPauseMs?: number;
  /** Cainiao's state before the run: which numbers it cannot serve, its batch size. */
  cainiao?: { unserved: readonly string[]; batchSize: number };
}

export class PageLoadError extends Error {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super(message);
  }
}

/** The page did not show what was asked for in time (the tab is still there). */
export class PageTimeoutError extends PageLoadError {}

/** The record a run keeps, with the plan that lets it be followed step by step. */
export interface ManualRunRecord extends SyncRun {
  plan?: ManualPlan;
}

function problemOf(error: unknown): SyncProblem {
  if (error instanceof BackendError) {
    if (error.kind === 'unauthorized') return { kind: 'token_rejected', message: `${error.message} Check the API token in the options page.` };
    if (error.kind === 'not_configured') return { kind: 'not_configured', message: error.message };
    return { kind: 'backend_unreachable', message: `${error.message} What was read is kept and sent when the backend is back.` };
  }
  if (error instanceof PageLoadError) return { kind: 'page_failed', message: error.message, url: error.url };
  return { kind: 'page_failed', message: error instanceof Error ? error.message : String(error), url: '' };
}

/** A page that stops the run: log in, or pass the slider check, before anything else can be read. */
function blockingProblem(snapshot: Snapshot): SyncProblem | undefined {
  if (snapshot.kind === 'login') {
    return { kind: 'login', url: snapshot.url, message: 'AliExpress asks you to log in. Log in to AliExpress in this browser, then click Sync again.' };
  }
  if (snapshot.kind === 'bot_check') {
    return {
      kind: 'bot_check',
      url: snapshot.url,
      message: 'AliExpress wants to check you are human. Open the AliExpress tab, slide to verify, then click Sync again.',
    };
  }
  return undefined;
}

export function isActive(run: SyncRun | undefined): boolean {
  return run?.status === 'running';
}

export async function latestRun(cache: CacheDb): Promise<ManualRunRecord | undefined> {
  return (await cache.syncRuns.orderBy('startedAt').last()) as ManualRunRecord | undefined;
}

/** Asks a running sync to stop after the page it is on; what it pushed stays pushed. */
export async function cancelManualSync(cache: CacheDb, now: Date): Promise<boolean> {
  const run = await latestRun(cache);
  if (!run || !isActive(run)) return false;
  await cache.syncRuns.update(run.id, { status: 'canceled', finishedAt: now.toISOString() });
  return true;
}

/**
 * Runs left `running` by a worker that died are over: they are reported as interrupted, and
 * their tab ids returned so the caller can close the tabs. Pushed data stays pushed, and
 * unpushed snapshots are still in the outbox.
 */
export async function interruptStaleRuns(cache: CacheDb, now: Date): Promise<number[]> {
  const stale = (await cache.syncRuns.where('status').equals('running').toArray()) as ManualRunRecord[];
  for (const run of stale) {
    await cache.syncRuns.update(run.id, {
      status: 'interrupted',
      finishedAt: now.toISOString(),
      problem: { kind: 'page_failed', url: '', message: 'The sync was interrupted (the browser stopped the extension). What it read was kept; click Sync to finish.' },
    });
  }
  return stale.map((r) => r.tabId).filter((id): id is number => id !== undefined);
}

/** Orders the watchlist names, with the order dates the cache knows (to stop list paging early). */
async function watchedOrders(cache: CacheDb, client: BackendClient): Promise<WatchedOrder[]> {
  const { aliOrders } = await client.watchlist();
  const cached = await cache.aliOrders.bulkGet(aliOrders.map((a) => a.aliOrderId));
  return aliOrders.map((item, i) => ({
    aliOrderId: item.aliOrderId,
    status: item.status,
    trackingNumbers: item.trackingNumbers,
    needs: item.needs,
    ...(cached[i]?.order.orderedAt && { orderedAt: cached[i]!.order.orderedAt }),
  }));
}

/**
 * One manual sync, start to finish. Only one runs at a time: when one is running already, that
 * one is returned and nothing new starts.
 */
export async function runManualSync(deps: ManualSyncDeps): Promise<ManualRunRecord> {
  const { cache, client, now } = deps;
  const current = await latestRun(cache);
  if (current && isActive(current)) {
    deps.onStarted?.(current);
    return current;
  }

  const run: ManualRunRecord = {
    id: deps.newId(),
    status: 'running',
    step: 'requesting_slot',
    startedAt: now().toISOString(),
    pagesLoaded: 0,
    watched: 0,
    ordersSeen: 0,
    changed: 0,
    newTrackingNumbers: 0,
  };
  await cache.syncRuns.add(run);
  deps.onStarted?.({ ...run });
  const save = async (changes: Partial<ManualRunRecord>) => {
    Object.assign(run, changes);
    await cache.syncRuns.update(run.id, changes);
  };
  const finish = async (status: SyncRun['status'], problem?: SyncProblem) => {
    await save({ status, step: 'finished', finishedAt: now().toISOString(), ...(problem && { problem }) });
    return run;
  };
  const canceled = async () => (await cache.syncRuns.get(run.id))?.status === 'canceled';
  /** The record as the cancel left it. */
  const asCanceled = async () => Object.assign(run, await cache.syncRuns.get(run.id));

  if (!client) return finish('failed', { kind: 'not_configured', message: 'Set the backend URL and API token in the options page.' });

  let tab: SyncTab | undefined;
  try {
    const slot = await client.manualSync();
    await writeMeta(cache, 'quota', { quota: slot.quota, receivedAt: now().toISOString() });
    if (!slot.granted) {
      return finish('refused', { kind: 'quota', rule: slot.rule, message: slot.message, nextAllowedAt: slot.quota.nextAllowedAt ?? slot.quota.resetsAt });
    }

    await save({ step: 'fetching_watchlist' });
    // The dates of every order the cache knows: the list shows each of them before older ones.
    const knownDates: string[] = [];
    await cache.aliOrders.each((cached) => {
      if (cached.order.orderedAt) knownDates.push(cached.order.orderedAt);
    });
    let plan = newPlan(await watchedOrders(cache, client), {
      knownDates,
      unserved: deps.refreshTracking ? (deps.cainiao?.unserved ?? []) : [],
      ...(deps.cainiao && { cainiaoBatch: deps.cainiao.batchSize }),
    });
    const parcels = new Map<string, string[]>();
    for (const w of plan.watched) for (const n of w.trackingNumbers) parcels.set(n, [...(parcels.get(n) ?? []), w.aliOrderId]);
    const watchedIds = new Set(plan.watched.map((w) => w.aliOrderId));
    const knownTracking = new Set(plan.watched.flatMap((w) => w.trackingNumbers));
    const seenIds = new Set<string>();
    const changedIds = new Set<string>();
    await save({ watched: plan.watched.length, plan });

    const openTab = () => (tab ??= deps.openTab());
    // The merchant's own site: a merchant on www.aliexpress.us is logged in there, not on .com.
    const origin = (await readMeta(cache, 'aliexpressOrigin'))?.origin;
    const pushed = async () => {
      for (const result of (await pushOutbox(cache, client, now())).results) {
        if (result.outcome === 'applied' && result.changed) changedIds.add(result.aliOrderId);
      }
      await save({ changed: changedIds.size });
    };
    for (let step = nextStep(plan); step.kind !== 'done'; step = nextStep(plan)) {
      if (await canceled()) return asCanceled();
      if (step.kind === 'cainiao') {
        // No page load and no tab: Cainiao's public tracking, one request at a time.
        if ((run.cainiaoRequests ?? 0) > 0) await deps.sleep(deps.cainiaoPauseMs ?? CAINIAO_PAUSE_MS);
        if (await canceled()) return asCanceled();
        await save({ step: 'reading_tracking' });
        const summary = deps.refreshTracking ? await deps.refreshTracking(parcels, step.trackingNumbers) : undefined;
        const refreshed = new Set(summary?.refreshed);
        for (const n of refreshed) for (const id of parcels.get(n) ?? []) seenIds.add(id);
        plan = afterCainiao(plan, step.trackingNumbers, step.trackingNumbers.filter((n) => !refreshed.has(n)));
        await save({ plan, cainiaoRequests: (run.cainiaoRequests ?? 0) + (summary?.requests ?? 0), ordersSeen: seenIds.size, step: 'pushing' });
        if (refreshed.size > 0) await pushed();
        continue;
      }
      if (run.pagesLoaded > 0) await deps.sleep(deps.pauseMs);
      if (await canceled()) return asCanceled();

      let snapshot: Snapshot | undefined;
      if (step.kind === 'tracking') {
        await save({ step: 'reading_tracking' });
        snapshot = await openTab().load(trackingUrl(step.aliOrderId, origin));
        plan = afterTrackingPage(plan, step.aliOrderId);
      } else if (step.kind === 'detail') {
        await save({ step: 'reading_order_list' });
        snapshot = await openTab().load(orderDetailUrl(step.aliOrderId, origin));
        plan = afterDetailPage(plan, step.aliOrderId, snapshot.kind === 'order_detail' ? snapshot : undefined);
      } else if (step.kind === 'list_tab') {
        await save({ step: 'reading_order_list' });
        snapshot = await openTab().showTab(step.title, step.code);
        if (!snapshot) {
          // No such tab on the page: the all-tab reads the rest, and the run says so.
          plan = afterTabMissing(plan, step.code);
          await save({ plan, warnings: plan.warnings });
          continue;
        }
        plan = afterListPage(plan, snapshot.kind === 'order_list' ? snapshot : undefined, step.code);
      } else {
        await save({ step: 'reading_order_list' });
        snapshot = step.kind === 'list_first_page' ? await openTab().load(orderListUrl(origin)) : await openTab().loadMore();
        if (snapshot && snapshot.kind === 'unknown' && step.kind === 'list_first_page') {
          throw new PageLoadError(`The order list could not be read (${snapshot.warnings[0] ?? 'unknown layout'}).`, snapshot.url);
        }
        plan = afterListPage(plan, snapshot?.kind === 'order_list' ? snapshot : undefined, step.kind === 'list_first_page' ? ALL_TAB : undefined);
      }
      if (snapshot) {
        await save({ pagesLoaded: run.pagesLoaded + 1, plan, tabId: openTab().id() });
        const problem = blockingProblem(snapshot);
        if (problem) return await finish('failed', problem);
        for (const order of snapshot.orders) {
          if (!watchedIds.has(order.aliOrderId)) continue;
          seenIds.add(order.aliOrderId);
          for (const pkg of order.packages) {
            if (knownTracking.has(pkg.trackingNumber)) continue;
            knownTracking.add(pkg.trackingNumber);
            run.newTrackingNumbers += 1;
          }
        }
        // Pushed as it goes: a run cut short keeps what it found.
        await save({ step: 'pushing', ordersSeen: seenIds.size, newTrackingNumbers: run.newTrackingNumbers });
        await pushed();
      } else {
        await save({ plan });
      }
    }
    return await finish('done');
  } catch (error) {
    if (await canceled()) return asCanceled();
    return finish('failed', problemOf(error));
  } finally {
    await tab?.close().catch(() => undefined);
  }
}
