import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { CacheReader } from '@/lib/cache/reader';
import type { Message } from '@/lib/domain/messages';
import { API_TOKEN_MAX_LENGTH, checkBackend, PAUSE_BETWEEN_PAGES_MAX_MS, PAUSE_BETWEEN_PAGES_MIN_MS, settingsItem, updateSettings, type BackendProblem, type Settings } from '@/lib/settings';
import { backendHostPattern } from '@/lib/settings-defaults';
import type { BackendError } from '@/lib/sync/backend-client';
import { ordersToCsv } from '@/lib/presentation/csv';
import { formatAgo, formatNumber, t, uiLocale, type MessageKey } from '@/lib/presentation/i18n';
import { buildPageReport, buildUnreadReport, reportHeader, stripUrl } from '@/lib/presentation/page-report';
import { buildRefusedReport } from '@/lib/presentation/refused-report';
import { useCacheQuery } from './use-cache-query';

type Notice = { tone: 'ok' | 'error'; text: string } | undefined;

/** Access to the backend's origin, asked for straight from the click: Chrome only prompts during a user gesture. */
async function grantBackend(backendUrl: string): Promise<boolean> {
  return browser.permissions.request({ origins: [backendHostPattern(backendUrl)] });
}

function connectionError(error: BackendError, backendUrl: string): string {
  switch (error.kind) {
    case 'unreachable':
      return t('connectionUnreachable', backendUrl);
    case 'unauthorized':
      return t('connectionTokenRejected');
    case 'not_configured':
      return t('connectionNeedsBoth');
    default:
      return t('connectionFailed', error.message);
  }
}

const PROBLEM_TEXT: Record<Exclude<BackendProblem, 'token_too_long'>, MessageKey> = { not_http: 'badBackendUrl', plain_http: 'plainHttpBackend' };

function BackendSection() {
  const [backendUrl, setBackendUrl] = useState('');
  const [apiToken, setApiToken] = useState('');
  const [notice, setNotice] = useState<Notice>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void settingsItem.getValue().then((s) => {
      setBackendUrl(s.backendUrl);
      setApiToken(s.apiToken);
    });
  }, []);

  /** The typed values, checked; undefined (with the reason shown) when they cannot be used. */
  const typed = () => {
    const checked = checkBackend({ backendUrl, apiToken });
    if ('settings' in checked) return checked.settings;
    setNotice({ tone: 'error', text: checked.problem === 'token_too_long' ? t('apiTokenTooLong', API_TOKEN_MAX_LENGTH) : t(PROBLEM_TEXT[checked.problem]) });
    return undefined;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const values = typed();
    if (!values) return;
    if (values.backendUrl && !(await grantBackend(values.backendUrl))) {
      setNotice({ tone: 'error', text: t('permissionDenied') });
      return;
    }
    await updateSettings(values);
    setNotice({ tone: 'ok', text: t('savedSyncing') });
    await browser.runtime.sendMessage({ type: 'sync-now' } satisfies Message);
    setNotice({ tone: 'ok', text: t('saved') });
  };

  const testConnection = async () => {
    const values = typed();
    if (!values) return;
    if (!values.backendUrl || !values.apiToken) {
      setNotice({ tone: 'error', text: t('connectionNeedsBoth') });
      return;
    }
    if (!(await grantBackend(values.backendUrl))) {
      setNotice({ tone: 'error', text: t('permissionDenied') });
      return;
    }
    setBusy(true);
    setNotice({ tone: 'ok', text: t('connectionTesting') });
    // The client checks answers against the API's zod schemas: loaded by this click, so the page
    // (which shares its code with the popup) opens without them.
    const { BackendError, createBackendClient } = await import('@/lib/sync/backend-client');
    try {
      const quota = await createBackendClient(values).quota();
      setNotice({ tone: 'ok', text: t('connectionOk', quota.remaining, quota.limit) });
    } catch (error) {
      setNotice({ tone: 'error', text: error instanceof BackendError ? connectionError(error, values.backendUrl) : t('connectionFailed', String(error)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="backend-title">
      <h2 id="backend-title">{t('backendTitle')}</h2>
      <form onSubmit={save}>
        <label>
          {t('backendUrlLabel')}
          <input name="backendUrl" type="url" placeholder="https://orders.example.com" value={backendUrl} onInput={(e) => setBackendUrl(e.currentTarget.value)} />
        </label>
        <label>
          {t('apiTokenLabel')}
          <input name="apiToken" type="password" autoComplete="off" value={apiToken} onInput={(e) => setApiToken(e.currentTarget.value)} />
        </label>
        <div class="buttons">
          <button type="submit" class="primary">
            {t('save')}
          </button>
          <button type="button" disabled={busy} onClick={() => void testConnection()}>
            {t('testConnection')}
          </button>
        </div>
      </form>
      {/* The page's only status region: tests and screen readers read the outcome of Save here. */}
      {notice && (
        <p class={`notice ${notice.tone}`} role="status">
          {notice.text}
        </p>
      )}
    </section>
  );
}

function SyncSection() {
  const [settings, setSettings] = useState<Settings>();
  const [pauseText, setPauseText] = useState('');
  const [message, setMessage] = useState<Notice>();

  useEffect(() => {
    void settingsItem.getValue().then((s) => {
      setSettings(s);
      setPauseText(String(s.pauseBetweenPagesMs / 1000));
    });
  }, []);

  const change = async (patch: Partial<Settings>) => {
    // Shown at once: read back after each write, a change still queued behind it would flip back.
    setSettings((shown) => shown && { ...shown, ...patch });
    await updateSettings(patch);
    setMessage({ tone: 'ok', text: t('saved') });
  };

  const savePause = () => {
    const ms = Math.round(Number(pauseText.replace(',', '.')) * 1000);
    if (!Number.isFinite(ms) || ms < PAUSE_BETWEEN_PAGES_MIN_MS || ms > PAUSE_BETWEEN_PAGES_MAX_MS) {
      setMessage({ tone: 'error', text: t('pauseOutOfRange', PAUSE_BETWEEN_PAGES_MIN_MS / 1000, PAUSE_BETWEEN_PAGES_MAX_MS / 1000) });
      return;
    }
    void change({ pauseBetweenPagesMs: ms });
  };

  if (!settings) return null;
  return (
    <section aria-labelledby="sync-title">
      <h2 id="sync-title">{t('syncTitle')}</h2>
      <label class="check">
        <input type="checkbox" checked={settings.autoSync} onChange={(e) => void change({ autoSync: e.currentTarget.checked })} />
        <span>
          {t('autoSyncLabel')}
          <small>{t('autoSyncHint')}</small>
        </span>
      </label>
      <label>
        {t('pauseLabel')}
        <span class="inline">
          <input
            type="number"
            inputMode="decimal"
            min={PAUSE_BETWEEN_PAGES_MIN_MS / 1000}
            max={PAUSE_BETWEEN_PAGES_MAX_MS / 1000}
            step={0.5}
            value={pauseText}
            aria-describedby="pause-hint"
            onInput={(e) => setPauseText(e.currentTarget.value)}
            onChange={savePause}
          />
          <span>{t('seconds')}</span>
        </span>
        <small id="pause-hint">{t('pauseHint')}</small>
      </label>
      <label class="check">
        <input type="checkbox" checked={settings.notifications} onChange={(e) => void change({ notifications: e.currentTarget.checked })} />
        <span>
          {t('notificationsLabel')}
          <small>{t('notificationsHint')}</small>
        </span>
      </label>
      {message && (
        <p class={`notice ${message.tone}`} aria-live="polite" data-testid="sync-settings-notice">
          {message.text}
        </p>
      )}
    </section>
  );
}

function download(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  // Revoked later: the download reads the blob after the click returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ExportSection({ cache }: { cache: CacheReader }) {
  const [message, setMessage] = useState('');
  const exportCsv = async () => {
    const orders = await cache.all('storeOrders');
    if (orders.length === 0) {
      setMessage(t('exportNothing'));
      return;
    }
    const now = new Date();
    // A byte order mark, so spreadsheet programs read the UTF-8 supplier names right.
    download(`ali-orders-${now.toISOString().slice(0, 10)}.csv`, `\uFEFF${ordersToCsv(orders, now)}`, 'text/csv;charset=utf-8');
    setMessage(t('exportDone', formatNumber(orders.length)));
  };
  return (
    <section aria-labelledby="export-title">
      <h2 id="export-title">{t('exportTitle')}</h2>
      <p class="muted">{t('exportHint')}</p>
      <button type="button" onClick={() => void exportCsv()}>
        {t('exportButton')}
      </button>
      {message && (
        <p class="notice ok" aria-live="polite">
          {message}
        </p>
      )}
    </section>
  );
}

function PageReportSection({ cache }: { cache: CacheReader }) {
  const problem = useCacheQuery(cache, ['meta'], () => cache.meta('pageReport'));
  const parked = useCacheQuery(cache, ['parked'], () => cache.all('parked')) ?? [];
  const unread = useCacheQuery(cache, ['unread'], () => cache.all('unread')) ?? [];
  const [copied, setCopied] = useState(false);
  const sample = problem?.sample;
  const context = { extensionVersion: browser.runtime.getManifest().version, browser: navigator.userAgent, locale: uiLocale() };
  const report = [
    problem ? buildPageReport(problem, context, sample) : reportHeader(context),
    unread.length > 0 && buildUnreadReport(unread),
    parked.length > 0 && buildRefusedReport(parked),
  ]
    .filter(Boolean)
    .join('\n\n');
  const copy = async () => {
    await navigator.clipboard.writeText(report);
    setCopied(true);
  };
  return (
    <section aria-labelledby="report-title" id="page-report">
      <h2 id="report-title">{t('reportTitle')}</h2>
      {!problem && parked.length === 0 && unread.length === 0 ? (
        <p class="muted">{t('reportNone')}</p>
      ) : (
        <>
          {problem && <p>{t(`reportSeen_${problem.kind}`, formatAgo(problem.at, new Date()), stripUrl(problem.url))}</p>}
          {unread.length > 0 && <p data-testid="report-unread">{t('reportUnread', formatNumber(unread.length))}</p>}
          {parked.length > 0 && <p>{t('reportParkedTitle')}: {parked.length}</p>}
          <p class="muted">{t('reportHint')}</p>
          <textarea readOnly rows={10} aria-label={t('reportLabel')} value={report} />
          <div class="buttons">
            <button type="button" onClick={() => void copy()}>
              {t('reportCopy')}
            </button>
            {copied && <span aria-live="polite">{t('copied')}</span>}
          </div>
        </>
      )}
    </section>
  );
}

export function Options({ cache }: { cache: CacheReader }) {
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <BackendSection />
      <SyncSection />
      <ExportSection cache={cache} />
      <PageReportSection cache={cache} />
    </main>
  );
}
