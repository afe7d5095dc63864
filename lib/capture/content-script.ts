/**
 * What every AliExpress content script does, whatever page type it reads: pass the page hook's
 * observations on to the worker (which reads them), read the DOM once the page has settled (and
 * again when it changes) unless the page's own data was read, and send each reading to the worker.
 * The page type's DOM reader is passed in.
 *
 * These scripts run in every order page the merchant opens, so they use `chrome.runtime` itself:
 * WXT's content-script context and the webextension-polyfill it imports cost about 4.6 ms of
 * main-thread time per page load here (bench: page_load), most of a 5 ms budget, for two calls.
 */
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

/**
 * Whether this script still belongs to a running extension: an update or reload leaves it behind
 * in open pages, where `chrome.runtime.id` is gone and every call would throw.
 */
export const extensionAlive = (): boolean => Boolean(globalThis.chrome?.runtime?.id);

/** A worker that is restarting drops a message; the next page read resends the state. */
export function post(message: Message): Promise<unknown> {
  if (!extensionAlive()) return Promise.resolve(undefined);
  try {
    return chrome.runtime.sendMessage(message).catch(() => undefined);
  } catch {
    return Promise.resolve(undefined);
  }
}

export function runPageCapture(readers: PageReaders): void {
  const capture = createPageCapture({
    url: () => location.href,
    now: () => new Date(),
    readDom: () => readers.dom(location.href, document),
    send: (snapshot) => {
      const sample = snapshot.kind === 'unknown' ? document.documentElement.outerHTML.slice(0, SAMPLE_CHARS) : undefined;
      void post({ type: 'snapshot', snapshot, ...(sample && { sample }) });
    },
    forward: async ({ api, url, request, text }, pageUrl, capturedAt) => {
      const reply = (await post({ type: 'observed', api, url, pageUrl, capturedAt, ...(request !== undefined && { request }), text })) as Reply | undefined;
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
      clearTimeout(timer);
      timer = setTimeout(() => {
        // Left behind by an update: stop watching instead of failing at every change.
        if (!extensionAlive()) observer.disconnect();
        else capture.domChanged();
      }, CHANGE_DEBOUNCE_MS);
    });
    observer.observe(document.body, { childList: true, subtree: true });
  };
  let settling = false;
  const settle = () => {
    if (settling) return;
    settling = true;
    setTimeout(() => {
      if (!extensionAlive()) return;
      // Only a page read from its DOM is watched: one read from its own data hears of more
      // orders through its API answers, and a busy page's every change would cost it a callback.
      void capture.domSettled().then((readFromDom) => {
        if (readFromDom && extensionAlive()) watchDom();
      });
    }, SETTLE_MS);
  };
  if (document.readyState === 'complete') settle();
  else {
    window.addEventListener('load', settle, { once: true });
    // One slow image or tracker must not hold the reading back: the orders are in the DOM long
    // before the last picture arrives.
    const giveUpOnLoad = () => setTimeout(settle, LOAD_WAIT_MS);
    if (document.readyState === 'interactive') giveUpOnLoad();
    else document.addEventListener('DOMContentLoaded', giveUpOnLoad, { once: true });
  }
}
