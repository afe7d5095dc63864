/** "The carrier says Delivered but my customer says No": the seed's five steps, and the events that say where the parcel was left. */
import { useState } from 'preact/hooks';
import { whereLeftEvents } from '../../lib/dashboard/order-actions';
import type { TimelinesResponse } from '../../lib/domain/dashboard';
import { Dialog } from './Dialog';
import { d } from './i18n';
import { Timeline } from './Timeline';

const STEPS = ['deliveredStep1', 'deliveredStep2', 'deliveredStep3', 'deliveredStep4', 'deliveredStep5'] as const;

export function DeliveredHelp({ timelines }: { timelines: TimelinesResponse | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} data-testid="delivered-help">
        {d('deliveredButton')}
      </button>
      {open && (
        <Dialog title={d('deliveredTitle')} onClose={() => setOpen(false)} testId="delivered-dialog">
          <p class="muted">{d('deliveredIntro')}</p>
          <ol class="steps">
            {STEPS.map((s) => (
              <li key={s}>{d(s)}</li>
            ))}
          </ol>
          {(timelines?.packages ?? []).map((p) => (
            <section key={p.trackingNumber} aria-label={d('packageLabel', p.trackingNumber)}>
              <h3 class="mono">{p.trackingNumber}</h3>
              <Timeline events={p.events} highlight={whereLeftEvents(p.events)} />
            </section>
          ))}
        </Dialog>
      )}
    </>
  );
}
