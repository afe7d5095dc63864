/**
 * What every AliExpress content script does, whatever page type it reads: pass the page hook's
 * observations on to the worker (which reads them), read the DOM once the page has settled (and
 * again when it changes) unless the page's own data was read, and send each reading to the worker.
 * The page type's DOM reader is passed in.
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { Message, Reply } from '../domain/messages';
import { createPageCapture } from './page-capture';
import { decodeObserved, OBSERVED_EVENT } from './page-hook';
import type { PageReaders } from './pages/types';

/** How long after the page's load event its own data may still arrive before the DOM is read. */
const SETTLE_MS = 1000;
/** How long after DOMContentLoaded the DOM is read even if the load event has not come. */
const LOAD_WAIT_MS = 5000;
/** DOM changes (cards appended) are read once they stop for this long. */
const CHANGE_DEBOUNCE_MS = 500;
/** How much of a page the readers did not recognise goes along for the merchant's page report. */
const SAMPLE_CHARS = 200_000;

/** A worker that is restarting drops a message; the next page read resends the state. */
const post = (message: Message): Promise<unknown> => browser.runtime.sendMessage(message).catch(() => undefined);

export function runPageCapture(ctx: ContentScriptContext, readers: PageReaders): void {
  const capture = createPageCapture({
    url: () => location.href,
    now: () => new Date(),
    readDom: () => readers.dom(location.href, document),
    send: (snapshot) => {
      const sample = snapshot.kind === 'unknown' ? document.documentElement.outerHTML.slice(0, SAMPLE_CHARS) : undefined;
      void post({ type: 'snapshot', snapshot, ...(sample && { sample }) });
    },
    forward: async ({ api, url, text }, pageUrl, capturedAt) => {
      const reply = (await post({ type: 'observed', api, url, pageUrl, capturedAt, text })) as Reply | undefined;
      return reply?.ok ? reply.read : undefined;
    },
  });

  document.addEventListener(OBSERVED_EVENT, (event) => {
    // Not ours, or not well formed: the page's events are none of our business.
    const observed = decodeObserved((event as CustomEvent).detail);
    if (observed) capture.observed(observed);
  });

  const watchDom = () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new MutationObserver(() => {
      // A plain timer: the context's own would add an invalidation listener per DOM change.
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (ctx.isValid) capture.domChanged();
      }, CHANGE_DEBOUNCE_MS);
    });
    observer.observe(document.body, { childList: true, subtree: true });
    ctx.onInvalidated(() => {
      observer.disconnect();
      clearTimeout(timer);
    });
  };
  let settling = false;
  const settle = () => {
    if (settling) return;
    settling = true;
    ctx.setTimeout(() => {
      // Only a page read from its DOM is watched: one read from its own data hears of more
      // orders through its API answers, and a busy page's every change would cost it a callback.
      void capture.domSettled().then((readFromDom) => {
        if (readFromDom && ctx.isValid) watchDom();
      });
    }, SETTLE_MS);
  };
  if (document.readyState === 'complete') settle();
  else {
    window.addEventListener('load', settle, { once: true });
    // One slow image or tracker must not hold the reading back: the orders are in the DOM long
    // before the last picture arrives.
    const giveUpOnLoad = () => ctx.setTimeout(settle, LOAD_WAIT_MS);
    if (document.readyState === 'interactive') giveUpOnLoad();
    else document.addEventListener('DOMContentLoaded', giveUpOnLoad, { once: true });
  }
}
