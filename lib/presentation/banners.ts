/**
 * The banners above the orders: each says what is wrong and what to do about it. Pure: the popup
 * passes what the cache holds and whether the browser is online.
 */
import type { SyncRun } from '../cache/sync-run';
import type { BackendErrorKind, PageProblem, SyncStatus } from '../cache/db';
import { hostWaitUntil, type TrackingRefreshState } from '../cainiao/refresh-plan';

export type Banner =
  | { kind: 'offline'; waiting: number }
  | { kind: 'login'; url: string }
  | { kind: 'bot_check'; url: string }
  | { kind: 'backend_unreachable'; waiting: number }
  | { kind: 'token_rejected' }
  | { kind: 'not_configured' }
  | { kind: 'page_unknown'; url: string }
  | { kind: 'sync_error'; message: string }
  /** The backend refuses some outbox entries: `retrying` still go on their own backoff, `parked` are set aside. */
  | { kind: 'changes_refused'; retrying: number; parked: number; reason: string }
  /**
   * Cainiao's public tracking refused (`reason`: an HTTP error with its `status`, its slider
   * check, an answer that is not its JSON) at `since`: parcel refreshes wait until `until`.
   */
  | { kind: 'cainiao_backoff'; reason: NonNullable<TrackingRefreshState['lastRefusal']>['reason']; status: number; since: string; until: string };

export interface BannerInput {
  online: boolean;
  /** A backend URL and an API token are set. */
  configured: boolean;
  /** Snapshots in the outbox. */
  waiting: number;
  status?: SyncStatus;
  /** Why the last automatic pass failed, when the engine says (SyncStatus.lastErrorKind). */
  statusErrorKind?: BackendErrorKind;
  run?: SyncRun;
  pageProblem?: PageProblem;
  /** When a page was last read fine (the newest cached AliExpress order): it clears page problems. */
  lastGoodReadAt?: string;
  /** Cainiao's refresh state (meta `trackingRefresh`): whether it is being left alone, and why. */
  cainiao?: TrackingRefreshState;
  now: Date;
}

/** A page problem seen while browsing stops being news after a day. */
export const PAGE_PROBLEM_TTL_MS = 24 * 3_600_000;

const after = (a: string | undefined, b: string | undefined) => a !== undefined && (b === undefined || a > b);

/** Most pressing first; one banner per kind. */
export function banners(input: BannerInput): Banner[] {
  const { online, configured, waiting, status, run, pageProblem, lastGoodReadAt, now } = input;
  const out = new Map<Banner['kind'], Banner>();
  const add = (b: Banner) => void (out.has(b.kind) || out.set(b.kind, b));

  // Nothing syncs before this is fixed, whatever else went wrong.
  if (!configured) add({ kind: 'not_configured' });
  // The engine stops automatic passes on a refused token until the merchant changes it.
  else if (status?.needsToken) add({ kind: 'token_rejected' });

  // Offline explains every failure to reach the backend: say only that.
  if (!online) add({ kind: 'offline', waiting });

  const problem = run?.problem;
  const runEnded = run?.finishedAt ?? run?.startedAt;
  if (problem && run.status !== 'running') {
    // A page read fine since then means the merchant has logged in or passed the check.
    if ((problem.kind === 'login' || problem.kind === 'bot_check') && !after(lastGoodReadAt, runEnded)) add({ kind: problem.kind, url: problem.url });
    // A later successful pass means the backend is fine again.
    // A later successful pass means the backend is fine again. (Token and settings problems are
    // told by the settings and SyncStatus.needsToken above, which follow the merchant's fix.)
    if (problem.kind === 'backend_unreachable' && online && !after(status?.lastSyncAt, runEnded)) add({ kind: 'backend_unreachable', waiting });
  }

  if (pageProblem && after(pageProblem.at, lastGoodReadAt) && now.getTime() - Date.parse(pageProblem.at) < PAGE_PROBLEM_TTL_MS) {
    if (pageProblem.kind === 'unknown') add({ kind: 'page_unknown', url: pageProblem.url });
    else add({ kind: pageProblem.kind, url: pageProblem.url });
  }

  if (status?.lastError && after(status.lastErrorAt, status.lastSyncAt)) {
    switch (input.statusErrorKind) {
      case 'unreachable':
      case 'unavailable':
        if (online) add({ kind: 'backend_unreachable', waiting });
        break;
      case 'unauthorized':
        add({ kind: 'token_rejected' });
        break;
      case 'not_configured':
        add({ kind: 'not_configured' });
        break;
      default:
        // Unclassified (or an engine that does not say yet): its own words, which say what to do.
        if (online && !status.needsToken && configured && !out.has('backend_unreachable')) {
          add({ kind: 'sync_error', message: status.lastError });
        }
    }
  }
  // The pass went through, but not all of what was read reached the backend.
  const refused = status?.refused;
  if (refused && (refused.retrying > 0 || refused.parked > 0)) add({ kind: 'changes_refused', ...refused });
  const until = input.cainiao && hostWaitUntil(input.cainiao, now);
  const refusal = input.cainiao?.lastRefusal;
  if (until && refusal && input.cainiao?.lastErrorAt) add({ kind: 'cainiao_backoff', reason: refusal.reason, status: refusal.status, since: input.cainiao.lastErrorAt, until });
  const order: Banner['kind'][] = ['offline', 'token_rejected', 'not_configured', 'backend_unreachable', 'login', 'bot_check', 'sync_error', 'changes_refused', 'cainiao_backoff', 'page_unknown'];
  return [...out.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}
