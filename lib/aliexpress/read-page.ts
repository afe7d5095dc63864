/**
 * What a page (its DOM, read by the content scripts) or one of its API answers (read by the
 * service worker, off the page's main thread) says, as a PageReading. Login pages and bot checks come
 * first and are reported as such; anything not recognised is `unknown` with a reason, which
 * consumers never let overwrite good data. Nothing here throws, whatever the input.
 */
import { ORDER_DETAIL_API, ORDER_LIST_API, TRACKING_API, type ObservedAnswer } from './apis';
import { isRecord, mtopProblemReading, parseJsonOrJsonp } from './mtop';
import { readOrderDetailDom, readOrderDetailJson } from './order-detail';
import { listRequestTab, readOrderListDom, readOrderListJson } from './order-list';
import { blockingPage, pageTypeFromUrl } from './page-kind';
import { readSafely, unknownReading as unknown, type PageReading } from './reading';
import { ORDER_LIST } from './selectors';
import { isCainiaoDetail, readCainiaoJson, readOldTrackingDom, readTrackingDom, readTrackingJson } from './tracking';

export type { PageReading } from './reading';

/** A login page or bot check, by URL first and the document second; undefined when neither. */
function blockingReading(url: string, root: Document): PageReading | undefined {
  const byUrl = pageTypeFromUrl(url);
  if (byUrl.type === 'bot_check' || byUrl.type === 'login') return { kind: byUrl.type, orders: [], warnings: [byUrl.reason] };
  const blocking = blockingPage(root);
  if (blocking) return { kind: blocking.type === 'login' ? 'login' : 'bot_check', orders: [], warnings: [blocking.reason] };
  return undefined;
}

/** The order list's DOM: an empty list frame is a list with no orders on it, not an unknown page. */
export function readOrderListPage(root: Document): PageReading {
  const reading = readOrderListDom(root);
  if (reading.kind === 'unknown' && root.querySelector(ORDER_LIST.listFrame)) {
    return { kind: 'order_list', orders: [], warnings: ['the order list shows no orders'] };
  }
  return reading;
}

/**
 * Reads a page with `read`, behind the login and bot-check checks. Never throws. Content scripts
 * for one page type call it with that type's reader, so they carry no other reader's code.
 */
export const readGuarded = /* @__PURE__ */ readSafely(
  'page',
  (url: string, root: Document, read: (url: string, root: Document) => PageReading): PageReading => blockingReading(url, root) ?? read(url, root),
);

function readByUrl(url: string, root: Document): PageReading {
  const byUrl = pageTypeFromUrl(url);
  switch (byUrl.type) {
    case 'order_list':
      return readOrderListPage(root);
    case 'order_detail':
      return readOrderDetailDom(root, url);
    case 'tracking':
      return readTrackingDom(root, url);
    case 'old_tracking':
      return readOldTrackingDom(root, url);
    default:
      return unknown(byUrl.reason);
  }
}

/** Reads a rendered AliExpress page: login and bot check first, then by URL. Never throws. */
export function readPageDom(url: string, root: Document): PageReading {
  return readGuarded(url, root, readByUrl);
}

/** The request behind an answer, where the page hook saw it: the list's tab is in it. */
type ApiReader = (body: unknown, url: string, requestBody: string | undefined) => PageReading;

const API_READERS: ReadonlyArray<[string, ApiReader]> = [
  [ORDER_LIST_API, (body, url, requestBody) => readOrderListJson(body, listRequestTab(url, requestBody))],
  [ORDER_DETAIL_API, (body, url) => readOrderDetailJson(body, url)],
  [TRACKING_API, (body, url) => readTrackingJson(body, url)],
];

/** The mtop API an answer comes from: its own `api` field first, the request URL second. */
function apiNameOf(url: string, body: unknown): string | undefined {
  if (isRecord(body) && typeof body.api === 'string') return body.api;
  return API_READERS.map(([api]) => api).find((api) => url.includes(api));
}

/**
 * Reads one API answer the page received (or its inline init data: then `url` is the page's).
 * Dispatch by the mtop API name in `body.api` or the URL; Cainiao's detail.json by its shape.
 * `requestBody`: what the page sent (a POST's form body), where it was seen. Never throws.
 */
export const readApiResponse = /* @__PURE__ */ readSafely('answer', (url: string, body: unknown, requestBody?: string): PageReading => {
  const api = apiNameOf(url, body);
  const reader = API_READERS.find(([name]) => name === api)?.[1];
  if (reader) return reader(body, url, requestBody);
  // A login or bot check answer from any API means the same; an error from an unknown API says nothing.
  const problem = mtopProblemReading(body);
  if (problem && problem.kind !== 'unknown') return problem;
  if (isCainiaoDetail(body) || /cainiao\.com\/global\/detail\.json/.test(url)) return readCainiaoJson(body, url);
  if (api) return unknown(`no reader for the API ${api}`);
  // Inline init data carries no api name: the page URL says what it is.
  const page = pageTypeFromUrl(url).type;
  if (page === 'order_list') return readOrderListJson(body);
  if (page === 'order_detail') return readOrderDetailJson(body, url);
  if (page === 'tracking') return readTrackingJson(body, url);
  return unknown(`no reader for this answer (${url})`);
});

/**
 * Reads an answer a page received, from its raw text: JSON or JSONP. Init data is read by the
 * page's URL, API answers by theirs (a tracking call names its order) and their request. Never throws.
 */
export function readObservedAnswer(answer: ObservedAnswer, pageUrl: string): PageReading {
  const body = parseJsonOrJsonp(answer.text);
  if (body === undefined) return unknown(`the ${answer.api} answer is neither JSON nor JSONP`);
  return answer.api === 'init' ? readApiResponse(pageUrl, body) : readApiResponse(answer.url, body, answer.request);
}
