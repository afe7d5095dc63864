/**
 * The idempotency records a sync leaves (its answer under its key). A retry comes within hours:
 * the extension's outbox backs off to 30 minutes at most and sets an entry aside after a bounded
 * number of tries; a record older than that only takes room. A key replayed after its record is
 * gone is applied again, which the capture-time guard makes harmless.
 */
import type { Queryable } from '../db';

export const IDEMPOTENCY_RETENTION_MS = 7 * 24 * 3600_000;
export const PRUNE_EVERY_MS = 3600_000;

/** Deletes the records older than the retention; answers how many. */
export async function pruneIdempotencyRecords(db: Queryable, now: Date, retentionMs = IDEMPOTENCY_RETENTION_MS): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'with gone as (delete from sync_requests where created_at < $1 returning 1) select count(*)::int as n from gone',
    [new Date(now.getTime() - retentionMs)],
  );
  return rows[0]!.n;
}
