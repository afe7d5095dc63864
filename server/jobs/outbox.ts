/**
 * The outboxes' common mechanics. A job is claimed by taking a lease on its row
 * (`FOR UPDATE SKIP LOCKED` picks rows no other process holds; the lease keeps them from the
 * others until it is let go or runs out, for a process that dies mid-job), and every outcome is
 * written only while the lease is still the claimer's, so two backend processes on one PostgreSQL
 * never do the same job twice. Failed attempts back off exponentially; after MAX_ATTEMPTS a job fails for good.
 */
import type { Queryable } from '../db';

export type OutboxTable = 'store_fulfillments' | 'webhook_deliveries';

export const LEASE_MS = 60_000;
export const MAX_ATTEMPTS = 10;
const BASE_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 3_600_000;

/** 5 s, 10 s, 20 s … up to an hour, with a fifth of jitter so retries of many jobs spread out. */
export function backoffMs(attempts: number, random = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export interface Claimed {
  id: string;
  lease: Date;
  attempts: number;
}

/** Claims up to `limit` due jobs; each comes back with its lease (the fence for writing its outcome). */
export async function claim<Row extends Claimed>(db: Queryable, table: OutboxTable, columns: string, limit: number, now: Date): Promise<Row[]> {
  // Microseconds dropped: the lease must compare equal after a round trip through a JS Date.
  const lease = new Date(Math.floor((now.getTime() + LEASE_MS) / 1000) * 1000);
  const { rows } = await db.query<Row>(
    `update ${table} j set lease_until = $2, attempts = j.attempts + 1
      where j.id in (select id from ${table}
                      where status = 'queued' and next_attempt_at <= $1 and (lease_until is null or lease_until < $1)
                      order by next_attempt_at, id limit $3 for update skip locked)
      returning j.id::text as id, j.lease_until as lease, j.attempts, ${columns}`,
    [now, lease, limit],
  );
  return rows;
}

/** The job failed this time: queued again after its backoff, or failed for good after the last attempt. */
export async function retryLater(db: Queryable, table: OutboxTable, job: Claimed, error: string, now: Date): Promise<'retry' | 'failed'> {
  const last = job.attempts >= MAX_ATTEMPTS;
  await db.query(
    `update ${table} set status = $3, error = $4, next_attempt_at = $5, lease_until = null where id = $1 and lease_until = $2`,
    [job.id, job.lease, last ? 'failed' : 'queued', last ? `gave up after ${job.attempts} attempts: ${error}` : error, new Date(now.getTime() + backoffMs(job.attempts))],
  );
  return last ? 'failed' : 'retry';
}

/** The job will never succeed as it is: failed, shown with its error, not retried. */
export async function failForGood(db: Queryable, table: OutboxTable, job: Claimed, error: string): Promise<void> {
  await db.query(`update ${table} set status = 'failed', error = $3, lease_until = null where id = $1 and lease_until = $2`, [job.id, job.lease, error]);
}
