/**
 * The order list's content script: reads the page like every other, and is the hand a manual
 * sync drives this tab with ("View orders" and the list's tabs are clicked here, the page does the rest).
 */
import { ORDER_LIST } from '../aliexpress/selectors';
import type { TabMessage } from '../domain/messages';
import { extensionAlive, runPageCapture } from './content-script';
import { findListTab } from './list-tabs';
import { orderListPage } from './pages/order-list';

export function runOrderListTab(): void {
  if (!extensionAlive()) return;
  chrome.runtime.onMessage.addListener((raw: unknown, _sender, reply) => {
    const message = raw as Partial<TabMessage> | undefined;
    if (message?.type !== 'load-more' && message?.type !== 'show-tab') return false;
    const button = message.type === 'show-tab' ? findListTab(document, String(message.title ?? '')) : document.querySelector<HTMLElement>(ORDER_LIST.viewMore);
    button?.click();
    reply({ clicked: Boolean(button) });
    return false;
  });
  runPageCapture(orderListPage);
}
