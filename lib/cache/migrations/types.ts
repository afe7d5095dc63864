/** One version of the cache schema: the stores it declares (Dexie's syntax) and how it upgrades an older cache's data. */
import type { Transaction } from 'dexie';

export interface CacheMigration {
  version: number;
  /** What this version adds or changes; versions are cumulative, so an installed cache upgrades in place. */
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => PromiseLike<unknown> | void;
}
