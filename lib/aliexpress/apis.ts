/**
 * The AliExpress APIs whose answers carry the merchant's orders: the page hook watches exactly
 * these (lib/capture/page-hook.ts), and read-page.ts has a reader for each. Constants only, so the
 * hook's bundle in the page's world stays as small as it is (and the type of what it sees).
 */
export const ORDER_LIST_API = 'mtop.aliexpress.trade.buyer.order.list';
export const ORDER_DETAIL_API = 'mtop.aliexpress.trade.buyer.order.detail';
export const TRACKING_API = 'mtop.ae.ld.querydetail';

export const ORDER_APIS: readonly string[] = [ORDER_LIST_API, ORDER_DETAIL_API, TRACKING_API];

/** An answer a page received, as the page hook saw it and the worker reads it. */
export interface ObservedAnswer {
  /** The watched API's name, or `init` for the page's inline init data. */
  api: string;
  /** The answer's URL (for init data, the page's). */
  url: string;
  /** What the page sent with it (a POST's body), where the hook saw it: the list request names its tab there. */
  request?: string;
  text: string;
}
