/** A flag's reason in the merchant's words, shared by the popup rows and the notifications. */
import type { CachedAliOrder } from '../cache/db';
import type { TrackingEvent } from '../domain/snapshot';
import { formatDuration, t } from './i18n';
import type { Reason } from './needs-action';

/** What the pages showed of some AliExpress orders, by id: the carriers' own words live there. */
export type EventLookup = ReadonlyMap<string, CachedAliOrder>;

/** The newest carrier event of a package, as the AliExpress page showed it. */
export function lastEvent(lookup: EventLookup, aliOrderId: string, trackingNumber: string): TrackingEvent | undefined {
  return lookup.get(aliOrderId)?.order.packages.find((p) => p.trackingNumber === trackingNumber)?.events[0];
}

/** "No tracking number 9 days after payment", "No tracking update for 3 days", "Carrier: “Returned to sender”". */
export function reasonText(reason: Reason, now: Date, lookup: EventLookup): string {
  const lasted = reason.since ? formatDuration(now.getTime() - Date.parse(reason.since)) : '';
  switch (reason.kind) {
    case 'abnormal': {
      const event = reason.aliOrderId && reason.trackingNumber ? lastEvent(lookup, reason.aliOrderId, reason.trackingNumber) : undefined;
      return event?.text ? t('reasonAbnormalSaid', event.text) : t('reasonAbnormal');
    }
    case 'no_tracking':
      return t('reasonNoTracking', lasted);
    case 'silent':
      return t('reasonSilent', lasted);
    case 'pending_too_long':
      return t('reasonPendingTooLong', lasted);
    case 'contact_supplier':
      return t('reasonContactSupplier', lasted);
    case 'partially_canceled':
      return t('reasonPartiallyCanceled');
  }
}
