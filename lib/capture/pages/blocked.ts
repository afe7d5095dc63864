import { readGuarded } from '../../aliexpress/read-page';
import type { PageReaders } from './types';

/** The login and bot-check pages themselves: reported as such, nothing else to read. */
export const blockedPage: PageReaders = {
  dom: (url, root) => readGuarded(url, root, () => ({ kind: 'unknown', orders: [], warnings: ['neither a login page nor a bot check after all'] })),
};
