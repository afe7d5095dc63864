/**
 * Which of the merchant's actions an order offers, and what each will do, in the seed's terms
 * ("What happens on DSers?"): said before the click. Pure, so the rules are tested apart from the page.
 */
import { trackingStatusOf } from '../aliexpress/tracking-status';
import type { OrderView } from '../domain/api';
import type { TrackingEvent } from '../domain/snapshot';

export type OrderAction =
  | 'place'
  | 'payment_captured'
  | 'placing_failed'
  | 'fulfill_before_placing'
  | 'fulfill_after_placing'
  | 'reorder';

type ActionInput = Pick<OrderView, 'state' | 'locked' | 'paid' | 'aliOrders'>;

/** The actions that make sense for an order now; a locked order offers none ("can't be placed again"). */
export function availableActions(order: ActionInput): OrderAction[] {
  if (order.locked) return [];
  const actions: OrderAction[] = [];
  const placed = order.aliOrders.length > 0;
  if (!order.paid) actions.push('payment_captured');
  if (order.state === 'awaiting_order') actions.push('place', 'placing_failed');
  if (order.state === 'failed') actions.push('place');
  if (isReorderable(order)) actions.push('reorder');
  actions.push(placed ? 'fulfill_after_placing' : 'fulfill_before_placing');
  return actions;
}

/**
 * Canceled and failed orders can be placed again in bulk, but not those canceled on the store
 * (seed: "You can bulk order the Canceled orders from AliExpress, but not the ones from Shopify").
 * An order canceled on AliExpress has AliExpress orders and every one of them closed.
 */
export function isReorderable(order: ActionInput): boolean {
  if (order.locked) return false;
  if (order.state === 'failed') return true;
  return order.state === 'canceled' && order.aliOrders.length > 0 && order.aliOrders.every((a) => a.status === 'closed');
}

/** The seed's consequences of each action, as message keys of the dashboard catalogue, in order. */
export const CONSEQUENCES: Record<OrderAction, readonly string[]> = {
  place: ['consequencePlace1', 'consequencePlace2', 'consequencePlace3'],
  payment_captured: ['consequencePaymentCaptured1'],
  placing_failed: ['consequencePlacingFailed1', 'consequencePlacingFailed2'],
  fulfill_before_placing: ['consequenceBefore1', 'consequenceBefore2', 'consequenceBefore3', 'consequenceBefore4'],
  fulfill_after_placing: ['consequenceAfter1', 'consequenceAfter2', 'consequenceAfter3', 'consequenceAfter4', 'consequenceAfter5'],
  reorder: ['consequenceReorder1', 'consequenceReorder2'],
};

/**
 * The events that say where a delivered parcel was left: those whose words are the seed's step 3
 * ("left with individual", "left at front door"), and those the readers' own rule reads as delivered.
 */
export function whereLeftEvents(events: readonly TrackingEvent[]): Set<number> {
  const marked = new Set<number>();
  events.forEach((event, index) => {
    const delivered = trackingStatusOf([{ codes: [event.code], stage: event.stage, texts: [event.text] }]).status === 'delivered';
    if (delivered || /\bleft (with|at)\b/i.test(event.text)) marked.add(index);
  });
  return marked;
}
