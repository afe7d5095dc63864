/**
 * "Click sync button in order" (the seed): one store order brought up to date now, without the
 * day's quota. Its known tracking numbers through Cainiao's public tracking (no page load); the
 * tracking page of a shipped AliExpress order whose number is unknown or that Cainiao could not
 * refresh; the order page of one not shipped yet, whose status is what can move. What they show
 * is kept and pushed like any page read. Browser-free: the tab, Cainiao and the sync are passed in.
 */
import { readMeta, writeMeta, type CacheDb, type OrderRefreshRecord } from '../cache/db';
import type { AliOrderStatus, Snapshot } from '../domain/snapshot';
import { isCanceled } from '../domain/store-order-rules';
import { orderDetailUrl, trackingUrl } from './manual-plan';
import type { SyncTab } from './manual-sync';
import type { RefreshSummary } from './tracking-refresh';

export interface OrderRefreshDeps {
  cache: CacheDb;
  refreshTracking: (parcels: ReadonlyMap<string, readonly string[]>, numbers: readonly string[]) => Promise<RefreshSummary>;
  openTab: () => SyncTab;
  /** Push what was read and pull the backend's view, so the popup shows what changed. */
  sync: () => Promise<void>;
  now: () => Date;
}

/** Statuses under which the supplier handed parcels over: the tracking page has something to say. */
const SHIPPED: ReadonlySet<AliOrderStatus> = new Set(['partially_shipped', 'shipped', 'completed']);

function pageProblem(snapshot: Snapshot): string | undefined {
  if (snapshot.kind === 'login') return 'AliExpress asks you to log in. Log in to AliExpress in this browser, then refresh the order again.';
  if (snapshot.kind === 'bot_check') return 'AliExpress wants to check you are human. Open an AliExpress tab, slide to verify, then refresh the order again.';
  return undefined;
}

export async function refreshStoreOrder(deps: OrderRefreshDeps, storeOrderId: string): Promise<OrderRefreshRecord> {
  const { cache, now } = deps;
  const record: OrderRefreshRecord = { storeOrderId, status: 'running', startedAt: now().toISOString(), cainiaoRequests: 0, pagesLoaded: 0 };
  const save = (changes: Partial<OrderRefreshRecord>) => writeMeta(cache, 'orderRefresh', Object.assign(record, changes));
  const fail = (problem: string) => save({ status: 'failed', finishedAt: now().toISOString(), problem }).then(() => record);
  await save({});
  const order = await cache.storeOrders.get(storeOrderId);
  if (!order) return fail('This order is no longer in the list; refresh the popup.');
  // The seed: an order fulfilled by hand or on the store is never synced again.
  if (order.locked) return fail('This order was fulfilled by hand or on the store: sync leaves it alone.');

  const aliOrders = order.aliOrders.filter((a) => !isCanceled(a.status));
  const parcels = new Map<string, string[]>();
  for (const ali of aliOrders) for (const pkg of ali.packages) parcels.set(pkg.trackingNumber, [...(parcels.get(pkg.trackingNumber) ?? []), ali.aliOrderId]);
  let refreshed = new Set<string>();
  if (parcels.size > 0) {
    const summary = await deps.refreshTracking(parcels, [...parcels.keys()]);
    refreshed = new Set(summary.refreshed);
    await save({ cainiaoRequests: summary.requests });
  }

  // On the merchant's own site, where they are logged in.
  const origin = (await readMeta(cache, 'aliexpressOrigin'))?.origin;
  const pages = aliOrders.flatMap((ali) => {
    if (!SHIPPED.has(ali.status)) return [orderDetailUrl(ali.aliOrderId, origin)];
    return ali.packages.length === 0 || ali.packages.some((p) => !refreshed.has(p.trackingNumber)) ? [trackingUrl(ali.aliOrderId, origin)] : [];
  });
  let tab: SyncTab | undefined;
  try {
    for (const url of pages) {
      tab ??= deps.openTab();
      const snapshot = await tab.load(url);
      await save({ pagesLoaded: record.pagesLoaded + 1 });
      const problem = pageProblem(snapshot);
      if (problem) {
        await deps.sync().catch(() => undefined);
        return await fail(problem);
      }
    }
    await deps.sync();
    await save({ status: 'done', finishedAt: now().toISOString() });
    return record;
  } catch (error) {
    return await fail(error instanceof Error ? error.message : String(error));
  } finally {
    await tab?.close().catch(() => undefined);
  }
}
