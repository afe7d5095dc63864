/**
 * When pages last showed each AliExpress order: 16 records (`seen` store), each holding its share of
 * the orders, so that a read of 1,000 unchanged orders rewrites 16 records instead of 1,000 rows.
 * Each record keeps its times as one JSON text: IndexedDB copies a string at once, and an object
 * of hundreds of keys key by key. Dexie-free: the worker writes them (engine.ts), the popup reads
 * them (reader.ts).
 */
import type { SeenShard } from './db';

/** How many records the orders are spread over: a read of a few orders rewrites a sixteenth of them. */
export const SEEN_SHARDS = 16;

/** The record that holds when order `aliOrderId` was last seen (FNV-1a of the id). */
export function seenShard(aliOrderId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < aliOrderId.length; i++) hash = Math.imul(hash ^ aliOrderId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SEEN_SHARDS;
}

/** `seen` records being brought up to date, their times parsed. */
export type SeenUpdate = Map<number, { at: Record<string, string>; latest: string }>;

/** Starts an update from the records it touches (missing ones start empty). */
export function openSeen(records: readonly (SeenShard | undefined)[]): SeenUpdate {
  const update: SeenUpdate = new Map();
  for (const record of records) if (record) update.set(record.shard, { at: JSON.parse(record.at) as Record<string, string>, latest: record.latest });
  return update;
}

/** Records that a page showed order `aliOrderId` at `at` (the newest sighting stays). */
export function markSeen(update: SeenUpdate, aliOrderId: string, at: string): void {
  const shard = seenShard(aliOrderId);
  let times = update.get(shard);
  if (!times) update.set(shard, (times = { at: {}, latest: at }));
  const before = times.at[aliOrderId];
  if (!before || before < at) times.at[aliOrderId] = at;
  if (times.latest < at) times.latest = at;
}

/** The records to write back. */
export function closeSeen(update: SeenUpdate): SeenShard[] {
  return [...update].map(([shard, { at, latest }]) => ({ shard, at: JSON.stringify(at), latest }));
}

/** When a page last showed an order, from the `seen` records; undefined for an order never seen. */
export function seenLookup(shards: readonly SeenShard[]): (aliOrderId: string) => string | undefined {
  const times = openSeen(shards);
  return (aliOrderId) => times.get(seenShard(aliOrderId))?.at[aliOrderId];
}

/** When a page last showed any order: the last good read. */
export function latestSeen(shards: readonly SeenShard[]): string | undefined {
  let latest: string | undefined;
  for (const record of shards) if (!latest || record.latest > latest) latest = record.latest;
  return latest;
}
