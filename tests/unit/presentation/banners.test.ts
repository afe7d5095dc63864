import { describe, expect, it } from 'vitest';
import type { SyncRun } from '../../../lib/cache/sync-run';
import { banners, type BannerInput } from '../../../lib/presentation/banners';
import { HOUR, NOW, ago } from './orders';

const base: BannerInput = { online: true, configured: true, waiting: 0, now: NOW };
const kinds = (input: Partial<BannerInput>) => banners({ ...base, ...input }).map((b) => b.kind);
const failed = (problem: SyncRun['problem'], finishedAt = ago(60_000)): SyncRun => ({
  id: 'r', status: 'failed', step: 'reading_order_list', startedAt: ago(120_000), finishedAt, pagesLoaded: 1, watched: 1, ordersSeen: 0, changed: 0, newTrackingNumbers: 0, problem,
});

describe('banners', () => {
  it('none when all is well', () => expect(kinds({})).toEqual([]));

  it("Cainiao's backoff: when it refused, why, and until when the refresh waits; gone once the wait is over", () => {
    const since = ago(10 * 60_000);
    const until = new Date(NOW.getTime() + 20 * 60_000).toISOString();
    const refused = (reason: 'http_error' | 'slider_check', status: number) => ({
      failures: 1, batchSize: 30, numbers: {}, retryAt: until, lastError: 'x', lastErrorAt: since, lastRefusal: { reason, status },
    });
    expect(banners({ ...base, cainiao: refused('http_error', 503) })).toEqual([{ kind: 'cainiao_backoff', reason: 'http_error', status: 503, since, until }]);
    expect(banners({ ...base, cainiao: refused('slider_check', 200) })).toEqual([{ kind: 'cainiao_backoff', reason: 'slider_check', status: 200, since, until }]);
    expect(kinds({ cainiao: { ...refused('http_error', 503), retryAt: ago(1000) } })).toEqual([]);
    expect(kinds({ cainiao: { failures: 0, batchSize: 30, numbers: {} } })).toEqual([]);
  });

  it('a pass that went through while the backend refuses some changes says so, with its reason', () => {
    const refused = { retrying: 1, parked: 2, reason: 'The backend refused the request: text holds a NUL' };
    expect(banners({ ...base, status: { lastSyncAt: ago(60_000), refused } })).toEqual([{ kind: 'changes_refused', ...refused }]);
  });

  it('offline, with the changes waiting; it hides the backend being unreachable', () => {
    expect(banners({ ...base, online: false, waiting: 3, run: failed({ kind: 'backend_unreachable', message: '' }) })).toEqual([{ kind: 'offline', waiting: 3 }]);
  });

  it('settings first: not configured, or a token the backend refused', () => {
    expect(kinds({ configured: false })).toEqual(['not_configured']);
    expect(kinds({ status: { lastSyncAt: ago(HOUR), lastError: 'x', lastErrorAt: ago(60_000), needsToken: true } })).toEqual(['token_rejected']);
  });

  it('a login page or bot check stops mattering once a page was read fine after it', () => {
    const run = failed({ kind: 'login', message: '', url: 'https://login.aliexpress.com/' });
    expect(kinds({ run })).toEqual(['login']);
    expect(kinds({ run, lastGoodReadAt: ago(0) })).toEqual([]);
    expect(kinds({ pageProblem: { kind: 'bot_check', url: 'https://www.aliexpress.com/', at: ago(HOUR), warnings: [] } })).toEqual(['bot_check']);
    expect(kinds({ pageProblem: { kind: 'unknown', url: 'https://www.aliexpress.com/', at: ago(30 * HOUR), warnings: [] } })).toEqual([]);
  });

  it('backend unreachable until a later pass succeeds; an unclassified error in its own words', () => {
    const run = failed({ kind: 'backend_unreachable', message: '' });
    expect(kinds({ run, waiting: 2 })).toEqual(['backend_unreachable']);
    expect(kinds({ run, status: { lastSyncAt: ago(0) } })).toEqual([]);
    expect(kinds({ status: { lastError: 'down', lastErrorAt: ago(0) }, statusErrorKind: 'unreachable' })).toEqual(['backend_unreachable']);
    expect(banners({ ...base, status: { lastError: 'The backend is busy', lastErrorAt: ago(0) } })).toEqual([{ kind: 'sync_error', message: 'The backend is busy' }]);
  });
});
