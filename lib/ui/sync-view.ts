/**
 * What the Sync button area says before, during and after a manual sync: the quota mirrored from
 * the backend's last answer (the backend stays the authority), the cooldown, the running sync.
 */
import type { QuotaMirror } from '../cache/db';
import { MANUAL_SYNC_COOLDOWN_MS } from '../domain/quota-rules';
import type { SyncRun } from '../domain/sync-run';

export type QuotaView =
  /** The backend has not told us yet: the button is offered, the backend will decide. */
  | { kind: 'unknown' }
  | { kind: 'available'; remaining: number; limit: number }
  | { kind: 'cooldown'; remaining: number; limit: number; until: string; msLeft: number }
  | { kind: 'spent'; limit: number; until: string };

/**
 * The quota at `now` from the backend's last word. It ages: a new day brings the day's syncs back
 * and a cooldown runs out, without asking the backend again.
 */
export function quotaView(mirror: QuotaMirror | undefined, now: Date): QuotaView {
  if (!mirror) return { kind: 'unknown' };
  const q = mirror.quota;
  const t = now.getTime();
  const newDay = t >= Date.parse(q.resetsAt);
  const remaining = newDay ? q.limit : q.remaining;
  if (remaining <= 0) return { kind: 'spent', limit: q.limit, until: q.resetsAt };
  // The cooldown is real time from the last sync, so it holds across midnight too.
  const cooldownEnds = Math.max(
    q.blockedBy === 'cooldown' && q.nextAllowedAt ? Date.parse(q.nextAllowedAt) : 0,
    q.lastSyncAt ? Date.parse(q.lastSyncAt) + MANUAL_SYNC_COOLDOWN_MS : 0,
  );
  if (cooldownEnds > t) return { kind: 'cooldown', remaining, limit: q.limit, until: new Date(cooldownEnds).toISOString(), msLeft: cooldownEnds - t };
  return { kind: 'available', remaining, limit: q.limit };
}

/** The run to show: the newest by start time. */
export function latestRun(runs: readonly SyncRun[]): SyncRun | undefined {
  let latest: SyncRun | undefined;
  for (const run of runs) if (!latest || run.startedAt > latest.startedAt) latest = run;
  return latest;
}

/** How far a running sync is, 0..1, when it can tell (orders seen of those watched). */
export function runProgress(run: SyncRun): number | undefined {
  if (run.watched === 0) return undefined;
  return Math.min(1, run.ordersSeen / run.watched);
}
