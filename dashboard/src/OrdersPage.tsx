/**
 * The order screen: DSers' eight tabs with their counts, Needs action, the AliExpress orders no
 * store order links to, search, and server-side paging. Refetches when the live version moves.
 */
import { useEffect, useState } from 'preact/hooks';
import { isReorderable } from '../../lib/dashboard/order-actions';
import type { OrdersResponse, OrderView } from '../../lib/domain/api';
import type { OrderCounts, UnlinkedResponse } from '../../lib/domain/dashboard';
import { DSERS_STATES } from '../../lib/domain/store-order-rules';
import { formatNumber, t } from '../../lib/presentation/i18n';
import { orderReasons } from '../../lib/presentation/needs-action';
import { reasonText } from '../../lib/presentation/reason-text';
import { api, ApiError, errorText } from './api';
import { Dialog } from './Dialog';
import { aliStatusLabel, formatDateTime, stateLabel, trackingLabel } from './format';
import { d } from './i18n';
import { ordersHref } from './route';

export const PAGE_SIZE = 50;
const NO_EVENTS = new Map();

type Tab = 'all' | 'needs_action' | 'unlinked' | (typeof DSERS_STATES)[number];
const TABS: Tab[] = ['all', ...DSERS_STATES, 'needs_action', 'unlinked'];
const asTab = (tab: string): Tab => (TABS.includes(tab as Tab) ? (tab as Tab) : 'all');

function tabLabel(tab: Tab): string {
  if (tab === 'all') return t('tab_all');
  if (tab === 'needs_action') return t('tab_needs_action');
  if (tab === 'unlinked') return t('tab_unlinked');
  return stateLabel(tab);
}

function ordersPath(tab: Tab, q: string, cursor?: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (tab !== 'all' && tab !== 'needs_action') params.set('state', tab);
  if (q) params.set('q', q);
  if (cursor) params.set('cursor', cursor);
  return `${tab === 'needs_action' ? '/v1/needs-action' : '/v1/orders'}?${params}`;
}

function Reasons({ order, now }: { order: OrderView; now: Date }) {
  const reasons = orderReasons(order, now);
  if (reasons.length === 0) return <span class="muted">—</span>;
  return (
    <ul class="reasons">
      {reasons.map((r, i) => (
        <li key={i} class={`reason ${r.kind}`}>
          {reasonText(r, now, NO_EVENTS)}
        </li>
      ))}
    </ul>
  );
}

function OrderRows({ orders, selectable, selected, onSelect }: {
  orders: OrderView[];
  selectable: boolean;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
}) {
  const now = new Date();
  return (
    <table class="orders" data-testid="orders-table">
      <thead>
        <tr>
          {selectable && <th scope="col"><span class="visually-hidden">{d('select')}</span></th>}
          <th scope="col">{d('colStoreOrder')}</th>
          <th scope="col">{d('colState')}</th>
          <th scope="col">{d('colAliOrders')}</th>
          <th scope="col">{d('colTracking')}</th>
          <th scope="col">{d('flagsTitle')}</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.id} data-testid="order-row">
            {selectable && (
              <td>
                {isReorderable(o) && (
                  <input
                    type="checkbox"
                    aria-label={d('selectOrder', o.storeOrderNumber)}
                    checked={selected.has(o.id)}
                    onChange={(e) => onSelect(o.id, e.currentTarget.checked)}
                  />
                )}
              </td>
            )}
            <td>
              <a href={`#/orders/${o.id}`}>{o.storeOrderNumber}</a>
              {o.locked && <span class="badge">{d('locked')}</span>}
            </td>
            <td>{stateLabel(o.state)}</td>
            <td>
              {o.aliOrders.length === 0 ? (
                <span class="muted">{d('notPlaced')}</span>
              ) : (
                o.aliOrders.map((a) => (
                  <div key={a.aliOrderId} class="mono">
                    {a.aliOrderId} <span class="muted">· {aliStatusLabel(a.status)}</span>
                  </div>
                ))
              )}
            </td>
            <td>
              {o.aliOrders.flatMap((a) => a.packages).map((p) => (
                <div key={p.trackingNumber}>
                  <span class="mono" data-testid="tracking-number">
                    {p.trackingNumber}
                  </span>{' '}
                  <span class="muted">· {trackingLabel(p.trackingStatus)}</span>
                </div>
              ))}
              {o.manualTrackingStatus && <div class="muted small">{d('manualStatus', trackingLabel(o.manualTrackingStatus))}</div>}
            </td>
            <td>
              <Reasons order={o} now={now} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function UnlinkedRows({ data }: { data: UnlinkedResponse }) {
  return (
    <table class="orders" data-testid="unlinked-table">
      <thead>
        <tr>
          <th scope="col">{d('colAliOrder')}</th>
          <th scope="col">{d('colSupplier')}</th>
          <th scope="col">{d('colAliStatus')}</th>
          <th scope="col">{d('colTracking')}</th>
          <th scope="col">{d('colLastSeen')}</th>
        </tr>
      </thead>
      <tbody>
        {data.aliOrders.map((a) => (
          <tr key={a.aliOrderId} data-testid="order-row">
            <td class="mono">{a.aliOrderId}</td>
            <td>{a.supplier ?? '—'}</td>
            <td>{aliStatusLabel(a.status)}</td>
            <td class="mono">{a.trackingNumbers.join(', ') || '—'}</td>
            <td>{formatDateTime(a.lastSeenAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BulkReorder({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await api('POST', '/v1/store-orders/reorder', { ids });
      setOpen(false);
      onDone();
    } catch (e) {
      setMessage(e instanceof ApiError && e.missing ? d('apiMissing', 'POST /v1/store-orders/reorder') : errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={ids.length === 0} onClick={() => setOpen(true)} data-testid="bulk-reorder">
        {d('bulkReorder', ids.length)}
      </button>
      {open && (
        <Dialog title={d('bulkReorderTitle', ids.length)} onClose={() => setOpen(false)}>
          <ul class="consequences">
            <li>{d('consequenceReorder1')}</li>
            <li>{d('consequenceReorder2')}</li>
          </ul>
          {message && <p class="error" role="alert">{message}</p>}
          <button type="button" class="primary" disabled={busy} onClick={() => void run()}>
            {d('bulkReorderConfirm')}
          </button>
        </Dialog>
      )}
    </>
  );
}

export function OrdersPage({ tab: tabParam, q, version }: { tab: string; q: string; version: number }) {
  const tab = asTab(tabParam);
  const [counts, setCounts] = useState<OrderCounts>();
  const [orders, setOrders] = useState<OrderView[]>();
  const [unlinked, setUnlinked] = useState<UnlinkedResponse>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [search, setSearch] = useState(q);
  const [selected, setSelected] = useState(new Set<string>());
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    void api<OrderCounts>('GET', '/v1/order-counts').then(setCounts, (e) => setError(errorText(e)));
  }, [version, reloads]);

  useEffect(() => {
    setError(undefined);
    let current = true;
    if (tab === 'unlinked') {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (q) params.set('q', q);
      void api<UnlinkedResponse>('GET', `/v1/unlinked-ali-orders?${params}`).then(
        (r) => current && setUnlinked(r),
        (e) => current && setError(errorText(e)),
      );
    } else {
      void api<OrdersResponse>('GET', ordersPath(tab, q)).then(
        (r) => {
          if (!current) return;
          setOrders(r.orders);
          setCursor(r.nextCursor);
        },
        (e) => current && setError(errorText(e)),
      );
    }
    return () => {
      current = false;
    };
  }, [tab, q, version, reloads]);

  useEffect(() => setSelected(new Set()), [tab, q]);

  const more = async () => {
    if (!cursor) return;
    const r = await api<OrdersResponse>('GET', ordersPath(tab, q, cursor));
    setOrders((o) => [...(o ?? []), ...r.orders]);
    setCursor(r.nextCursor);
  };

  const count = (which: Tab): number | undefined => {
    if (!counts) return undefined;
    if (which === 'all') return counts.all;
    if (which === 'unlinked') return counts.unlinked;
    if (which === 'needs_action') return counts.needsAction;
    return counts.states[which];
  };

  const bulk = tab === 'canceled' || tab === 'failed';
  const list = tab === 'unlinked' ? unlinked?.aliOrders : orders;

  return (
    <section aria-labelledby="orders-title">
      <h1 id="orders-title" class="visually-hidden">
        {d('navOrders')}
      </h1>
      <nav class="tabs" aria-label={t('tabsLabel')}>
        {TABS.map((each) => {
          const n = count(each);
          return (
            <a key={each} href={ordersHref(each, q)} aria-current={each === tab ? 'page' : undefined} data-tab={each}>
              {tabLabel(each)}
              {n !== undefined && (
                <span class="count" data-testid={`count-${each}`}>
                  {formatNumber(n)}
                </span>
              )}
            </a>
          );
        })}
      </nav>
      <form
        class="search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          location.hash = ordersHref(tab, search.trim());
        }}
      >
        <label for="search">{t('searchLabel')}</label>
        <input id="search" type="search" value={search} placeholder={t('searchPlaceholder')} maxLength={100} onInput={(e) => setSearch(e.currentTarget.value)} />
        <button type="submit">{d('search')}</button>
        {q && (
          <a href={ordersHref(tab)} onClick={() => setSearch('')}>
            {d('clearSearch')}
          </a>
        )}
      </form>
      {bulk && (
        <div class="bulk">
          <BulkReorder ids={[...selected]} onDone={() => setReloads((r) => r + 1)} />
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {list === undefined && !error && <p class="muted">{d('loading')}</p>}
      {list?.length === 0 && <p class="muted" data-testid="empty">{q ? t('noMatch', q) : t('tabEmpty')}</p>}
      {tab === 'unlinked'
        ? unlinked && unlinked.aliOrders.length > 0 && <UnlinkedRows data={unlinked} />
        : orders &&
          orders.length > 0 && (
            <OrderRows
              orders={orders}
              selectable={bulk}
              selected={selected}
              onSelect={(id, on) =>
                setSelected((s) => {
                  const next = new Set(s);
                  if (on) next.add(id);
                  else next.delete(id);
                  return next;
                })
              }
            />
          )}
      {tab !== 'unlinked' && cursor && (
        <button type="button" onClick={() => void more()} data-testid="more">
          {d('loadMore')}
        </button>
      )}
    </section>
  );
}
