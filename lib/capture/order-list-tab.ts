/**
 * The order list's content script: reads the page like every other, and is the hand a manual
 * sync drives this tab with ("View orders" is clicked here, the page does the rest).
 */
import { ORDER_LIST } from '../aliexpress/selectors';
import type { TabMessage } from '../domain/messages';
import { extensionAlive, runPageCapture } from './content-script';
import { orderListPage } from './pages/order-list';

export function runOrderListTab(): void {
  if (!extensionAlive()) return;
  chrome.runtime.onMessage.addListener((raw: unknown, _sender, reply) => {
    if ((raw as Partial<TabMessage> | undefined)?.type !== 'load-more') return false;
    const button = document.querySelector<HTMLElement>(ORDER_LIST.viewMore);
    button?.click();
    reply({ clicked: Boolean(button) });
    return false;
  });
  runPageCapture(orderListPage);
}
