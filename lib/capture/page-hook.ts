/**
 * Runs in the page's own world (MAIN) at document_start: observes the order pages' API answers
 * and inline init data, and hands copies to the extension's isolated content script. The page gets
 * exactly what it would get without the extension: responses are cloned, never consumed or
 * changed, and every wrapper calls through to the original.
 */

import { ORDER_APIS, type ObservedAnswer } from '../aliexpress/apis';

/** The DOM event that carries one observed answer, as a string in `detail` (see encodeObserved). */
export const OBSERVED_EVENT = 'ali-order-sync:observed';

/**
 * Only strings cross from the page's world to the content script's. `api⏎url⏎request⏎text`
 * instead of JSON spares the page an escaping pass over a body of tens of kilobytes, and the
 * content script a parse: the body goes on to the worker as the text it is. The request (what
 * the page sent: the order list's tab is in it) is bounded and kept on one line.
 */
const MAX_REQUEST_CHARS = 8_000;
const oneLine = (text: string): string => text.replace(/[\r\n]/g, '');

export function encodeObserved({ api, url, request, text }: ObservedAnswer): string {
  return `${api}\n${oneLine(url)}\n${oneLine(request ?? '').slice(0, MAX_REQUEST_CHARS)}\n${text}`;
}

export function decodeObserved(detail: unknown): ObservedAnswer | undefined {
  if (typeof detail !== 'string') return undefined;
  const afterApi = detail.indexOf('\n');
  const afterUrl = afterApi < 0 ? -1 : detail.indexOf('\n', afterApi + 1);
  const afterRequest = afterUrl < 0 ? -1 : detail.indexOf('\n', afterUrl + 1);
  if (afterRequest < 0) return undefined;
  const api = detail.slice(0, afterApi);
  if (!ORDER_APIS.includes(api) && api !== 'init') return undefined;
  const request = detail.slice(afterUrl + 1, afterRequest);
  return { api, url: detail.slice(afterApi + 1, afterUrl), ...(request !== '' && { request }), text: detail.slice(afterRequest + 1) };
}

/** A request body the hook can read without touching the page's request: text or form fields. */
function requestText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  return undefined;
}

export function watchedApi(url: string): string | undefined {
  return ORDER_APIS.find((api) => url.includes(api));
}

type Dispatch = (observed: ObservedAnswer) => void;

interface HookWindow {
  fetch: typeof fetch;
  XMLHttpRequest: typeof XMLHttpRequest;
  location: { href: string };
}

function hookFetch(win: HookWindow, dispatch: Dispatch): void {
  const original = win.fetch;
  win.fetch = function fetchObserved(this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    const promise = original.call(this, input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const api = watchedApi(url);
    if (api) {
      const request = requestText(init?.body);
      promise.then(
        (response) => response.clone().text().then((text) => dispatch({ api, url, ...(request !== undefined && { request }), text }), () => undefined),
        () => undefined,
      );
    }
    return promise;
  } as typeof fetch;
}

function hookXhr(win: HookWindow, dispatch: Dispatch): void {
  const proto = win.XMLHttpRequest.prototype;
  const originalOpen = proto.open;
  const originalSend = proto.send;
  // What each watched request sent, for its answer to carry.
  const sent = new WeakMap<XMLHttpRequest, string>();
  proto.open = function openObserved(this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['open']>) {
    const url = String(args[1]);
    const api = watchedApi(url);
    if (api) {
      this.addEventListener('load', () => {
        const request = sent.get(this);
        const withRequest = request !== undefined ? { request } : {};
        // Only text answers can be read without disturbing what the page asked for.
        if (this.responseType === '' || this.responseType === 'text') dispatch({ api, url, ...withRequest, text: this.responseText });
        else if (this.responseType === 'json') dispatch({ api, url, ...withRequest, text: JSON.stringify(this.response) });
      });
    }
    return (originalOpen as (...a: unknown[]) => void).apply(this, args);
  } as XMLHttpRequest['open'];
  proto.send = function sendObserved(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const request = requestText(body);
    if (request !== undefined) sent.set(this, request);
    return originalSend.call(this, body);
  };
}

/**
 * AliExpress pages define `window.__INIT_DATA_CALLBACK__(success, error)` in an inline script and
 * their code calls it to get page 1. Wrapping it on assignment sees the data it passes on.
 */
function hookInitData(win: HookWindow & Record<string, unknown>, dispatch: Dispatch): void {
  let current: unknown;
  Object.defineProperty(win, '__INIT_DATA_CALLBACK__', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set(value: unknown) {
      if (typeof value !== 'function') {
        current = value;
        return;
      }
      const original = value as (success: (data: unknown) => unknown, error: unknown) => unknown;
      current = function initDataObserved(this: unknown, success: unknown, error: unknown) {
        const observedSuccess =
          typeof success === 'function'
            ? function (this: unknown, data: unknown, ...rest: unknown[]) {
                try {
                  dispatch({ api: 'init', url: win.location.href, text: JSON.stringify(data) });
                } catch {
                  // Data that cannot be serialised is simply not observed.
                }
                return (success as (...a: unknown[]) => unknown).call(this, data, ...rest);
              }
            : success;
        return original.call(this, observedSuccess as (data: unknown) => unknown, error);
      };
    },
  });
}

export function installPageHook(win: HookWindow & Record<string, unknown>, dispatch: Dispatch): void {
  hookFetch(win, dispatch);
  hookXhr(win, dispatch);
  hookInitData(win, dispatch);
}
