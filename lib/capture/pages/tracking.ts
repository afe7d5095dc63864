import { pageTypeFromUrl } from '../../aliexpress/page-kind';
import { readGuarded } from '../../aliexpress/read-page';
import { readOldTrackingDom, readTrackingDom } from '../../aliexpress/tracking';
import type { PageReaders } from './types';

/** The tracking page (/p/tracking/…, its API names the order) and the older track.aliexpress.com page. */
export const trackingPage: PageReaders = {
  dom: (url, root) =>
    readGuarded(url, root, (pageUrl, page) => (pageTypeFromUrl(pageUrl).type === 'old_tracking' ? readOldTrackingDom(page, pageUrl) : readTrackingDom(page, pageUrl))),
};
