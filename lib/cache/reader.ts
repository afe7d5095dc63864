/**
 * The cache as the extension pages read it: plain IndexedDB, read-only, no Dexie. The service
 * worker is the cache's only writer (through Dexie, db.ts); the popup opens on every click and
 * shows its first rows sooner without Dexie in its bundle.
 *
 * The reader opens whatever version the worker made (it asks for none, so it never upgrades),
 * never creates the database (a page opened before the worker first opened it reads an empty cache),
 * and closes its connection when the worker needs to upgrade the schema. `onChange` passes on the
 * worker's broadcast of the stores it wrote (lib/background/cache-signal.ts).
 */
import { CACHE_CHANNEL, isCacheChanged } from '../cache/broadcast';
import type { SyncRun } from '../cache/sync-run';
import type { CachedAliOrder, CachedStoreOrder, MetaEntry, MetaRecords, OutboxEntry, ParkedEntry, SeenRead, UnreadEntry } from './records';
import { CACHE_DB_NAME, isCacheStore, type CacheIndex, type CacheStore } from './layout';

/** What each store holds. */
export interface CacheRows {
  aliOrders: CachedAliOrder;
  storeOrders: CachedStoreOrder;
  outbox: OutboxEntry;
  meta: MetaEntry;
  syncRuns: SyncRun;
  seen: SeenRead;
  parked: ParkedEntry;
  unread: UnreadEntry;
}

/** Primary keys: the outbox, `seen` and `parked` number their records, the other stores are keyed by a string id. */
export type CacheKey<S extends CacheStore> = S extends 'outbox' | 'seen' | 'parked' ? number : string;

export interface CacheReader {
  /** Every row of a store, in primary key order. */
  all<S extends CacheStore>(store: S): Promise<CacheRows[S][]>;
  keys<S extends CacheStore>(store: S): Promise<CacheKey<S>[]>;
  /** The rows with these keys, in the same order; undefined where there is none. */
  get<S extends CacheStore>(store: S, keys: readonly CacheKey<S>[]): Promise<(CacheRows[S] | undefined)[]>;
  /** The last `count` rows in an index's order, last first (the newest, for a time or a number). */
  last<S extends CacheStore>(store: S, index: CacheIndex<S>, count: number): Promise<CacheRows[S][]>;
  count(store: CacheStore): Promise<number>;
  meta<K extends keyof MetaRecords>(key: K): Promise<MetaRecords[K] | undefined>;
  /** Calls `listener` with the stores the worker changed; returns the unsubscribe. */
  onChange(listener: (stores: ReadonlySet<CacheStore>) => void): () => void;
  close(): void;
}

/** IndexedDB 3's options form of getAll, which TypeScript's DOM types do not know yet. */
interface IdbGetAllWithOptions {
  getAll(options: { query: IDBKeyRange | null; count: number; direction: IDBCursorDirection }): IDBRequest<unknown[]>;
}

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.addEventListener('success', () => resolve(request.result));
    request.addEventListener('error', () => reject(request.error));
  });

export function openCacheReader(name = CACHE_DB_NAME): CacheReader {
  let connection: Promise<IDBDatabase | undefined> | undefined;

  /** The open database, or undefined while the worker has not created it. */
  const database = (): Promise<IDBDatabase | undefined> =>
    (connection ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(name);
      // Only a database that does not exist yet is "upgraded" here: leave creating it to the worker,
      // whose Dexie schema would otherwise find an empty version 1 in its way.
      request.addEventListener('upgradeneeded', () => request.transaction!.abort());
      request.addEventListener('success', () => {
        const db = request.result;
        // The worker is upgrading the schema: let it, and open the new version on the next read.
        db.addEventListener('versionchange', () => {
          db.close();
          connection = undefined;
        });
        resolve(db);
      });
      request.addEventListener('error', () => {
        connection = undefined;
        if (request.error?.name === 'AbortError') resolve(undefined);
        else reject(request.error);
      });
    }));

  /** Runs `read` on one store in a read-only transaction, or answers `empty` when the store does not exist yet. */
  async function read<T>(store: CacheStore, empty: T, run: (os: IDBObjectStore) => Promise<T>): Promise<T> {
    const db = await database();
    if (!db?.objectStoreNames.contains(store)) return empty;
    let transaction: IDBTransaction;
    try {
      transaction = db.transaction(store, 'readonly');
    } catch (error) {
      // Closed for the worker's upgrade since it was opened: read the new version instead.
      if (error instanceof DOMException && error.name === 'InvalidStateError' && connection === undefined) return read(store, empty, run);
      throw error;
    }
    return run(transaction.objectStore(store));
  }

  let channel: BroadcastChannel | undefined;
  const listeners = new Set<(stores: ReadonlySet<CacheStore>) => void>();

  return {
    all<S extends CacheStore>(store: S) {
      return read<CacheRows[S][]>(store, [], (os) => done(os.getAll()));
    },
    keys<S extends CacheStore>(store: S) {
      return read<CacheKey<S>[]>(store, [], (os) => done(os.getAllKeys()) as Promise<CacheKey<S>[]>);
    },
    get<S extends CacheStore>(store: S, keys: readonly CacheKey<S>[]) {
      return read<(CacheRows[S] | undefined)[]>(
        store,
        keys.map(() => undefined),
        (os) =>
          // One request per key in one transaction, answered together when it completes: a
          // promise per key would cost more than the reads for thousands of keys.
          new Promise((resolve, reject) => {
            const requests = keys.map((key) => os.get(key) as IDBRequest<CacheRows[S] | undefined>);
            os.transaction.addEventListener('complete', () => resolve(requests.map((r) => r.result)));
            os.transaction.addEventListener('abort', () => reject(os.transaction.error));
          }),
      );
    },
    last<S extends CacheStore>(store: S, index: CacheIndex<S>, count: number) {
      return read<CacheRows[S][]>(store, [], (os) => {
        if (count <= 0) return Promise.resolve([]);
        const source = os.index(index);
        // Chromium 141+ reads the last rows in one request (IndexedDB 3's getAll options);
        // older browsers step a cursor back from the end.
        if ('getAllRecords' in os) return done((source as unknown as IdbGetAllWithOptions).getAll({ query: null, count, direction: 'prev' })) as Promise<CacheRows[S][]>;
        const rows: CacheRows[S][] = [];
        const request = source.openCursor(null, 'prev');
        return new Promise((resolve, reject) => {
          request.addEventListener('success', () => {
            const cursor = request.result;
            if (cursor) rows.push(cursor.value as CacheRows[S]);
            if (!cursor || rows.length >= count) resolve(rows);
            else cursor.continue();
          });
          request.addEventListener('error', () => reject(request.error));
        });
      });
    },
    count(store) {
      return read(store, 0, (os) => done(os.count()));
    },
    async meta<K extends keyof MetaRecords>(key: K) {
      const entry = await read<MetaEntry | undefined>('meta', undefined, (os) => done(os.get(key)));
      return entry?.value as MetaRecords[K] | undefined;
    },
    onChange(listener) {
      listeners.add(listener);
      if (!channel) {
        channel = new BroadcastChannel(CACHE_CHANNEL);
        channel.addEventListener('message', (event: MessageEvent<unknown>) => {
          if (!isCacheChanged(event.data)) return;
          const stores = new Set(event.data.stores.filter(isCacheStore));
          if (stores.size > 0) for (const notify of listeners) notify(stores);
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          channel?.close();
          channel = undefined;
        }
      };
    },
    close() {
      channel?.close();
      channel = undefined;
      listeners.clear();
      void connection?.then((db) => db?.close());
      connection = undefined;
    },
  };
}
