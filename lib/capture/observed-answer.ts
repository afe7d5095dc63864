/**
 * How the worker reads an answer a page hook observed: as the answer of the tab that sent it.
 * The tab's URL (the browser's record of the sender, never a field of the message) says which
 * page it is, and with the answer's body, which order a tracking answer is about. Pure: the
 * worker passes the sender's URL in.
 */
import type { ObservedAnswer } from '../aliexpress/apis';
import type { PageReading } from '../aliexpress/order-list';
import { pageTypeFromUrl } from '../aliexpress/page-kind';
import { readObservedAnswer } from '../aliexpress/read-page';

/** Order ids the answer's own links name (the tracking API's `tipsLink`: `…?tradeOrderId=…`). */
function orderIdsNamedIn(text: string): Set<string> {
  const named = new Set<string>();
  for (const m of text.matchAll(/(?:tradeOrderId|orderId|tradeId)(?:=|%3D|\\u003[dD])(\d{15,16})(?!\d)/g)) named.add(m[1]!);
  return named;
}

/**
 * Reads `answer` as seen in the tab at `tabUrl`. A tracking reading about an order its own body
 * does not name is refused: the tab's URL can be changed by the page's scripts
 * (`history.replaceState`), so the URL alone must not move one order's parcels onto another.
 */
export function readObservedInTab(answer: Pick<ObservedAnswer, 'api' | 'request' | 'text'>, tabUrl: string): PageReading {
  // Init data is the order list's (page-hook.ts); elsewhere it would be whatever a script passed.
  if (answer.api === 'init' && pageTypeFromUrl(tabUrl).type !== 'order_list') return { kind: 'unknown', orders: [], warnings: ['init data is read only on the order list'] };
  const reading = readObservedAnswer({ api: answer.api, url: tabUrl, ...(answer.request !== undefined && { request: answer.request }), text: answer.text }, tabUrl);
  if (reading.kind !== 'tracking') return reading;
  const named = orderIdsNamedIn(answer.text);
  if (named.size === 0) return reading;
  const strangers = reading.orders.filter((order) => !named.has(order.aliOrderId)).map((order) => order.aliOrderId);
  if (strangers.length === 0) return reading;
  return {
    kind: 'unknown',
    orders: [],
    warnings: [...reading.warnings, `the tracking answer names order ${[...named].join(', ')}, the tab's URL ${strangers.join(', ')}: not read`],
  };
}
