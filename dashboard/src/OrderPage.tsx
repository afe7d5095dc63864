/**
 * One store order: its state and flags with reasons, line items, AliExpress orders (status and the
 * evidence it came from), each package's full event timeline, the store fulfillments, the audit
 * history, and the merchant's actions (each says what it will do before the click).
 */
import { useEffect, useState } from 'preact/hooks';
import type { StoreOrderDetail } from '../../lib/domain/api';
import type { TimelinesResponse } from '../../lib/domain/dashboard';
import type { TrackingEvent } from '../../lib/domain/snapshot';
import { orderReasons } from '../../lib/presentation/needs-action';
import { reasonText, type EventLookup } from '../../lib/presentation/reason-text';
import { aliOrderDetailUrl } from '../../lib/presentation/links';
import { OrderActions } from './OrderActions';
import { api, errorText } from './api';
import { DeliveredHelp } from './DeliveredHelp';
import { aliStatusLabel, formatDateTime, stateLabel, trackingLabel } from './format';
import { d, type DashboardKey } from './i18n';
import { t } from '../../lib/presentation/i18n';
import { Timeline } from './Timeline';
import { TrackingModal } from './TrackingModal';

export type OrderDetail = StoreOrderDetail;
type StoreFulfillment = StoreOrderDetail['fulfillments'][number];

/** The reason texts quote the carrier's newest words; these are the events the timelines brought. */
function eventLookup(timelines: TimelinesResponse | undefined): EventLookup {
  const byOrder = new Map<string, { trackingNumber: string; events: TrackingEvent[] }[]>();
  for (const p of timelines?.packages ?? []) byOrder.set(p.aliOrderId, [...(byOrder.get(p.aliOrderId) ?? []), p]);
  return new Map([...byOrder].map(([aliOrderId, packages]) => [aliOrderId, { order: { packages } }])) as unknown as EventLookup;
}

/** An audit row's value in words: a state, a fulfillment mode, a tracking status (none: automatic again). */
function changeValue(field: OrderDetail['history'][number]['field'], value: string | null): string {
  if (value === null) return field === 'tracking_status' ? d('automatic') : '—';
  if (field === 'state') return stateLabel(value);
  if (field === 'fulfillment_mode') return d(`mode_${value}` as DashboardKey);
  return trackingLabel(value);
}

const FULFILLMENT_STATUS: Record<StoreFulfillment['status'], DashboardKey> = {
  queued: 'fulfillmentQueued',
  sent: 'fulfillmentSent',
  failed: 'fulfillmentFailed',
};

export function OrderPage({ id, version }: { id: string; version: number }) {
  const [order, setOrder] = useState<OrderDetail>();
  const [timelines, setTimelines] = useState<TimelinesResponse>();
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  const [trackingOpen, setTrackingOpen] = useState(false);

  useEffect(() => {
    let current = true;
    Promise.all([api<OrderDetail>('GET', `/v1/store-orders/${id}`), api<TimelinesResponse>('GET', `/v1/store-orders/${id}/events`)]).then(
      ([loaded, packages]) => {
        if (!current) return;
        setOrder(loaded);
        setTimelines(packages);
        setError(undefined);
      },
      (e) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [id, version, reloads]);

  if (error) return <p class="error" role="alert">{error}</p>;
  if (!order) return <p class="muted">{d('loading')}</p>;
  const now = new Date();
  const reload = () => setReloads((r) => r + 1);
  const lookup = eventLookup(timelines);
  const reasons = orderReasons(order, now);
  const packagesOf = (aliOrderId: string) => timelines?.packages.filter((p) => p.aliOrderId === aliOrderId) ?? [];

  return (
    <article class="order" aria-labelledby="order-title">
      <p>
        <a href="#/orders">{d('backToOrders')}</a>
      </p>
      <header class="order-head">
        <h1 id="order-title">{d('orderTitle', order.storeOrderNumber)}</h1>
        <span class={`state state-${order.state}`} data-testid="order-state">
          {stateLabel(order.state)}
        </span>
        {order.locked && (
          <span class="badge" data-testid="locked">
            {d(`mode_${order.fulfillmentMode}` as DashboardKey)}
          </span>
        )}
        <span data-testid="tracking-status">
          {d('trackingStatus')}: {order.trackingStatus ? trackingLabel(order.trackingStatus) : '—'}
          {order.manualTrackingStatus && <span class="muted"> ({d('setByHandNote')})</span>}
        </span>
      </header>

      <div class="order-actions">
        <OrderActions order={order} onChanged={reload} />
        <button type="button" onClick={() => setTrackingOpen(true)} data-testid="open-tracking">
          {d('trackingModalButton')}
        </button>
        {order.trackingStatus === 'delivered' && <DeliveredHelp timelines={timelines} />}
      </div>

      {order.placingError && (
        <p class="error" role="status">
          {d('placingFailedReason', order.placingError)}
        </p>
      )}

      <section aria-labelledby="flags-title">
        <h2 id="flags-title">{d('flagsTitle')}</h2>
        {reasons.length === 0 ? (
          <p class="muted">{d('noFlags')}</p>
        ) : (
          <ul class="reasons" data-testid="reasons">
            {reasons.map((r, i) => (
              <li key={i} class={`reason ${r.kind}`}>
                {reasonText(r, now, lookup)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="items-title">
        <h2 id="items-title">{d('lineItemsTitle')}</h2>
        {!order.lineItems ? (
          <p class="muted">{d('lineItemsMissing')}</p>
        ) : (
          <ul data-testid="line-items">
            {order.lineItems.map((item) => (
              <li key={item.id}>
                {item.quantity} × {item.title}
                {item.sku && <span class="muted"> · {item.sku}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="ali-title">
        <h2 id="ali-title">{d('aliOrdersTitle')}</h2>
        {order.aliOrders.length === 0 && <p class="muted">{d('notPlaced')}</p>}
        {order.aliOrders.map((a) => (
          <div key={a.aliOrderId} class="ali-order" data-testid="ali-order">
            <h3>
              {/* On the merchant's own AliExpress site, as the extension read it (www.aliexpress.com before any read). */}
              <a href={aliOrderDetailUrl(a.aliOrderId, a.aliexpressOrigin)} target="_blank" rel="noreferrer noopener" class="mono">
                {a.aliOrderId}
              </a>{' '}
              · {aliStatusLabel(a.status)}
            </h3>
            <dl class="facts">
              <dt>{d('supplier')}</dt>
              <dd>{a.supplier ?? '—'}</dd>
              <dt>{d('statusEvidence')}</dt>
              <dd data-testid="status-source">{a.statusSource ? t(`statusSource_${a.statusSource}`) : d('statusEvidenceMissing')}</dd>
              <dt>{d('paidAt')}</dt>
              <dd>{formatDateTime(a.paidAt)}</dd>
              <dt>{d('lastSeen')}</dt>
              <dd>{formatDateTime(a.lastSeenAt)}</dd>
            </dl>
            {packagesOf(a.aliOrderId).map((p) => (
              <section key={p.trackingNumber} class="package" aria-label={d('packageLabel', p.trackingNumber)}>
                <h4>
                  <span class="mono">{p.trackingNumber}</span> {p.carrier && <span class="muted">· {p.carrier}</span>} · {trackingLabel(p.trackingStatus)}
                </h4>
                <Timeline events={p.events} />
              </section>
            ))}
          </div>
        ))}
      </section>

      <section aria-labelledby="fulfillments-title">
        <h2 id="fulfillments-title">{d('fulfillmentsTitle')}</h2>
        {order.fulfillments.length === 0 ? (
          <p class="muted">{d('fulfillmentsNone')}</p>
        ) : (
          <ul data-testid="fulfillments">
            {order.fulfillments.map((f, i) => (
              <li key={i}>
                {d(FULFILLMENT_STATUS[f.status])} · <span class="mono">{f.trackingNumbers.join(', ')}</span>
                {f.error && <span class="error"> · {f.error}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">{d('historyTitle')}</h2>
        <table class="history" data-testid="history">
          <thead>
            <tr>
              <th scope="col">{d('colWhen')}</th>
              <th scope="col">{d('colWhat')}</th>
              <th scope="col">{d('colFrom')}</th>
              <th scope="col">{d('colTo')}</th>
              <th scope="col">{d('colCause')}</th>
            </tr>
          </thead>
          <tbody>
            {order.history.map((h, i) => (
              <tr key={i}>
                <td>{formatDateTime(h.at)}</td>
                <td>{d(`field_${h.field}` as DashboardKey)}</td>
                <td>{changeValue(h.field, h.from)}</td>
                <td>{changeValue(h.field, h.to)}</td>
                <td>{h.cause}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {trackingOpen && (
        <TrackingModal
          order={order}
          onClose={() => setTrackingOpen(false)}
          onChanged={() => {
            reload();
          }}
        />
      )}
    </article>
  );
}
