import { readGuarded, readOrderListPage } from '../../aliexpress/read-page';
import type { PageReaders } from './types';

export const orderListPage: PageReaders = {
  dom: (url, root) => readGuarded(url, root, (_url, page) => readOrderListPage(page)),
};
