/**
 * When pages last showed each AliExpress order, kept as a log of reads (`seen` store): one record
 * per page read, holding the ids it showed; an older read loses the ids a newer one shows again,
 * and goes once it has none left. A re-read of 1,000 unchanged orders so writes one small record
 * instead of 1,000 rows, and the log stays about one id per cached order (ids as an IdList).
 * Dexie-free: the worker writes it (engine.ts), the popup reads it (reader.ts).
 */
import type { SeenRead } from './records';
import { idList, idsLeft, idsOf, rangesMeet, type IdList } from './id-list';

/**
 * How the log changes when a page read at `at` showed `ids`: the record to add (none when newer
 * reads showed them all since), and the older records to rewrite or drop. Each id stays in one
 * record, its newest read's.
 */
export function recordRead(log: readonly SeenRead[], ids: readonly string[], at: string): { add?: SeenRead; put: SeenRead[]; remove: number[] } {
  const shown = new Set(ids);
  const range = idList(ids);
  // A read made after this one keeps what it showed: it is the newer sighting.
  for (const read of log) if (read.at > at && rangesMeet(read, range)) for (const id of idsOf(read)) shown.delete(id);
  const put: SeenRead[] = [];
  const remove: number[] = [];
  for (const read of log) {
    if (read.at > at || read.id === undefined) continue;
    const kept = idsLeft(read, shown, range);
    if (!kept) continue;
    if (kept.length === 0) remove.push(read.id);
    else put.push({ ...read, ...idList(kept) });
  }
  return { ...(shown.size > 0 && { add: { at, ...idList(shown) } }), put, remove };
}

/**
 * When pages last showed these orders (`range` is theirs), from the log: records whose range
 * misses it are passed over. It is also when the read behind each order's status was captured: any
 * read at least as new as that one takes the status (lib/domain/ali-order-fold.ts).
 */
export function seenAtOf(log: readonly SeenRead[], ids: readonly string[], range: Pick<IdList, 'low' | 'high'>): Map<string, string> {
  const wanted = new Set(ids);
  const seen = new Map<string, string>();
  for (const read of log) {
    if (!rangesMeet(read, range)) continue;
    for (const id of idsOf(read)) {
      if (!wanted.has(id)) continue;
      const before = seen.get(id);
      if (!before || before < read.at) seen.set(id, read.at);
    }
  }
  return seen;
}

/** When a page last showed an order, from the log; undefined for an order never seen. */
export function seenLookup(log: readonly SeenRead[]): (aliOrderId: string) => string | undefined {
  const seen = new Map<string, string>();
  for (const read of log) {
    for (const id of idsOf(read)) {
      const before = seen.get(id);
      if (!before || before < read.at) seen.set(id, read.at);
    }
  }
  return (aliOrderId) => seen.get(aliOrderId);
}

/** When a page last showed any order: the last good read. */
export function latestSeen(log: readonly SeenRead[]): string | undefined {
  let latest: string | undefined;
  for (const read of log) if (!latest || read.at > latest) latest = read.at;
  return latest;
}

/** When an order page last read fine: the newest read in the log, or the one recorded apart (MetaRecords.lastGoodReadAt), whichever is later. */
export function lastGoodReadAt(log: readonly SeenRead[], recorded: string | undefined): string | undefined {
  const seen = latestSeen(log);
  return seen === undefined || (recorded !== undefined && recorded > seen) ? recorded : seen;
}
