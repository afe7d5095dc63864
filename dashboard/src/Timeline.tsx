/** A package's carrier events, newest first; some may be highlighted (where a delivered parcel was left). */
import type { TrackingEvent } from '../../lib/domain/snapshot';
import { formatDateTime } from './format';
import { d } from './i18n';

export function Timeline({ events, highlight }: { events: TrackingEvent[]; highlight?: Set<number> }) {
  if (events.length === 0) return <p class="muted">{d('noEvents')}</p>;
  return (
    <ol class="timeline" data-testid="timeline">
      {events.map((e, i) => (
        <li key={i} class={highlight?.has(i) ? 'highlight' : undefined} data-highlight={highlight?.has(i) ? 'true' : undefined}>
          <time dateTime={e.at}>{formatDateTime(e.at)}</time>
          <span class="event-text">{e.text}</span>
          {e.location && <span class="muted"> · {e.location}</span>}
          {e.code && <span class="muted small mono"> {e.code}</span>}
          {highlight?.has(i) && <span class="visually-hidden"> {d('whereLeftMark')}</span>}
        </li>
      ))}
    </ol>
  );
}

