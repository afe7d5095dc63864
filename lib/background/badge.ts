/**
 * The toolbar badge: how many orders need action (abnormal, attention, pending too long), red when
 * one of them is abnormal. Follows the cache live; the 10-minute pull rewrites the store orders, so
 * flags that turn with time alone are recounted at least that often.
 */
import { liveQuery } from 'dexie';
import { browser } from 'wxt/browser';
import type { CacheDb } from '../cache/db';
import { needsAction, orderReasons, worstSeverity, type Reason } from '../presentation/needs-action';

export const BADGE_ABNORMAL = '#b3261e';
export const BADGE_ATTENTION = '#8a5a00';

/** The badge for a set of orders at `now`: its text and colour. Pure, for tests. */
export function badgeFor(orders: readonly Parameters<typeof orderReasons>[0][], now: Date): { text: string; color: string } {
  const flagged: Reason[][] = [];
  for (const order of orders) {
    const reasons = orderReasons(order, now);
    if (needsAction(reasons)) flagged.push(reasons);
  }
  const count = flagged.length;
  return {
    text: count === 0 ? '' : count > 999 ? '999+' : String(count),
    color: worstSeverity(flagged) >= 3 ? BADGE_ABNORMAL : BADGE_ATTENTION,
  };
}

/** Must run at the worker's top level (it subscribes; the first count comes at once). */
export function setupBadge(cache: CacheDb): void {
  liveQuery(() => cache.storeOrders.toArray()).subscribe({
    next: (orders) => {
      const { text, color } = badgeFor(orders, new Date());
      void browser.action.setBadgeBackgroundColor({ color });
      void browser.action.setBadgeText({ text });
    },
    error: (error) => console.error('badge', error),
  });
}
