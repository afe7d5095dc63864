/**
 * Which fulfillments the store should get for a store order, from its AliExpress orders and the
 * merchant's Fulfillment setting. Pure and zod-free: the backend's planner and the views share it.
 */

/** "Fulfillment setting": fulfil when every supplier shipped (DSers' default), or each supplier's part as it ships. */
export const SPLIT_FULFILLMENT = ['wait_for_all', 'each_supplier'] as const;
export type SplitFulfillment = (typeof SPLIT_FULFILLMENT)[number];

/** A store line item an AliExpress order covers, and how many of it. */
export interface CoveredLine {
  lineItemId: string;
  quantity: number;
}

export interface FulfillmentSource {
  aliOrderId: string;
  trackingNumbers: readonly string[];
  /** Null: every line of the store order (one supplier covering the whole order). */
  lineItems: readonly CoveredLine[] | null;
  /** Every line it covers was fulfilled on the store by someone else: nothing of it is pushed (the seed's lock, line by line). */
  fulfilledOnStore?: boolean;
}

export interface PlannedFulfillment {
  /** The AliExpress order ids, sorted and joined: the same group plans to the same key. */
  key: string;
  aliOrderIds: string[];
  trackingNumbers: string[];
  /** Null: whatever of the store order is still unfulfilled. */
  lineItems: CoveredLine[] | null;
}

export const groupKey = (aliOrderIds: readonly string[]): string => [...aliOrderIds].sort().join(',');

/**
 * The groups to fulfil, given the AliExpress orders that still decide the order (replaced ones
 * left out) and the groups that exist already (which keep their AliExpress orders: a setting
 * changed later does not regroup what the store has been told).
 */
export function planFulfillments(
  split: SplitFulfillment,
  aliOrders: readonly FulfillmentSource[],
  existing: readonly { aliOrderIds: readonly string[] }[],
): PlannedFulfillment[] {
  const covered = new Set(existing.flatMap((e) => e.aliOrderIds));
  // Fulfilled on the store already: neither fulfilled again nor waited for.
  const open = aliOrders.filter((a) => !covered.has(a.aliOrderId) && !a.fulfilledOnStore);
  const tracked = open.filter((a) => a.trackingNumbers.length > 0);
  // "The order only moves to Fulfilled when every supplier has provided a tracking number."
  const groups = split === 'each_supplier' ? tracked.map((a) => [a]) : tracked.length === open.length && open.length > 0 ? [open] : [];
  const planned = groups.map((group): PlannedFulfillment => {
    const aliOrderIds = group.map((a) => a.aliOrderId).sort();
    // What is left of the order, when nothing else of it was or will be fulfilled apart.
    const wholeRest = group.length === aliOrders.length && covered.size === 0;
    return {
      key: groupKey(aliOrderIds),
      aliOrderIds,
      trackingNumbers: [...new Set(group.flatMap((a) => a.trackingNumbers))],
      lineItems: wholeRest ? null : mergeLines(group),
    };
  });
  // Groups that exist keep up with their AliExpress orders' numbers (a changed number updates the fulfillment).
  const byId = new Map(aliOrders.map((a) => [a.aliOrderId, a]));
  for (const e of existing) {
    const members = e.aliOrderIds.map((id) => byId.get(id)).filter((a): a is FulfillmentSource => a !== undefined);
    // None left (all replaced), or all fulfilled on the store by others: nothing to keep up to date.
    if (!members.some((a) => !a.fulfilledOnStore)) continue;
    planned.push({
      key: groupKey(e.aliOrderIds),
      aliOrderIds: [...e.aliOrderIds].sort(),
      trackingNumbers: [...new Set(members.flatMap((a) => a.trackingNumbers))],
      lineItems: mergeLines(members),
    });
  }
  return planned;
}

/** The lines a group covers; null when one of them does not say (it can only be fulfilled whole then). */
function mergeLines(group: readonly FulfillmentSource[]): CoveredLine[] | null {
  if (group.some((a) => a.lineItems === null)) return null;
  const quantities = new Map<string, number>();
  for (const line of group.flatMap((a) => a.lineItems!)) quantities.set(line.lineItemId, (quantities.get(line.lineItemId) ?? 0) + line.quantity);
  return [...quantities].map(([lineItemId, quantity]) => ({ lineItemId, quantity }));
}

const fulfilledInFull = (line: { quantity: number; fulfilledOnStore?: number } | undefined) => line !== undefined && (line.fulfilledOnStore ?? 0) >= line.quantity;

/**
 * Whether someone else fulfilled on the store every line an AliExpress order covers (`lineItems`
 * null: the whole order), given each store line's quantity and how many of it were fulfilled
 * there. A line only partly fulfilled there does not count: which supplier's units those were is
 * not known, and the store's remaining quantities keep a push from fulfilling them again.
 */
export function coveredLinesFulfilledOnStore(
  covered: readonly CoveredLine[] | null,
  storeLines: readonly { id: string; quantity: number; fulfilledOnStore?: number }[],
): boolean {
  if (covered === null) return storeLines.length > 0 && storeLines.every(fulfilledInFull);
  return covered.length > 0 && covered.every((c) => fulfilledInFull(storeLines.find((l) => l.id === c.lineItemId)));
}

/** Two lists of tracking numbers say the same (order does not matter). */
export function sameNumbers(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

/**
 * Carrier names as Shopify recognises them in `trackingInfo.company`; a name read from AliExpress
 * matches when it is the same but for case, spaces and punctuation. Others are sent as read, with
 * the tracking URL.
 */
export const SHOPIFY_CARRIERS = ['4PX', 'Cainiao', 'China Post', 'YunExpress', 'USPS', 'J&T Express'] as const;

const carrierKey = (name: string) => name.toLowerCase().replace(/[^a-z0-9&]/g, '');

export function shopifyCarrier(read: string | null | undefined): { company: string | null; recognised: boolean } {
  if (!read || !read.trim()) return { company: null, recognised: false };
  const key = carrierKey(read);
  const match = SHOPIFY_CARRIERS.find((c) => carrierKey(c) === key);
  return match ? { company: match, recognised: true } : { company: read.trim(), recognised: false };
}
