/**
 * The sync window: today's manual syncs left and the cooldown, as the popup shows them (the
 * backend's GET /v1/quota), and at its bottom "Sync through the AliExpress API" (seed: "click at
 * the bottom of the window"), which spends one of the same manual syncs.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AliexpressSyncResponse } from '../../lib/domain/aliexpress-account';
import { summarizeApiRead } from '../../lib/domain/api-sync-summary';
import type { QuotaResponse } from '../../lib/domain/api';
import type { QuotaState } from '../../lib/domain/quota';
import { formatClock, formatCountdown } from '../../lib/presentation/i18n';
import { apiSyncText, quotaView } from '../../lib/presentation/sync-view';
import { api, ApiError, errorText } from './api';
import { Dialog } from './Dialog';
import { d } from './i18n';

function useSecond(): Date {
  const [now, setNow] = useState(new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function SyncWindow({ onClose }: { onClose: () => void }) {
  const [quota, setQuota] = useState<{ quota: QuotaState; receivedAt: string }>();
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const now = useSecond();
  const load = () => api<QuotaResponse>('GET', '/v1/quota').then((r) => setQuota({ quota: r.quota, receivedAt: new Date().toISOString() }));
  useEffect(() => {
    void load().catch((e) => setMessage(errorText(e)));
  }, []);
  const view = quotaView(quota, now);

  const syncThroughApi = async () => {
    setBusy(true);
    setMessage(undefined);
    try {
      const answer = await api<AliexpressSyncResponse>('POST', '/v1/aliexpress-sync');
      setQuota({ quota: answer.quota, receivedAt: new Date().toISOString() });
      setMessage(apiSyncText(summarizeApiRead(answer.read)));
    } catch (e) {
      // A refusal (429) and a sync AliExpress held back (503, given back) both answer the quota.
      const body = e instanceof ApiError ? (e.body as { quota?: QuotaState } | undefined) : undefined;
      if (body?.quota) setQuota({ quota: body.quota, receivedAt: new Date().toISOString() });
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={d('syncWindowTitle')} onClose={onClose} testId="sync-window">
      <p data-testid="quota">
        {view.kind === 'unknown' && d('loading')}
        {view.kind === 'available' && d('quotaLeftToday', view.remaining, view.limit)}
        {view.kind === 'cooldown' && d('quotaCooldown', view.remaining, view.limit, formatCountdown(view.msLeft))}
        {view.kind === 'spent' && d('quotaSpentToday', view.limit, formatClock(view.until, now))}
      </p>
      <p class="muted">{d('syncWindowExtension')}</p>
      <p class="muted small">{d('syncWindowRule')}</p>
      <hr />
      <button type="button" class="primary" disabled={busy || view.kind === 'cooldown' || view.kind === 'spent'} onClick={() => void syncThroughApi()} data-testid="api-sync">
        {d('apiSyncButton')}
      </button>
      <p class="muted small">{d('apiSyncHint')}</p>
      {message && (
        <p role="status" data-testid="sync-message">
          {message}
        </p>
      )}
    </Dialog>
  );
}
