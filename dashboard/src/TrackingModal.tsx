/**
 * The tracking modal (seed: "Click the Re-track button in the tracking modal"): a status set by
 * hand, for the merchant's reference only, and Re-track, which drops it and asks for live data.
 */
import { useState } from 'preact/hooks';
import type { OrderView } from '../../lib/domain/api';
import { trackingStatusSchemaValues } from './tracking-statuses';
import { api } from './api';
import { Dialog } from './Dialog';
import { trackingLabel } from './format';
import { d } from './i18n';
import { useAction } from './use-action';

export function TrackingModal({ order, onClose, onChanged }: { order: OrderView; onClose: () => void; onChanged: () => void }) {
  const [status, setStatus] = useState(order.manualTrackingStatus ?? order.trackingStatus ?? 'in_transit');
  const [message, busy, run] = useAction();
  const act = (request: () => Promise<unknown>, done: string) =>
    run(async () => {
      await request();
      onChanged();
    }, done);
  return (
    <Dialog title={d('trackingModalTitle', order.storeOrderNumber)} onClose={onClose} testId="tracking-modal">
      <p>
        {d('trackingNow')}: <strong>{order.trackingStatus ? trackingLabel(order.trackingStatus) : '—'}</strong>
        {order.manualTrackingStatus && <span class="muted"> ({d('setByHandNote')})</span>}
      </p>
      <p class="muted">{d('manualReferenceOnly')}</p>
      <label class="field">
        <span>{d('manualStatusLabel')}</span>
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value as typeof status)}>
          {trackingStatusSchemaValues.map((s) => (
            <option key={s} value={s}>
              {trackingLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <div class="row">
        <button
          type="button"
          disabled={busy}
          onClick={() => void act(() => api('PUT', `/v1/store-orders/${order.id}/tracking-status`, { trackingStatus: status }), d('manualSaved'))}
        >
          {d('setManualStatus')}
        </button>
        <button type="button" class="primary" disabled={busy} onClick={() => void act(() => api('POST', `/v1/store-orders/${order.id}/retrack`), d('retrackDone'))}>
          {d('retrack')}
        </button>
      </div>
      <p class="muted small">{d('retrackHint')}</p>
      {message && (
        <p role="status" data-testid="tracking-message">
          {message}
        </p>
      )}
    </Dialog>
  );
}
