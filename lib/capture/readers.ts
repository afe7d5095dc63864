/** Which reader reads what: by the API name the hook saw, or by the page's URL. */
import { readOrderListDom, readOrderListJson, type PageReading } from '../aliexpress/order-list';

const isOrderListUrl = (url: string) => /^https:\/\/[^/]*aliexpress\.[a-z]+\/p\/order\/index\.html/.test(url);

export function readApi(api: string, url: string, body: unknown): PageReading {
  if (api === 'mtop.aliexpress.trade.buyer.order.list' || (api === 'init' && isOrderListUrl(url))) return readOrderListJson(body);
  return { kind: 'unknown', orders: [], warnings: [`no reader for ${api} at ${url}`] };
}

export function readDom(url: string, root: Document): PageReading {
  if (isOrderListUrl(url)) return readOrderListDom(root);
  return { kind: 'unknown', orders: [], warnings: [`no reader for the page at ${url}`] };
}
