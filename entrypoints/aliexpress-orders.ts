// Content script of the order list (registered in wxt.config.ts, see lib/capture/content-script.ts).
import { ORDER_LIST } from '@/lib/aliexpress/selectors';
import { extensionAlive, runPageCapture } from '@/lib/capture/content-script';
import { orderListPage } from '@/lib/capture/pages/order-list';
import type { TabMessage } from '@/lib/domain/messages';

export default defineUnlistedScript(() => {
  if (!extensionAlive()) return;
  // A manual sync drives this tab: "View orders" is clicked here, the page does the rest.
  chrome.runtime.onMessage.addListener((raw: unknown, _sender, reply) => {
    if ((raw as Partial<TabMessage> | undefined)?.type !== 'load-more') return false;
    const button = document.querySelector<HTMLElement>(ORDER_LIST.viewMore);
    button?.click();
    reply({ clicked: Boolean(button) });
    return false;
  });
  runPageCapture(orderListPage);
});
