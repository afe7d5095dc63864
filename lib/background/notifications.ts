/**
 * A desktop notification when an order turns abnormal or needs attention, unless the merchant
 * turned them off. "Turns": only a flag an order did not have at the last look raises one, so a
 * problem is announced once, not at every pull. What was announced is kept in extension storage,
 * because the service worker forgets everything when Chrome stops it.
 */
import { liveQuery } from 'dexie';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { CacheDb, CachedAliOrder, CachedStoreOrder } from '../cache/db';
import type { OrderFlag } from '../domain/order-flags';
import { settingsItem } from '../settings';
import { t } from '../presentation/i18n';
import { alertingFlags, orderReasons } from '../presentation/needs-action';
import { reasonText } from '../presentation/reason-text';

export const NOTIFICATION_ID = 'orders-need-action';
/** Lines of "#1001: reason" in one notification; the popup has the rest. */
const MAX_LINES = 3;

/** Store order id → its abnormal/attention flags at the last look. Null before the first look. */
export type AlertedFlags = Record<string, OrderFlag[]>;
export const alertedItem = storage.defineItem<AlertedFlags | null>('local:alertedFlags', { fallback: null });

/**
 * The orders that gained a flag since `previous`, and the flags to remember now. The first look
 * only takes stock: an extension just installed does not announce every old problem as news.
 */
export function newlyFlagged(previous: AlertedFlags | null, orders: readonly CachedStoreOrder[], now: Date): { turned: CachedStoreOrder[]; current: AlertedFlags } {
  const current: AlertedFlags = {};
  const turned: CachedStoreOrder[] = [];
  for (const order of orders) {
    const flags = alertingFlags(order, now);
    if (flags.length === 0) continue;
    current[order.id] = flags;
    if (previous && flags.some((f) => !previous[order.id]?.includes(f))) turned.push(order);
  }
  return { turned, current };
}

async function announce(cache: CacheDb, turned: readonly CachedStoreOrder[], now: Date): Promise<void> {
  const aliIds = turned.flatMap((o) => o.aliOrderIds);
  const lookup = new Map((await cache.aliOrders.bulkGet(aliIds)).filter((c): c is CachedAliOrder => !!c).map((c) => [c.aliOrderId, c]));
  const lines = turned.slice(0, MAX_LINES).map((o) => {
    const reason = orderReasons(o, now)[0];
    return reason ? `${o.storeOrderNumber}: ${reasonText(reason, now, lookup)}` : o.storeOrderNumber;
  });
  if (turned.length > MAX_LINES) lines.push(t('moreReasons', turned.length - MAX_LINES));
  await browser.notifications.create(NOTIFICATION_ID, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: turned.length === 1 ? t('notifyOneTitle', turned[0]!.storeOrderNumber) : t('notifyManyTitle', turned.length),
    message: lines.join('\n'),
    priority: 1,
  });
}

/** Must run at the worker's top level: it registers the click listener and subscribes to the cache. */
export function setupNotifications(cache: CacheDb): void {
  // The popup cannot be opened from here without a click on the toolbar: its page opens in a tab.
  browser.notifications.onClicked.addListener((id) => {
    if (id !== NOTIFICATION_ID) return;
    void browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    void browser.notifications.clear(id);
  });
  // One look at a time, in order: each compares with what the previous one stored.
  let chain = Promise.resolve();
  liveQuery(() => cache.storeOrders.toArray()).subscribe({
    next: (orders) => {
      chain = chain
        .then(async () => {
          const now = new Date();
          const { turned, current } = newlyFlagged(await alertedItem.getValue(), orders, now);
          await alertedItem.setValue(current);
          if (turned.length > 0 && (await settingsItem.getValue()).notifications) await announce(cache, turned, now);
        })
        .catch((error) => console.error('notifications', error));
    },
    error: (error) => console.error('notifications', error),
  });
}
