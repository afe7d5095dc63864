import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { QuotaMirror } from '@/lib/cache/db';
import type { Message, Reply } from '@/lib/domain/messages';
import type { SyncRun } from '@/lib/cache/sync-run';
import { formatAgo, formatClock, formatCountdown, t, type MessageKey } from '@/lib/presentation/i18n';
import { apiSyncText, quotaView, runProgress } from '@/lib/presentation/sync-view';

const send = (message: Message) => browser.runtime.sendMessage(message) as Promise<Reply | undefined>;

/** Why a run stopped, in the merchant's terms (the engine's own message is English and technical). */
function problemText(run: SyncRun, now: Date): string {
  const problem = run.problem;
  if (!problem) return t(`runEnded_${run.status}` as MessageKey);
  if (problem.kind === 'quota') {
    return problem.rule === 'daily_limit' ? t('refusedDailyLimit', formatClock(problem.nextAllowedAt, now)) : t('refusedCooldown', formatClock(problem.nextAllowedAt, now));
  }
  return t(`problem_${problem.kind}`);
}

function Summary({ run, now }: { run: SyncRun; now: Date }) {
  const when = formatAgo(run.finishedAt ?? run.startedAt, now);
  if (run.status === 'done') {
    return (
      <p class="summary" data-testid="sync-summary">
        {t('summaryDone', when, run.ordersSeen, run.changed, run.newTrackingNumbers)}
        {/* How the run read differently from its plan (a list tab it could not find). */}
        {run.warnings?.map((warning) => ` ${t('warningTabNotFound', warning.title)}`).join('')}
      </p>
    );
  }
  return (
    <p class="summary warn" data-testid="sync-summary">
      {t('summaryStopped', when, problemText(run, now))}
      {run.ordersSeen + run.changed > 0 ? ` ${t('summaryKept', run.ordersSeen, run.changed)}` : ''}
    </p>
  );
}

function Progress({ run }: { run: SyncRun }) {
  const [canceling, setCanceling] = useState(false);
  const share = runProgress(run);
  return (
    <div class="progress" data-testid="sync-progress" aria-live="polite">
      <div class="progress-head">
        <strong>{t(`step_${run.step}`)}</strong>
        <button
          type="button"
          disabled={canceling}
          onClick={() => {
            setCanceling(true);
            void send({ type: 'manual-sync-cancel' }).finally(() => setCanceling(false));
          }}
        >
          {canceling ? t('canceling') : t('cancel')}
        </button>
      </div>
      <progress max={1} value={share} aria-label={t('syncProgressLabel')} />
      <p class="muted small">{t('progressFigures', run.pagesLoaded, run.ordersSeen, run.watched, run.changed)}</p>
    </div>
  );
}

type ApiSyncRead = NonNullable<Extract<Reply, { ok: true }>['apiSync']>;

/**
 * At the bottom of the sync window (seed: "click at the bottom of the window"): the backend reads
 * the watched orders through the AliExpress API, on the same quota as the Sync button.
 */
function ApiSync({ disabled }: { disabled: boolean }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ read: ApiSyncRead } | { error: string }>();
  const start = async () => {
    setOutcome(undefined);
    setBusy(true);
    try {
      const reply = await send({ type: 'aliexpress-sync-start' });
      if (!reply) setOutcome({ error: t('problem_backend_unreachable') });
      else setOutcome(reply.ok ? { read: reply.apiSync ?? { asked: 0, read: 0, changed: 0, notServed: 0 } } : { error: reply.error });
    } catch (e) {
      setOutcome({ error: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="api-sync">
      <button type="button" class="link-button" data-testid="api-sync" disabled={disabled || busy} onClick={() => void start()}>
        {busy ? t('syncing') : t('apiSyncButton')}
      </button>
      {outcome && 'read' in outcome && (
        <p class="summary" data-testid="api-sync-summary">
          {apiSyncText(outcome.read)}
        </p>
      )}
      {outcome && 'error' in outcome && (
        <p class="summary bad" role="alert" data-testid="api-sync-summary">
          {outcome.error}
        </p>
      )}
    </div>
  );
}

/** `usable`: configured and online; otherwise a banner says what to fix and the button waits. */
export function SyncPanel({ run, quota, now, usable }: { run?: SyncRun; quota?: QuotaMirror; now: Date; usable: boolean }) {
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const view = quotaView(quota, now);
  const running = run?.status === 'running';
  const blocked = view.kind === 'cooldown' || view.kind === 'spent';

  const start = async () => {
    setError(undefined);
    setStarting(true);
    try {
      const reply = await send({ type: 'manual-sync-start' });
      if (reply && !reply.ok) setError(reply.error);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setStarting(false);
    }
  };

  let quotaLine = '';
  if (view.kind === 'available') quotaLine = t('quotaLeft', view.remaining, view.limit);
  else if (view.kind === 'cooldown') quotaLine = `${t('quotaLeft', view.remaining, view.limit)} · ${t('cooldown', formatCountdown(view.msLeft))}`;
  else if (view.kind === 'spent') quotaLine = t('quotaSpent', view.limit, formatClock(view.until, now));

  return (
    <section class="sync" aria-label={t('syncSectionLabel')}>
      <div class="sync-row">
        <button type="button" class="primary" disabled={running || starting || blocked || !usable} onClick={() => void start()}>
          {running || starting ? t('syncing') : t('syncButton')}
        </button>
        <span class="quota" data-testid="quota">
          {quotaLine}
        </span>
      </div>
      {error && (
        <p class="summary bad" role="alert">
          {error}
        </p>
      )}
      {run && (running ? <Progress run={run} /> : <Summary run={run} now={now} />)}
      <ApiSync disabled={running || starting || blocked || !usable} />
    </section>
  );
}
