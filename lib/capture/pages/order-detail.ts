import { readOrderDetailDom } from '../../aliexpress/order-detail';
import { readGuarded } from '../../aliexpress/read-page';
import type { PageReaders } from './types';

export const orderDetailPage: PageReaders = {
  dom: (url, root) => readGuarded(url, root, (pageUrl, page) => readOrderDetailDom(page, pageUrl)),
};
