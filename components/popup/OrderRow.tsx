import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { OrderRefreshRecord } from '@/lib/cache/db';
import type { OrderView } from '@/lib/domain/api';
import type { Message } from '@/lib/domain/messages';
import type { StatusSource, TrackingStatus } from '@/lib/domain/snapshot';
import { formatAgo, t, type MessageKey } from '@/lib/presentation/i18n';
import { aliOrderDetailUrl, aliTrackingUrl } from '@/lib/presentation/links';
import { SEVERITY } from '@/lib/presentation/needs-action';
import type { CapturedEntry, StoreEntry } from '@/lib/presentation/order-list';
import { lastEvent, reasonText, type EventLookup } from '@/lib/presentation/reason-text';
import { MAX_REASON_LINES } from '@/lib/presentation/virtual';

const trackingKey = (s: TrackingStatus) => `tracking_${s}` as MessageKey;

function TrackingChip({ status }: { status: TrackingStatus }) {
  return <span class={`tchip t-${status}`}>{t(trackingKey(status))}</span>;
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(text);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <button type="button" class="link-button" onClick={() => void copy()} aria-label={t('copyTrackingLabel', text)}>
      <span aria-live="polite">{copied ? t('copied') : t('copy')}</span>
    </button>
  );
}

/** The merchant's AliExpress site (lib/cache/site.ts) for the links a row opens; undefined: www.aliexpress.com. */
type AliExpressOriginProp = string | undefined;

type Pkg = { trackingNumber: string; carrier?: string | null; trackingStatus: TrackingStatus; lastEventAt?: string | null };

function PackageLines({ aliOrderId, pkg, now, lookup, origin }: { aliOrderId: string; pkg: Pkg; now: Date; lookup: EventLookup; origin: AliExpressOriginProp }) {
  const event = lastEvent(lookup, aliOrderId, pkg.trackingNumber);
  return (
    <>
      <div class="line pkg">
        <span class="tracking-number" data-testid="tracking-number">
          {pkg.trackingNumber}
        </span>
        {pkg.carrier && <span class="carrier">{pkg.carrier}</span>}
        <TrackingChip status={pkg.trackingStatus} />
        <span class="actions">
          <CopyButton text={pkg.trackingNumber} />
          <a href={aliTrackingUrl(aliOrderId, origin)} target="_blank" rel="noreferrer" aria-label={t('openTrackingLabel', pkg.trackingNumber)}>
            {t('track')}
          </a>
        </span>
      </div>
      {pkg.lastEventAt && (
        <div class="line event" title={event?.text}>
          {event?.text ? t('eventWithAge', event.text, formatAgo(pkg.lastEventAt, now)) : t('lastUpdate', formatAgo(pkg.lastEventAt, now))}
        </div>
      )}
    </>
  );
}

/** Which evidence decided the AliExpress status (its code, the list tab, its buttons…), where a page read said. */
function StatusSourceNote({ source }: { source: StatusSource | undefined }) {
  return source ? <span class="muted small status-source">{t(`statusSource_${source}`)}</span> : null;
}

function AliLine({ aliOrderId, supplier, statusKey, source, origin }: { aliOrderId: string; supplier?: string | null; statusKey: MessageKey; source: StatusSource | undefined; origin: AliExpressOriginProp }) {
  return (
    <div class="line ali">
      <a href={aliOrderDetailUrl(aliOrderId, origin)} target="_blank" rel="noreferrer" class="ali-id" aria-label={t('openAliOrderLabel', aliOrderId)}>
        {aliOrderId}
      </a>
      {supplier && <span class="supplier">{supplier}</span>}
      <span class="ali-status">{t(statusKey)}</span>
      <StatusSourceNote source={source} />
    </div>
  );
}

type AliView = OrderView['aliOrders'][number];

/** The cached read's status source, when that read shows the status the backend does. */
function sourceOf(lookup: EventLookup, ali: AliView): StatusSource | undefined {
  const cached = lookup.get(ali.aliOrderId)?.order;
  return cached?.status === ali.status ? cached.statusSource : undefined;
}

/**
 * Brings this one order up to date now (seed: "click sync button in order"): Cainiao for its known
 * numbers, its AliExpress page otherwise, without spending one of the day's manual syncs.
 */
function RefreshButton({ order, record, now }: { order: OrderView; record?: OrderRefreshRecord; now: Date }) {
  const running = record?.status === 'running';
  const refresh = () => void browser.runtime.sendMessage({ type: 'order-refresh', storeOrderId: order.id } satisfies Message);
  return (
    <span class="refresh">
      {record?.status === 'done' && record.finishedAt && (
        <span class="muted small" role="status">
          {t('orderRefreshed', formatAgo(record.finishedAt, now))}
        </span>
      )}
      {record?.status === 'failed' && (
        <span class="small sev-2" role="status" title={record.problem}>
          {t('orderRefreshFailed', record.problem ?? '')}
        </span>
      )}
      <button type="button" class="link-button" onClick={refresh} disabled={running} aria-label={t('refreshOrderLabel', order.storeOrderNumber)}>
        {running ? t('refreshingOrder') : t('refreshOrder')}
      </button>
    </span>
  );
}

export function StoreOrderRow({ entry, now, lookup, refresh, origin }: { entry: StoreEntry; now: Date; lookup: EventLookup; refresh?: OrderRefreshRecord; origin?: string }) {
  const { order, reasons } = entry;
  const shown = reasons.slice(0, MAX_REASON_LINES);
  const hidden = reasons.length - shown.length;
  const all = reasons.map((r) => reasonText(r, now, lookup));
  return (
    <article class="order" data-store-order={order.storeOrderNumber} data-testid="order-row" aria-label={t('storeOrderLabel', order.storeOrderNumber)}>
      <div class="head">
        <span class="order-number">{order.storeOrderNumber}</span>
        <span class={`chip state-${order.state}`}>{t(`state_${order.state}`)}</span>
        {/* The order's own tracking status, unless its one package's chip below says the same. */}
        {order.trackingStatus && (order.manualTrackingStatus || order.aliOrders.flatMap((a) => a.packages).length > 1) && <TrackingChip status={order.trackingStatus} />}
        {order.manualTrackingStatus && <span class="muted small">{t('setByHand')}</span>}
        {!order.locked && order.aliOrders.length > 0 && <RefreshButton order={order} record={refresh?.storeOrderId === order.id ? refresh : undefined} now={now} />}
      </div>
      {shown.map((reason, i) => (
        <div key={i} class={`line reason sev-${SEVERITY[reason.kind]}`} title={all.join('\n')} data-testid="reason">
          {all[i]}
          {i === shown.length - 1 && hidden > 0 ? ` · ${t('moreReasons', hidden)}` : ''}
        </div>
      ))}
      {order.placingError && <div class="line reason sev-2">{t('placingFailed', order.placingError)}</div>}
      {order.aliOrders.length === 0 && <div class="line muted">{order.locked ? t('fulfilledByHand') : t('notPlacedYet')}</div>}
      {order.aliOrders.map((ali: AliView) => (
        <div key={ali.aliOrderId}>
          <AliLine aliOrderId={ali.aliOrderId} supplier={ali.supplier} statusKey={`ali_${ali.status}`} source={sourceOf(lookup, ali)} origin={origin} />
          {ali.packages.map((pkg) => (
            <PackageLines key={pkg.trackingNumber} aliOrderId={ali.aliOrderId} pkg={pkg} now={now} lookup={lookup} origin={origin} />
          ))}
        </div>
      ))}
    </article>
  );
}

export function CapturedRow({ entry, now, origin }: { entry: CapturedEntry; now: Date; origin?: string }) {
  const { captured } = entry;
  const own: EventLookup = new Map([[captured.aliOrderId, captured]]);
  return (
    <article class="order" data-ali-order={captured.aliOrderId} aria-label={t('aliOrderLabel', captured.aliOrderId)}>
      <div class="head">
        <a href={aliOrderDetailUrl(captured.aliOrderId, origin)} target="_blank" rel="noreferrer" class="ali-id order-number" aria-label={t('openAliOrderLabel', captured.aliOrderId)}>
          {captured.aliOrderId}
        </a>
        <span class="chip state-unlinked">{t('notLinked')}</span>
      </div>
      <div class="line ali">
        {captured.order.storeName && <span class="supplier">{captured.order.storeName}</span>}
        <span class="ali-status">{t(`ali_${captured.order.status}`)}</span>
        <StatusSourceNote source={captured.order.statusSource} />
        {entry.seenAt && <span class="muted">{t('seenAgo', formatAgo(entry.seenAt, now))}</span>}
      </div>
      {captured.order.packages.map((pkg) => (
        <PackageLines key={pkg.trackingNumber} aliOrderId={captured.aliOrderId} pkg={{ ...pkg, lastEventAt: null }} now={now} lookup={own} origin={origin} />
      ))}
    </article>
  );
}
