import type { PageReading } from '../../aliexpress/order-list';

/**
 * How one type of AliExpress page is read: its DOM, and the API answers (or inline init data)
 * its page hook observes. One module per page type, so each content script carries only its own.
 */
export interface PageReaders {
  dom(url: string, root: Document): PageReading;
  api(url: string, body: unknown): PageReading;
}
