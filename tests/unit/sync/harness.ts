/** A real backend app on an in-memory embedded database, reached through a fetch the tests can cut. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openCache, type CacheDb } from '../../../lib/cache/db';
import { createApp } from '../../../server/app';
import { createMerchant } from '../../../server/auth';
import { openDatabase, type Database } from '../../../server/db';
import { silentLogger } from '../../../server/log';
import { createStoreOrder, placeStoreOrder } from '../../../server/store-orders';

export interface TestBackend {
  db: Database;
  merchantId: string;
  token: string;
  /** Set to false to make the backend unreachable, as a network failure would. */
  online: boolean;
  /** The backend's clock; the real time while undefined. */
  clock: Date | undefined;
  /** Requests that reached the backend. */
  calls: string[];
  fetch: typeof fetch;
  place(storeOrderNumber: string, aliOrderIds: string[]): Promise<string>;
}

/** Opening the embedded database takes a moment: share one per file, a new merchant per test. */
export function openTestDatabase(): Promise<Database> {
  return openDatabase({});
}

export async function startTestBackend(db: Database): Promise<TestBackend> {
  const app = createApp({ db, log: silentLogger, now: () => backend.clock ?? new Date() });
  const { merchant, token } = await createMerchant(db, 'unit merchant');
  const backend: TestBackend = {
    db,
    merchantId: merchant.id,
    token,
    online: true,
    clock: undefined,
    calls: [],
    fetch: async (input, init) => {
      if (!backend.online) throw new TypeError('Failed to fetch');
      const url = String(input);
      backend.calls.push(`${init?.method ?? 'GET'} ${new URL(url).pathname}`);
      return app.request(url, init);
    },
    async place(storeOrderNumber, aliOrderIds) {
      const id = await createStoreOrder(db, merchant.id, storeOrderNumber, true);
      await placeStoreOrder(db, merchant.id, id, aliOrderIds.map((aliOrderId) => ({ aliOrderId, supplier: 'Test Store' })));
      return id;
    },
  };
  return backend;
}

/**
 * The world of a worker test: one embedded database for the file, and for each test a new
 * merchant's backend and an empty extension cache (deleted after it). `use` receives both before
 * each test, to keep them and to set up what the test file needs beside them.
 */
export function backendAndCachePerTest(name: string, use: (backend: TestBackend, cache: CacheDb) => void | Promise<void>): void {
  let db: Database | undefined;
  let cache: CacheDb | undefined;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    cache = openCache(`${name}-${Math.random()}`);
    await use(await startTestBackend(db!), cache);
  });
  afterEach(() => cache?.delete());
}
