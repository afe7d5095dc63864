import { browser } from 'wxt/browser';
import { createPageCapture } from '@/lib/capture/page-capture';
import { OBSERVED_EVENT, type Observed } from '@/lib/capture/page-hook';
import { readApiResponse, readPageDom } from '@/lib/aliexpress/read-page';
import { ORDER_LIST } from '@/lib/aliexpress/selectors';
import type { Message, TabMessage } from '@/lib/domain/messages';

/** How long after the page's load event its own data may still arrive before the DOM is read. */
const SETTLE_MS = 1000;
/** DOM changes (cards appended) are read once they stop for this long. */
const CHANGE_DEBOUNCE_MS = 500;

export default defineContentScript({
  matches: [
    'https://*.aliexpress.com/p/order/*',
    'https://*.aliexpress.com/p/tracking/*',
    'https://track.aliexpress.com/*',
    'https://login.aliexpress.com/*',
    'https://*.aliexpress.com/_____tmd_____/*',
  ],
  runAt: 'document_start',
  main(ctx) {
    const capture = createPageCapture({
      url: () => location.href,
      now: () => new Date(),
      readDom: () => readPageDom(location.href, document),
      // Init data is read by the page's URL, API answers by theirs (a tracking call names its order).
      readApi: (_api, url, body) => readApiResponse(url, body),
      send: (snapshot) => {
        // A page the readers did not recognise goes along, bounded, for the merchant's page report.
        const sample = snapshot.kind === 'unknown' ? document.documentElement.outerHTML.slice(0, 200_000) : undefined;
        const message: Message = { type: 'snapshot', snapshot, ...(sample && { sample }) };
        // A worker that is restarting drops this one message; the next page read resends the state.
        browser.runtime.sendMessage(message).catch(() => undefined);
      },
    });

    // A manual sync drives this tab: "View orders" is clicked here, the page does the rest.
    browser.runtime.onMessage.addListener((raw: unknown) => {
      if ((raw as Partial<TabMessage> | undefined)?.type !== 'load-more') return undefined;
      const button = document.querySelector<HTMLElement>(ORDER_LIST.viewMore);
      button?.click();
      return Promise.resolve({ clicked: Boolean(button) });
    });

    document.addEventListener(OBSERVED_EVENT, (event) => {
      try {
        capture.observed(JSON.parse(String((event as CustomEvent).detail)) as Observed);
      } catch {
        // Not ours, or not JSON: the page's events are none of our business.
      }
    });

    const watchDom = () => {
      let timer: number | undefined;
      const observer = new MutationObserver(() => {
        if (timer !== undefined) clearTimeout(timer);
        timer = ctx.setTimeout(() => capture.domChanged(), CHANGE_DEBOUNCE_MS);
      });
      observer.observe(document.body, { childList: true, subtree: true });
      ctx.onInvalidated(() => observer.disconnect());
    };
    const settle = () =>
      ctx.setTimeout(() => {
        capture.domSettled();
        watchDom();
      }, SETTLE_MS);
    if (document.readyState === 'complete') settle();
    else window.addEventListener('load', settle, { once: true });
  },
});
