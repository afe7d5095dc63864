/**
 * The actions an order offers (lib/dashboard/order-actions.ts decides which), each in a dialog
 * that says the seed's consequences before the click.
 */
import { useEffect, useState } from 'preact/hooks';
import { availableActions, CONSEQUENCES, type OrderAction } from '../../lib/dashboard/order-actions';
import type { OrderView } from '../../lib/domain/api';
import type { UnlinkedResponse } from '../../lib/domain/dashboard';
import { isAliOrderId } from '../../lib/domain/ids';
import { api, ApiError, errorText } from './api';
import { Dialog } from './Dialog';
import { aliStatusLabel } from './format';
import { d, type DashboardKey } from './i18n';

const TITLES: Record<OrderAction, DashboardKey> = {
  place: 'actionPlace',
  payment_captured: 'actionPaymentCaptured',
  placing_failed: 'actionPlacingFailed',
  fulfill_before_placing: 'actionFulfillBefore',
  fulfill_after_placing: 'actionFulfillAfter',
  reorder: 'actionReorder',
};

interface Choice {
  aliOrderId: string;
  supplier: string;
}

/** Placing: the AliExpress orders to link, chosen from those the extension read that no order links to, or typed in. */
function PlaceForm({ choices, onChange }: { choices: Choice[]; onChange: (choices: Choice[]) => void }) {
  const [unlinked, setUnlinked] = useState<UnlinkedResponse>();
  const [typedId, setTypedId] = useState('');
  const [typedSupplier, setTypedSupplier] = useState('');
  useEffect(() => {
    void api<UnlinkedResponse>('GET', '/v1/unlinked-ali-orders?limit=200').then(setUnlinked, () => setUnlinked({ aliOrders: [], nextCursor: null }));
  }, []);
  const chosen = (id: string) => choices.find((c) => c.aliOrderId === id);
  const toggle = (id: string, supplier: string, on: boolean) =>
    onChange(on ? [...choices.filter((c) => c.aliOrderId !== id), { aliOrderId: id, supplier }] : choices.filter((c) => c.aliOrderId !== id));
  const setSupplier = (id: string, supplier: string) => onChange(choices.map((c) => (c.aliOrderId === id ? { ...c, supplier } : c)));
  const typedValid = isAliOrderId(typedId.trim()) && typedSupplier.trim() !== '';
  return (
    <fieldset class="place-form">
      <legend>{d('placeChoose')}</legend>
      {unlinked?.aliOrders.length === 0 && <p class="muted">{d('placeNoUnlinked')}</p>}
      {unlinked?.aliOrders.map((a) => (
        <div key={a.aliOrderId} class="choice">
          <label>
            <input type="checkbox" checked={!!chosen(a.aliOrderId)} onChange={(e) => toggle(a.aliOrderId, a.supplier ?? '', e.currentTarget.checked)} />
            <span class="mono">{a.aliOrderId}</span> · {a.supplier ?? '—'} · {aliStatusLabel(a.status)}
          </label>
          {chosen(a.aliOrderId) && !a.supplier && (
            <label class="field inline">
              <span>{d('supplier')}</span>
              <input value={chosen(a.aliOrderId)!.supplier} maxLength={200} onInput={(e) => setSupplier(a.aliOrderId, e.currentTarget.value)} />
            </label>
          )}
        </div>
      ))}
      <div class="row">
        <label class="field inline">
          <span>{d('placeTypedId')}</span>
          <input value={typedId} inputMode="numeric" maxLength={16} onInput={(e) => setTypedId(e.currentTarget.value)} />
        </label>
        <label class="field inline">
          <span>{d('supplier')}</span>
          <input value={typedSupplier} maxLength={200} onInput={(e) => setTypedSupplier(e.currentTarget.value)} />
        </label>
        <button
          type="button"
          disabled={!typedValid}
          onClick={() => {
            toggle(typedId.trim(), typedSupplier.trim(), true);
            setTypedId('');
            setTypedSupplier('');
          }}
        >
          {d('placeAdd')}
        </button>
      </div>
      {choices.length > 0 && (
        <p data-testid="place-chosen">
          {d('placeChosen')}: {choices.map((c) => c.aliOrderId).join(', ')}
        </p>
      )}
    </fieldset>
  );
}

function ActionDialog({ order, action, onClose, onDone }: { order: OrderView; action: OrderAction; onClose: () => void; onDone: () => void }) {
  const [choices, setChoices] = useState<Choice[]>([]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const ready = action === 'place' ? choices.length > 0 && choices.every((c) => c.supplier.trim()) : action === 'placing_failed' ? reason.trim() !== '' : true;
  const run = async () => {
    setBusy(true);
    setError(undefined);
    const base = `/v1/store-orders/${order.id}`;
    try {
      if (action === 'place') await api('POST', `${base}/place`, { aliOrders: choices.map((c) => ({ aliOrderId: c.aliOrderId, supplier: c.supplier.trim() })) });
      if (action === 'payment_captured') await api('POST', `${base}/payment-captured`);
      if (action === 'placing_failed') await api('POST', `${base}/placing-failed`, { reason: reason.trim() });
      if (action === 'fulfill_before_placing' || action === 'fulfill_after_placing') await api('POST', `${base}/fulfill-manually`, { onStore: false });
      if (action === 'reorder') await api('POST', '/v1/store-orders/reorder', { ids: [order.id] });
      onDone();
      onClose();
    } catch (e) {
      setError(e instanceof ApiError && e.missing ? d('apiMissing', 'POST /v1/store-orders/reorder') : errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={d(TITLES[action])} onClose={onClose} testId={`action-${action}`}>
      <p>{d('consequencesIntro')}</p>
      <ul class="consequences" data-testid="consequences">
        {CONSEQUENCES[action].map((key) => (
          <li key={key}>{d(key as DashboardKey)}</li>
        ))}
      </ul>
      {action === 'place' && <PlaceForm choices={choices} onChange={setChoices} />}
      {action === 'placing_failed' && (
        <label class="field">
          <span>{d('placingFailedLabel')}</span>
          <input value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} required />
        </label>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      <div class="row">
        <button type="button" class="primary" disabled={!ready || busy} onClick={() => void run()} data-testid="confirm-action">
          {d(TITLES[action])}
        </button>
        <button type="button" onClick={onClose}>
          {d('cancelAction')}
        </button>
      </div>
    </Dialog>
  );
}

export function OrderActions({ order, onChanged }: { order: OrderView; onChanged: () => void }) {
  const [open, setOpen] = useState<OrderAction>();
  const actions = availableActions(order);
  if (order.locked) return <p class="muted" data-testid="locked-note">{d('lockedNote')}</p>;
  return (
    <>
      {actions.map((a) => (
        <button key={a} type="button" onClick={() => setOpen(a)} data-action={a}>
          {d(TITLES[a])}
        </button>
      ))}
      {open && <ActionDialog order={order} action={open} onClose={() => setOpen(undefined)} onDone={onChanged} />}
    </>
  );
}
