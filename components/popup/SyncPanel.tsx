import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { QuotaMirror } from '@/lib/cache/db';
import type { Message, Reply } from '@/lib/domain/messages';
import type { SyncRun } from '@/lib/cache/sync-run';
import { formatAgo, formatClock, formatCountdown, t, type MessageKey } from '@/lib/presentation/i18n';
import { quotaView, runProgress } from '@/lib/presentation/sync-view';

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
    </section>
  );
}
