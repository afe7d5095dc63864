/**
 * The texts and codes the readers could not read, collected across reads for the page report:
 * one entry per text or code, at most MAX_UNREAD of them, none older than UNREAD_KEPT_DAYS (a text
 * a newer version reads stops coming back, and goes). Shared by the worker's reads
 * (lib/sync/engine.ts) and the upgrade that collects what the outbox still holds (migrations/v7.ts).
 */
import type { EntityTable } from 'dexie';
import { unreadIn, unreadKey } from '../aliexpress/unread';
import { carriesOrders } from '../domain/page-kinds';
import type { Snapshot } from '../domain/snapshot';
import type { UnreadEntry } from './records';

export const MAX_UNREAD = 100;
export const UNREAD_KEPT_DAYS = 30;

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
};

/** Adds what this read could not read to the entries; returns how many it found. */
export async function recordUnread(table: EntityTable<UnreadEntry, 'key'>, snapshot: Snapshot): Promise<number> {
  const kind = snapshot.kind;
  if (!carriesOrders(kind)) return 0;
  const found = unreadIn(snapshot);
  if (found.length === 0) return 0;
  const at = snapshot.capturedAt;
  const keys = found.map(unreadKey);
  const before = await table.bulkGet(keys);
  const rows = found.map((unread, i): UnreadEntry => {
    const known = before[i];
    const newer = !known || at >= known.lastAt;
    // Where it was read last describes it; a late older read only counts.
    const seen = newer ? { ...unread, kind, site: hostOf(snapshot.url) } : known;
    return { ...seen, key: keys[i]!, firstAt: known && known.firstAt < at ? known.firstAt : at, lastAt: known && !newer ? known.lastAt : at, reads: (known?.reads ?? 0) + 1 };
  });
  await table.bulkPut(rows);
  const cutoff = new Date(Date.parse(at) - UNREAD_KEPT_DAYS * 86_400_000).toISOString();
  const stale = await table.where('lastAt').below(cutoff).primaryKeys();
  const over = (await table.count()) - stale.length - MAX_UNREAD;
  const oldest = over > 0 ? await table.where('lastAt').aboveOrEqual(cutoff).limit(over).primaryKeys() : [];
  if (stale.length + oldest.length > 0) await table.bulkDelete([...stale, ...oldest]);
  return found.length;
}
