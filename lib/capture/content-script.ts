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
import { MAX_PAGE_SAMPLE_CHARS } from '../domain/page-sample';
import type { Message, Reply } from '../domain/messages';
import { takeHookPort } from './channel';
import { createPageCapture } from './page-capture';
import { decodeObserved } from './page-hook';
import type { PageReaders } from './pages/types';

/** How long after the page's load event its own data may still arrive before the DOM is read. */
const SETTLE_MS = 1000;
/** How long after DOMContentLoaded the DOM is read even if the load event has not come. */
const LOAD_WAIT_MS = 5000;
/** DOM changes (cards appended) are read once they stop for this long. */
const CHANGE_DEBOUNCE_MS = 500;

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
  // First, synchronously: the port is handed over only while no script of the page runs yet.
  const hookPort = takeHookPort(document);
  // The address the page was loaded at, before its scripts could rewrite it (history.replaceState):
  // the tracking and detail readers take the order id from it.
  const loadedAt = location.href;
  const capture = createPageCapture({
    url: () => loadedAt,
    now: () => new Date(),
    readDom: () => readers.dom(loadedAt, document),
    send: (snapshot) => {
      const sample = snapshot.kind === 'unknown' ? document.documentElement.outerHTML.slice(0, MAX_PAGE_SAMPLE_CHARS) : undefined;
      void post({ type: 'snapshot', snapshot, ...(sample && { sample }) });
    },
    // Which page and order this is, the worker takes from the tab itself, not from this message.
    forward: async ({ api, request, text }, capturedAt) => {
      const reply = (await post({ type: 'observed', api, capturedAt, ...(request !== undefined && { request }), text })) as Reply | undefined;
      return reply?.ok ? reply.read : undefined;
    },
  });

  if (hookPort) {
    hookPort.addEventListener('message', (event) => {
      const observed = decodeObserved(event.data);
      if (observed) capture.observed(observed);
    });
    hookPort.start();
  }

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
