import type { PageReading } from '../../aliexpress/order-list';

/**
 * How one type of AliExpress page is read from its DOM, the fallback when the page's own data
 * (read by the worker) says nothing. One module per page type, so each content script carries
 * only its own reader.
 */
export interface PageReaders {
  dom(url: string, root: Document): PageReading;
}
