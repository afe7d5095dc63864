/**
 * Pushing one store fulfillment to Shopify. A new one: read what the order has fulfilled already
 * (a retry after a lost answer finds its own fulfillment by its tracking numbers and adopts it;
 * `fulfillmentCreate` is not idempotent), then create it for what is left of the lines it covers,
 * with the tracking numbers, the carrier's Shopify name where one matches, the tracking URLs and
 * `notifyCustomer` from the merchant's shipping-confirmation setting. A known one whose numbers
 * changed: `fulfillmentTrackingInfoUpdate`.
 */
import { shopifyCarrier, type CoveredLine } from '../../lib/domain/stores';
import { ShopifyError, type ShopifyClient } from './client';
import {
  FULFILLMENT_CREATE,
  FULFILLMENT_TRACKING_UPDATE,
  ORDER_FULFILLMENT_STATE,
  type FulfillmentCreateAnswer,
  type FulfillmentTrackingUpdateAnswer,
  type OrderFulfillmentState,
  type UserError,
} from './operations';

export interface FulfillmentToPush {
  orderId: string;
  trackingNumbers: string[];
  /** Carriers as read from AliExpress, by tracking number. */
  carriers: Map<string, string | null>;
  /** Null: what is left of the whole order. */
  lineItems: CoveredLine[] | null;
  /** Known once created. */
  storeFulfillmentId: string | null;
  notifyCustomer: boolean;
  /** Where a customer follows a number (TRACKING_URL_TEMPLATE, `{number}` replaced). */
  trackingUrl: (number: string) => string;
}

const describe = (errors: UserError[]) => errors.map((e) => (e.field?.length ? `${e.field.join('.')}: ${e.message}` : e.message)).join('; ');

function trackingInput(f: FulfillmentToPush) {
  const companies = new Set(f.trackingNumbers.map((n) => shopifyCarrier(f.carriers.get(n)).company));
  // One company per fulfillment: named only when every number has the same one.
  const company = companies.size === 1 ? [...companies][0] : null;
  const urls = f.trackingNumbers.map(f.trackingUrl);
  return f.trackingNumbers.length === 1
    ? { ...(company && { company }), number: f.trackingNumbers[0], url: urls[0] }
    : { ...(company && { company }), numbers: f.trackingNumbers, urls };
}

/** Answers the store's fulfillment id. Throws ShopifyError('permanent') for what no retry will fix. */
export async function pushFulfillment(client: ShopifyClient, f: FulfillmentToPush): Promise<string> {
  if (f.storeFulfillmentId) {
    const answer = await client.request<FulfillmentTrackingUpdateAnswer>('FulfillmentTrackingInfoUpdate', FULFILLMENT_TRACKING_UPDATE, {
      fulfillmentId: f.storeFulfillmentId,
      trackingInfoInput: trackingInput(f),
      notifyCustomer: f.notifyCustomer,
    });
    const result = answer.fulfillmentTrackingInfoUpdate;
    if (!result || result.userErrors.length || !result.fulfillment) throw new ShopifyError('permanent', `Shopify refused the tracking update: ${describe(result?.userErrors ?? [])}`);
    return result.fulfillment.id;
  }

  const state = await client.request<OrderFulfillmentState>('OrderFulfillmentState', ORDER_FULFILLMENT_STATE, { id: f.orderId });
  const order = state.order;
  if (!order) throw new ShopifyError('permanent', `the order ${f.orderId} is not on the store (deleted?)`);
  if (order.cancelledAt) throw new ShopifyError('permanent', 'the order was canceled on the store');
  // Ours already, from an attempt whose answer was lost: the same tracking numbers.
  const wanted = [...f.trackingNumbers].sort().join('\n');
  const mine = order.fulfillments.find((x) => x.status !== 'CANCELLED' && x.trackingInfo.map((t) => t.number ?? '').sort().join('\n') === wanted);
  if (mine) return mine.id;

  const open = order.fulfillmentOrders.nodes.filter((fo) => fo.status === 'OPEN' || fo.status === 'IN_PROGRESS');
  const lineItemsByFulfillmentOrder: { fulfillmentOrderId: string; fulfillmentOrderLineItems?: { id: string; quantity: number }[] }[] = [];
  if (f.lineItems === null) {
    // The whole rest: every open fulfillment order, each whole (its items left out).
    for (const fo of open) if (fo.lineItems.nodes.some((l) => l.remainingQuantity > 0)) lineItemsByFulfillmentOrder.push({ fulfillmentOrderId: fo.id });
  } else {
    const left = new Map(f.lineItems.map((l) => [l.lineItemId, l.quantity]));
    for (const fo of open) {
      const items: { id: string; quantity: number }[] = [];
      for (const line of fo.lineItems.nodes) {
        const want = left.get(line.lineItem.id) ?? 0;
        const take = Math.min(want, line.remainingQuantity);
        if (take <= 0) continue;
        items.push({ id: line.id, quantity: take });
        left.set(line.lineItem.id, want - take);
      }
      if (items.length) lineItemsByFulfillmentOrder.push({ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: items });
    }
  }
  if (lineItemsByFulfillmentOrder.length === 0) throw new ShopifyError('permanent', 'nothing of these items is left to fulfil on the store (fulfilled there already?)');
  const answer = await client.request<FulfillmentCreateAnswer>('FulfillmentCreate', FULFILLMENT_CREATE, {
    fulfillment: { lineItemsByFulfillmentOrder, trackingInfo: trackingInput(f), notifyCustomer: f.notifyCustomer },
  });
  const result = answer.fulfillmentCreate;
  if (!result || result.userErrors.length || !result.fulfillment) throw new ShopifyError('permanent', `Shopify refused the fulfillment: ${describe(result?.userErrors ?? [])}`);
  return result.fulfillment.id;
}
