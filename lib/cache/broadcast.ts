/**
 * What the service worker tells every open extension page at once, on a BroadcastChannel (it
 * reaches the popup and the options page from the worker without waking anything). Zod-free: the
 * pages that listen are kept small, and they act only on a shape they recognise.
 */
export const CACHE_CHANNEL = 'ali-order-sync/cache';

/** The worker wrote to these cache stores: whatever shows them should read them again. */
export interface CacheChanged {
  type: 'cache-changed';
  stores: string[];
}

export function isCacheChanged(data: unknown): data is CacheChanged {
  if (typeof data !== 'object' || data === null) return false;
  const { type, stores } = data as Partial<CacheChanged>;
  return type === 'cache-changed' && Array.isArray(stores) && stores.every((s) => typeof s === 'string');
}
