/**
 * Runs in the page's own world (MAIN) at document_start: observes the order pages' API answers
 * and inline init data, and hands copies to the extension's isolated content script over the
 * channel of channel.ts. The page gets exactly what it would get without the extension: responses
 * are cloned, never consumed or changed, and every wrapper calls through to the original.
 *
 * It shares its world with every script of the page, so it takes the built-ins it relies on when
 * it starts, before any of them runs: a script that later replaces `Promise.prototype.then`,
 * `Response.prototype.text`, `MessagePort.prototype.postMessage` or `Function.prototype.call`
 * cannot slip its own text in as an answer or reach the port. A page script can still make
 * requests of its own: only answers that really came from AliExpress (the response's own URL, not
 * the one asked for) are passed on, and what they are about is decided by the worker from the
 * tab's URL and the answer's body (observed-answer.ts).
 */

import { ORDER_APIS, type ObservedAnswer } from '../aliexpress/apis';
import { SITE_HOST } from '../aliexpress/urls';
import { hookChannelDeps, openHookChannel } from './channel';


/**
 * What the page sent with a watched request (the order list's tab is in it), bounded: text or
 * form fields only, so reading it never touches the page's own request.
 */
const MAX_REQUEST_CHARS = 8_000;
function requestText(p: Pristine, body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, MAX_REQUEST_CHARS);
  if (body instanceof p.URLSearchParams) return String(body).slice(0, MAX_REQUEST_CHARS);
  return undefined;
}

type Dispatch = (observed: ObservedAnswer) => void;

/** What the hook needs of the page's window; a test passes a stand-in. */
export interface HookWindow {
  fetch: typeof fetch;
  XMLHttpRequest: typeof XMLHttpRequest;
  Response: typeof Response;
  URL: typeof URL;
  JSON: typeof JSON;
  location: { href: string };
}

/** The built-ins the hook calls, as they were when it started. */
interface Pristine {
  apply: typeof Reflect.apply;
  promiseThen: Promise<unknown>['then'];
  includes: string['includes'];
  clone: Response['clone'];
  text: Response['text'];
  responseUrl: () => unknown;
  xhrGet: (name: 'responseText' | 'responseType' | 'response' | 'responseURL') => (() => unknown) | undefined;
  addEventListener: EventTarget['addEventListener'];
  stringify: typeof JSON.stringify;
  URL: typeof URL;
  URLSearchParams: typeof URLSearchParams;
}

const getter = (proto: object, name: string) => Object.getOwnPropertyDescriptor(proto, name)?.get as (() => unknown) | undefined;

function takePristine(win: HookWindow): Pristine {
  const xhrProto = win.XMLHttpRequest.prototype;
  const xhrGetters = {
    responseText: getter(xhrProto, 'responseText'),
    responseType: getter(xhrProto, 'responseType'),
    response: getter(xhrProto, 'response'),
    responseURL: getter(xhrProto, 'responseURL'),
  };
  const responseUrl = getter(win.Response.prototype, 'url');
  return {
    apply: Reflect.apply,
    promiseThen: Promise.prototype.then,
    includes: String.prototype.includes,
    clone: win.Response.prototype.clone,
    text: win.Response.prototype.text,
    responseUrl: responseUrl ?? (() => ''),
    xhrGet: (name) => xhrGetters[name],
    addEventListener: EventTarget.prototype.addEventListener,
    stringify: win.JSON.stringify,
    URL: win.URL,
    URLSearchParams: globalThis.URLSearchParams,
  };
}

/** The watched API a URL calls, if it is one of AliExpress's own hosts. */
function apiOf(p: Pristine, url: string): string | undefined {
  let host: string;
  try {
    const parsed = new p.URL(url);
    if (parsed.protocol !== 'https:') return undefined;
    host = parsed.hostname;
  } catch {
    return undefined;
  }
  // Where AliExpress's order APIs answer from (acs.aliexpress.com; .us for US buyers, see reference).
  if (!SITE_HOST.test(host)) return undefined;
  // Indexed, not `find`: Array.prototype belongs to the page too.
  for (let i = 0; i < ORDER_APIS.length; i++) {
    const api = ORDER_APIS[i]!;
    if (p.apply(p.includes, url, [api])) return api;
  }
  return undefined;
}

function hookFetch(win: HookWindow, p: Pristine, dispatch: Dispatch): void {
  const original = win.fetch;
  win.fetch = function fetchObserved(this: unknown, ...args: Parameters<typeof fetch>) {
    const promise = p.apply(original, this, args) as Promise<Response>;
    const request = requestText(p, args[1]?.body);
    p.apply(p.promiseThen, promise, [
      (response: Response) => {
        // The URL the answer came from, not the one asked for: a page script can name any URL.
        const url = String(p.apply(p.responseUrl, response, []));
        const api = apiOf(p, url);
        if (!api) return;
        const copy = p.apply(p.clone, response, []) as Response;
        p.apply(p.promiseThen, p.apply(p.text, copy, []), [(text: string) => dispatch({ api, url, ...(request !== undefined && { request }), text }), () => undefined]);
      },
      () => undefined,
    ]);
    return promise;
  } as typeof fetch;
}

function hookXhr(win: HookWindow, p: Pristine, dispatch: Dispatch): void {
  const proto = win.XMLHttpRequest.prototype;
  const originalOpen = proto.open;
  const originalSend = proto.send;
  // What each request sent, for its answer to carry.
  const sent = new WeakMap<XMLHttpRequest, string>();
  const get = (xhr: XMLHttpRequest, name: 'responseText' | 'responseType' | 'response' | 'responseURL') => {
    const read = p.xhrGet(name);
    return read ? p.apply(read, xhr, []) : undefined;
  };
  proto.open = function openObserved(this: XMLHttpRequest, ...args: Parameters<XMLHttpRequest['open']>) {
    p.apply(p.addEventListener, this, [
      'load',
      () => {
        const url = String(get(this, 'responseURL') ?? '');
        const api = apiOf(p, url);
        if (!api) return;
        const request = sent.get(this);
        const withRequest = request !== undefined ? { request } : {};
        const type = get(this, 'responseType');
        // Only text answers can be read without disturbing what the page asked for.
        if (type === '' || type === 'text') dispatch({ api, url, ...withRequest, text: String(get(this, 'responseText')) });
        else if (type === 'json') dispatch({ api, url, ...withRequest, text: p.apply(p.stringify, win.JSON, [get(this, 'response')]) as string });
      },
    ]);
    return p.apply(originalOpen, this, args) as void;
  } as XMLHttpRequest['open'];
  proto.send = function sendObserved(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const request = requestText(p, body);
    if (request !== undefined) sent.set(this, request);
    return p.apply(originalSend, this, [body]) as void;
  };
}

/**
 * The order list defines `window.__INIT_DATA_CALLBACK__(success, error)` in an inline script and
 * its code calls it to get page 1. Wrapping it on assignment sees the data it passes on. Only
 * the first function assigned and the first data it passes are the page's: a script that assigns
 * its own function later, or calls the page's again, is not observed. Other pages are not known
 * to have init data (tests/fixtures/pages): there, the first function would be whoever's script
 * assigns one, so it is not watched at all.
 */
function hookInitData(win: HookWindow & Record<string, unknown>, p: Pristine, dispatch: Dispatch): void {
  let current: unknown;
  let wrapped = false;
  let observed = false;
  Object.defineProperty(win, '__INIT_DATA_CALLBACK__', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set(value: unknown) {
      if (typeof value !== 'function' || wrapped) {
        current = value;
        return;
      }
      wrapped = true;
      const original = value as (success: (data: unknown) => unknown, error: unknown) => unknown;
      current = function initDataObserved(this: unknown, success: unknown, error: unknown) {
        const observedSuccess =
          typeof success === 'function'
            ? function (this: unknown, data: unknown, ...rest: unknown[]) {
                if (!observed) {
                  observed = true;
                  try {
                    dispatch({ api: 'init', url: win.location.href, text: p.apply(p.stringify, win.JSON, [data]) as string });
                  } catch {
                    // Data that cannot be serialised is simply not observed.
                  }
                }
                return p.apply(success as (...a: unknown[]) => unknown, this, [data, ...rest]);
              }
            : success;
        return p.apply(original, this, [observedSuccess, error]);
      };
    },
  });
}

/** The page that has init data: the order list (lib/aliexpress/page-kind.ts, kept out of this bundle). */
const INIT_DATA_PAGE = /^\/p\/order\/index\.html/;

export function installPageHook(win: HookWindow & Record<string, unknown>, dispatch: Dispatch): void {
  const pristine = takePristine(win);
  hookFetch(win, pristine, dispatch);
  hookXhr(win, pristine, dispatch);
  if (INIT_DATA_PAGE.test(new pristine.URL(win.location.href).pathname)) hookInitData(win, pristine, dispatch);
}

/**
 * What the content script accepts from the port: a watched API's answer (or init data) with
 * string fields. The port only carries what the hook sent; this is the content script's own
 * check of the shape before it spends a message on it.
 */
export function decodeObserved(value: unknown): ObservedAnswer | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { api, url, request, text } = value as Record<string, unknown>;
  if (typeof api !== 'string' || typeof url !== 'string' || typeof text !== 'string') return undefined;
  if (request !== undefined && typeof request !== 'string') return undefined;
  if (!ORDER_APIS.includes(api) && api !== 'init') return undefined;
  return { api, url, ...(request !== undefined && { request: request.slice(0, MAX_REQUEST_CHARS) }), text };
}

/** The page hook's whole start, at document_start in the page's world (entrypoints/aliexpress-page-hook.ts). */
export function runPageHook(): void {
  const send = openHookChannel(hookChannelDeps(globalThis, document));
  installPageHook(window as unknown as HookWindow & Record<string, unknown>, send);
}
