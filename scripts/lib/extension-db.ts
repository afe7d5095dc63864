/**
 * Reading the extension's IndexedDB from one of its own pages (popup.html), as the tests and
 * `npm start` check what the worker stored. Plain IndexedDB: nothing of the extension's code runs.
 */
import type { Page } from '@playwright/test';
import { CACHE_DB_NAME } from '../../lib/cache/layout';

export type StoreRead = { all: true } | { count: true } | { key: string };

export function readCacheStore<T>(page: Page, store: string, read: StoreRead): Promise<T> {
  return page.evaluate(
    (args) =>
      new Promise<T>((resolve, reject) => {
        const open = indexedDB.open(args.name);
        open.addEventListener('error', () => reject(open.error));
        open.addEventListener('success', () => {
          const objects = open.result.transaction(args.store).objectStore(args.store);
          const request = 'all' in args.read ? objects.getAll() : 'count' in args.read ? objects.count() : objects.get(args.read.key);
          request.addEventListener('success', () => resolve(request.result as T));
          request.addEventListener('error', () => reject(request.error));
        });
      }),
    { store, read, name: CACHE_DB_NAME },
  );
}

/** The newest manual sync run the worker recorded. */
export async function readLatestRun<Run extends { startedAt: string }>(page: Page): Promise<Run | undefined> {
  const runs = await readCacheStore<Run[]>(page, 'syncRuns', { all: true });
  return runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
}
