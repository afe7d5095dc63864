import { browser } from 'wxt/browser';
import { ORDER_LIST } from '@/lib/aliexpress/selectors';
import { runPageCapture } from '@/lib/capture/content-script';
import { orderListPage } from '@/lib/capture/pages/order-list';
import type { TabMessage } from '@/lib/domain/messages';

export default defineContentScript({
  matches: ['https://*.aliexpress.com/p/order/index.html*'],
  runAt: 'document_start',
  main(ctx) {
    // A manual sync drives this tab: "View orders" is clicked here, the page does the rest.
    browser.runtime.onMessage.addListener((raw: unknown) => {
      if ((raw as Partial<TabMessage> | undefined)?.type !== 'load-more') return undefined;
      const button = document.querySelector<HTMLElement>(ORDER_LIST.viewMore);
      button?.click();
      return Promise.resolve({ clicked: Boolean(button) });
    });
    runPageCapture(ctx, orderListPage);
  },
});
