import { useMemo, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { CachedAliOrder } from '@/lib/cache/db';
import type { CacheReader } from '@/lib/cache/reader';
import { lastGoodReadAt as goodReadAt, seenLookup } from '@/lib/cache/seen';
import { banners as computeBanners } from '@/lib/presentation/banners';
import { formatAgo, formatNumber, t, type MessageKey } from '@/lib/presentation/i18n';
import { capturedEntries, initialTab, selectEntries, storeEntries, tabCounts, visibleTabs, type Entry, type Tab } from '@/lib/presentation/order-list';
import type { EventLookup } from '@/lib/presentation/reason-text';
import { rowHeight } from '@/lib/presentation/virtual';
import { Banners } from './popup/Banners';
import { CapturedRow, StoreOrderRow } from './popup/OrderRow';
import { SyncPanel } from './popup/SyncPanel';
import { VirtualList } from './popup/VirtualList';
import { useCacheQuery } from './use-cache-query';
import { useNow, useOnline } from './use-now';
import { useSettings } from './use-settings';

/**
 * Shown from a cheap indexed query while the whole cache loads, so the popup never opens blank.
 * The popup has room for about five rows; rendering more would only delay the first paint.
 */
const FIRST_ROWS = 10;
const MINUTE = 60_000;

const tabLabel = (tab: Tab): string => t(tab === 'needs_action' || tab === 'all' || tab === 'unlinked' ? (`tab_${tab}` as MessageKey) : `state_${tab}`);

function Tabs({ tabs, counts, current, onSelect }: { tabs: Tab[]; counts?: Record<Tab, number>; current: Tab; onSelect: (tab: Tab) => void }) {
  // Arrow keys move between tabs, as in every tab list (WAI-ARIA): one Tab stop for the whole strip.
  const onKeyDown = (event: KeyboardEvent) => {
    const i = tabs.indexOf(current);
    const next = event.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : event.key === 'ArrowLeft' ? tabs[(i - 1 + tabs.length) % tabs.length] : undefined;
    if (!next) return;
    event.preventDefault();
    onSelect(next);
    (event.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-tab="${next}"]`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={t('tabsLabel')} onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          data-tab={tab}
          id={`tab-${tab}`}
          aria-selected={tab === current}
          aria-controls="order-list"
          tabIndex={tab === current ? 0 : -1}
          class={`tab${tab === 'needs_action' && (counts?.needs_action ?? 0) > 0 ? ' alert' : ''}`}
          onClick={() => onSelect(tab)}
        >
          {tabLabel(tab)} <span class="count">{counts ? formatNumber(counts[tab]) : '…'}</span>
        </button>
      ))}
    </div>
  );
}

export function Popup({ cache, clock }: { cache: CacheReader; clock?: () => Date }) {
  const now = useNow(1000, clock);
  // Flags change by the minute at most; recomputing them for 5,000 orders every second is waste.
  const flagMinute = Math.floor(now.getTime() / MINUTE);
  const online = useOnline();
  const settings = useSettings();

  const firstRows = useCacheQuery(cache, ['storeOrders'], () => cache.last('storeOrders', 'storeOrderNumber', FIRST_ROWS));
  const storeOrders = useCacheQuery(cache, ['storeOrders'], () => cache.all('storeOrders'));
  const capturedKeys = useCacheQuery(cache, ['aliOrders'], () => cache.keys('aliOrders'));
  const status = useCacheQuery(cache, ['meta'], () => cache.meta('syncStatus'));
  const quota = useCacheQuery(cache, ['meta'], () => cache.meta('quota'));
  const pageProblem = useCacheQuery(cache, ['meta'], () => cache.meta('lastPageProblem'));
  const orderRefresh = useCacheQuery(cache, ['meta'], () => cache.meta('orderRefresh'));
  // Links open the merchant's own AliExpress site (www.aliexpress.us, es.aliexpress.com …).
  const origin = useCacheQuery(cache, ['meta'], () => cache.meta('aliexpressOrigin'))?.origin;
  const cainiao = useCacheQuery(cache, ['meta'], () => cache.meta('trackingRefresh'));
  const waiting = useCacheQuery(cache, ['outbox'], () => cache.count('outbox')) ?? 0;
  const run = useCacheQuery(cache, ['syncRuns'], async () => (await cache.last('syncRuns', 'startedAt', 1))[0]);
  const seenLog = useCacheQuery(cache, ['seen'], () => cache.all('seen'));
  const seenAt = useMemo(() => seenLookup(seenLog ?? []), [seenLog]);
  const recordedGoodRead = useCacheQuery(cache, ['meta'], () => cache.meta('lastGoodReadAt'));
  const lastGoodReadAt = useMemo(() => goodReadAt(seenLog ?? [], recordedGoodRead), [seenLog, recordedGoodRead]);

  const linked = useMemo(() => new Set(storeOrders?.flatMap((o) => o.aliOrderIds)), [storeOrders]);
  // Until the store orders are read, every captured order would look unlinked: wait for both.
  const unlinkedIds = useMemo(() => (storeOrders && capturedKeys ? capturedKeys.filter((id) => !linked.has(id)) : undefined), [storeOrders, capturedKeys, linked]);
  const unlinked = useCacheQuery(
    cache,
    ['aliOrders'],
    async () => (unlinkedIds ? (await cache.get('aliOrders', unlinkedIds)).filter((c): c is CachedAliOrder => !!c) : undefined),
    [unlinkedIds?.join()],
  );

  const stores = useMemo(() => (storeOrders ? storeEntries(storeOrders, new Date(flagMinute * MINUTE)) : undefined), [storeOrders, flagMinute]);
  const captured = useMemo(() => capturedEntries(unlinked ?? [], linked, seenAt), [unlinked, linked, seenAt]);
  const counts = useMemo(() => (stores ? tabCounts(stores, captured) : undefined), [stores, captured]);

  const [chosenTab, setTab] = useState<Tab>();
  const [query, setQuery] = useState('');
  const tab = chosenTab ?? (counts ? initialTab(counts) : 'all');
  const entries = useMemo(() => (stores ? selectEntries(stores, captured, tab, query) : undefined), [stores, captured, tab, query]);

  // The carriers' own words for the rows in view only: the cache holds them per AliExpress order.
  const [inView, setInView] = useState('');
  const inViewIds = inView ? inView.split(',') : [];
  const visibleAli = useCacheQuery(cache, ['aliOrders'], () => cache.get('aliOrders', inViewIds), [inView]);
  const lookup: EventLookup = useMemo(() => new Map((visibleAli ?? []).filter((c): c is CachedAliOrder => !!c).map((c) => [c.aliOrderId, c])), [visibleAli]);
  const onRange = (shown: readonly Entry[]) => {
    const ids = shown.flatMap((e) => (e.type === 'store' ? e.order.aliOrderIds : [])).join(',');
    if (ids !== inView) setInView(ids);
  };

  const statusErrorKind = status?.lastErrorKind;
  // Until the settings are read, assume configured: a wrong "not configured" flash would alarm.
  const configured = !settings || (!!settings.backendUrl && !!settings.apiToken);
  const shownBanners = computeBanners({ online, configured, waiting, status, statusErrorKind, run, pageProblem, lastGoodReadAt, ...(cainiao && { cainiao }), now });
  const tabs = counts ? visibleTabs(counts) : (['needs_action', 'all'] as Tab[]);
  const empty = storeOrders?.length === 0 && unlinked?.length === 0;

  return (
    <main class={`popup${empty ? ' compact' : ''}`}>
      <header class="top">
        <h1>{t('extName')}</h1>
        <button type="button" class="icon-button" onClick={() => void browser.runtime.openOptionsPage()} aria-label={t('openSettings')} title={t('openSettings')}>
          ⚙
        </button>
      </header>
      <SyncPanel run={run} quota={quota} now={now} usable={configured && online} />
      <p class="sync-status" data-testid="sync-status">
        {status?.lastSyncAt ? t('lastAutoSync', formatAgo(status.lastSyncAt, now)) : t('notSyncedYet')}
        {waiting > 0 && online ? ` · ${t('changesWaiting', waiting)}` : ''}
      </p>
      <Banners banners={shownBanners} now={now} />
      {empty ? (
        <p class="empty">{t('emptyNoOrders')}</p>
      ) : (
        <>
          <input
            type="search"
            class="search"
            value={query}
            onInput={(e) => setQuery(e.currentTarget.value)}
            aria-label={t('searchLabel')}
            placeholder={t('searchPlaceholder')}
          />
          <Tabs tabs={tabs} counts={counts} current={tab} onSelect={setTab} />
          <div id="order-list" role="tabpanel" aria-labelledby={`tab-${tab}`} class="panel">
            {!entries ? (
              <>
                <p class="muted small" role="status">
                  {t('loadingOrders')}
                </p>
                <ul class="orders static">
                  {firstRows?.map((order) => (
                    <li key={order.id} class="row static">
                      <StoreOrderRow entry={{ type: 'store', key: order.id, order, reasons: [], needsAction: false, haystack: '' }} now={now} lookup={lookup} origin={origin} />
                    </li>
                  ))}
                </ul>
              </>
            ) : entries.length === 0 ? (
              <p class="empty">{query ? t('noMatch', query) : tab === 'needs_action' ? t('nothingNeedsAction') : t('tabEmpty')}</p>
            ) : (
              <VirtualList
                items={entries}
                heightOf={rowHeight}
                keyOf={(e) => e.key}
                onRange={onRange}
                label={tabLabel(tab)}
                render={(e) => (e.type === 'store' ? <StoreOrderRow entry={e} now={now} lookup={lookup} refresh={orderRefresh} origin={origin} /> : <CapturedRow entry={e} now={now} origin={origin} />)}
              />
            )}
          </div>
        </>
      )}
    </main>
  );
}
