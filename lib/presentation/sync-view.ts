/**
 * What the Sync button area says before, during and after a manual sync: the quota mirrored from
 * the backend's last answer (the backend stays the authority), the cooldown, the running sync.
 */
import type { QuotaMirror } from '../cache/db';
import { quotaState, usageOf } from '../domain/quota-rules';
import type { SyncRun } from '../cache/sync-run';
import type { ApiSyncSummary } from '../domain/api-sync-summary';
import { t } from './i18n';

export type QuotaView =
  /** The backend has not told us yet: the button is offered, the backend will decide. */
  | { kind: 'unknown' }
  | { kind: 'available'; remaining: number; limit: number }
  | { kind: 'cooldown'; remaining: number; limit: number; until: string; msLeft: number }
  | { kind: 'spent'; limit: number; until: string };

/**
 * The quota at `now` from the backend's last word, by the same rules the backend decides with
 * (lib/domain/quota-rules.ts). It ages: a new day brings the day's syncs back and a cooldown runs
 * out, without asking the backend again.
 */
export function quotaView(mirror: QuotaMirror | undefined, now: Date): QuotaView {
  if (!mirror) return { kind: 'unknown' };
  const state = quotaState(usageOf(mirror.quota), now, mirror.quota.timezone);
  if (state.blockedBy === 'daily_limit') return { kind: 'spent', limit: state.limit, until: state.nextAllowedAt! };
  if (state.blockedBy === 'cooldown') {
    const until = state.nextAllowedAt!;
    return { kind: 'cooldown', remaining: state.remaining, limit: state.limit, until, msLeft: Date.parse(until) - now.getTime() };
  }
  return { kind: 'available', remaining: state.remaining, limit: state.limit };
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

/** What a sync through the AliExpress API came to, as the popup and the dashboard's sync window say it. */
export function apiSyncText(summary: ApiSyncSummary): string {
  const done = t('apiSyncDone', summary.read, summary.asked, summary.changed);
  return summary.notServed > 0 ? `${done} ${t('apiSyncNotServed', summary.notServed)}` : done;
}
