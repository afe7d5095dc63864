import { describe, expect, it } from 'vitest';
import type { QuotaState } from '../../../lib/domain/quota';
import { latestRun, quotaView, runProgress } from '../../../lib/presentation/sync-view';
import type { SyncRun } from '../../../lib/cache/sync-run';
import { HOUR, NOW, ago } from './orders';

const q = (over: Partial<QuotaState> = {}): QuotaState => ({
  limit: 10,
  used: 3,
  remaining: 7,
  day: '2026-07-20',
  timezone: 'UTC',
  lastSyncAt: ago(3 * HOUR),
  nextAllowedAt: null,
  blockedBy: null,
  resetsAt: '2026-07-21T00:00:00.000Z',
  ...over,
});
const mirror = (quota: QuotaState) => ({ quota, receivedAt: ago(HOUR) });

describe('quotaView', () => {
  it('"7 of 10 left today" when a sync may start', () => {
    expect(quotaView(mirror(q()), NOW)).toEqual({ kind: 'available', remaining: 7, limit: 10 });
    expect(quotaView(undefined, NOW)).toEqual({ kind: 'unknown' });
  });

  it('counts a cooldown down from the last sync, even when the mirror said "allowed"', () => {
    const view = quotaView(mirror(q({ lastSyncAt: ago(60_000) })), NOW);
    expect(view).toMatchObject({ kind: 'cooldown', remaining: 7, msLeft: 9 * 60_000 });
  });

  it('spent until the next day; a new day brings the syncs back', () => {
    const spent = mirror(q({ used: 10, remaining: 0, blockedBy: 'daily_limit', nextAllowedAt: '2026-07-21T00:00:00.000Z' }));
    expect(quotaView(spent, NOW)).toEqual({ kind: 'spent', limit: 10, until: '2026-07-21T00:00:00.000Z' });
    expect(quotaView(spent, new Date('2026-07-21T00:00:01Z'))).toEqual({ kind: 'available', remaining: 10, limit: 10 });
  });
});

const run = (id: string, startedAt: string, over: Partial<SyncRun> = {}): SyncRun => ({
  id, status: 'done', step: 'finished', startedAt, pagesLoaded: 0, watched: 0, ordersSeen: 0, changed: 0, newTrackingNumbers: 0, ...over,
});

describe('runs', () => {  it('shows the newest run, and how far a running one is', () => {
    expect(latestRun([run('a', ago(HOUR)), run('b', ago(60_000)), run('c', ago(2 * HOUR))])?.id).toBe('b');
    expect(runProgress(run('a', ago(0), { watched: 20, ordersSeen: 5 }))).toBe(0.25);
    expect(runProgress(run('a', ago(0)))).toBeUndefined();
  });
});
