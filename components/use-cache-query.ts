import { useLayoutEffect, useState } from 'preact/hooks';
import type { CacheStore } from '@/lib/cache/layout';
import type { CacheReader } from '@/lib/cache/reader';

/**
 * A read of the cache whose result re-renders the component: read again when `deps` change and
 * whenever the worker says it wrote to one of `stores`. A change that arrives during a read makes
 * one more read after it, whose result replaces the stale one (never two reads at once).
 */
export function useCacheQuery<T>(cache: CacheReader, stores: readonly CacheStore[], query: () => Promise<T>, deps: unknown[] = []): T | undefined {
  const [value, setValue] = useState<T>();
  // A layout effect runs in the render's own task: the read starts before the first paint instead
  // of a frame after it, and only issues requests, so it holds nothing up.
  useLayoutEffect(() => {
    let active = true;
    let reading = false;
    let stale = false;
    const read = async (): Promise<void> => {
      if (reading) {
        stale = true;
        return;
      }
      reading = true;
      stale = false;
      try {
        const result = await query();
        if (active && !stale) setValue(() => result);
      } catch (error) {
        console.error(error);
      } finally {
        reading = false;
      }
      if (active && stale) await read();
    };
    const unsubscribe = cache.onChange((changed) => {
      if (stores.some((store) => changed.has(store))) void read();
    });
    void read();
    return () => {
      active = false;
      unsubscribe();
    };
  }, [cache, ...deps]);
  return value;
}
