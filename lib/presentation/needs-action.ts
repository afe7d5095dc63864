/**
 * Why an order needs the merchant, in terms the popup can put into words ("no tracking number
 * 9 days after payment", "no update for 3 days", "returned to sender"). Built on the shared flag
 * rules of lib/domain/order-flags.ts, so the popup, the badge and the backend agree on which orders
 * are flagged; this module only adds the details and the order of urgency.
 */
import type { OrderView } from '../domain/api';
import { isTrackingSilent, lacksTrackingTooLong, orderFlags, pendingSince, pendingStage, type OrderFlag } from '../domain/order-flags';

export type ReasonKind =
  /** The carrier confirmed a failure. */
  | 'abnormal'
  /** Attention: paid long ago, still no tracking number. */
  | 'no_tracking'
  /** Attention: a tracking number whose carrier has said nothing for over 48 hours. */
  | 'silent'
  /** Pending 7+ days (DSers' yellow flag). */
  | 'pending_too_long'
  /** Pending 4-7 days: a hint to ask the supplier, not yet a problem. */
  | 'contact_supplier'
  /** Part of the order canceled on AliExpress, the rest still alive. */
  | 'partially_canceled';

export interface Reason {
  kind: ReasonKind;
  aliOrderId?: string;
  trackingNumber?: string;
  /** Since when the condition holds (ISO): the payment, the last event, the first pending scan. */
  since?: string;
}

/** Worst first: a confirmed failure, then a silent risk, then a slow pickup. 0 = a hint only. */
export const SEVERITY: Record<ReasonKind, number> = {
  abnormal: 3,
  no_tracking: 2,
  silent: 2,
  pending_too_long: 1,
  contact_supplier: 0,
  partially_canceled: 0,
};

/** The flags the "Needs action" view and the toolbar badge count. */
export const ACTION_FLAG_LIST = ['abnormal', 'attention', 'pending_too_long'] as const satisfies readonly OrderFlag[];
export type ActionFlag = (typeof ACTION_FLAG_LIST)[number];
export const ACTION_FLAGS: ReadonlySet<OrderFlag> = new Set(ACTION_FLAG_LIST);

/** What of an order the reasons need; OrderView and the cached store orders satisfy it. */
export type ReasonInput = Pick<OrderView, 'locked' | 'aliOrders'>;

/**
 * Every reason an order is flagged at `now`, worst first. The kinds map one to one onto
 * `orderFlags` (attention = no_tracking or silent), which tests/unit/ui/needs-action.test.ts checks.
 */
export function orderReasons(order: ReasonInput, now: Date): Reason[] {
  const flags = new Set(orderFlags(order, now));
  if (flags.size === 0) return [];
  const reasons: Reason[] = [];
  const alive = order.aliOrders.filter((a) => a.status !== 'closed');
  for (const ali of alive) {
    const { aliOrderId } = ali;
    if (lacksTrackingTooLong(ali, now)) reasons.push({ kind: 'no_tracking', aliOrderId, since: ali.paidAt ?? undefined });
    for (const pkg of ali.packages) {
      const { trackingNumber } = pkg;
      const lastHeard = pkg.lastEventAt ?? pkg.firstSeenAt ?? undefined;
      if (pkg.trackingStatus === 'abnormal') reasons.push({ kind: 'abnormal', aliOrderId, trackingNumber, since: lastHeard });
      if (isTrackingSilent(pkg, now)) reasons.push({ kind: 'silent', aliOrderId, trackingNumber, since: lastHeard });
      const stage = pendingStage(pkg, now);
      if (stage === 'pending_too_long' || (stage === 'contact_supplier' && flags.has('contact_supplier'))) {
        reasons.push({ kind: stage, aliOrderId, trackingNumber, since: pendingSince(pkg) ?? undefined });
      }
    }
  }
  if (flags.has('partially_canceled')) reasons.push({ kind: 'partially_canceled' });
  return reasons.sort(compareReasons);
}

const time = (iso: string | undefined) => (iso === undefined ? Number.POSITIVE_INFINITY : Date.parse(iso));

/** Worse first; of two equally bad, the one that has lasted longer. */
export function compareReasons(a: Reason, b: Reason): number {
  return SEVERITY[b.kind] - SEVERITY[a.kind] || time(a.since) - time(b.since);
}

/** An order belongs in "Needs action" when one of its reasons is more than a hint. */
export function needsAction(reasons: readonly Reason[]): boolean {
  return reasons.some((r) => SEVERITY[r.kind] > 0);
}

/** The toolbar badge's colour follows the worst news among the orders it counts. */
export function worstSeverity(reasonLists: Iterable<readonly Reason[]>): number {
  let worst = 0;
  for (const reasons of reasonLists) worst = Math.max(worst, reasons[0] ? SEVERITY[reasons[0].kind] : 0);
  return worst;
}

/** The flags that raise a notification when an order gains them. */
export function alertingFlags(order: ReasonInput, now: Date): OrderFlag[] {
  return orderFlags(order, now).filter((f) => f === 'abnormal' || f === 'attention');
}
