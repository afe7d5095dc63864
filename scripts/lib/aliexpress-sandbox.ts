/**
 * The AliExpress sandbox: saved AliExpress pages and API answers from the project's fixtures,
 * served under their real URLs inside a browser context, so the extension runs on them exactly as
 * on the live site (content scripts are injected, the page's own requests are answered).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Request, Route } from '@playwright/test';
import { cainiaoContract, type CainiaoContract } from './sandbox/cainiao';

const PAGES = fileURLToPath(new URL('../../tests/fixtures/pages/', import.meta.url));
const SANDBOX = fileURLToPath(new URL('./sandbox/', import.meta.url));
const APP_BASE = 'https://www.aliexpress.com/__sandbox__/';
/** The sandbox's stand-ins for AliExpress's own page code, by page. */
const APPS = { orderList: 'order-list-app.js', tracking: 'tracking-app.js' } as const;

export interface SandboxAnswer {
  /** A file under tests/fixtures/pages. */
  file: string;
  status?: number;
  /** Adds the sandbox's stand-in for AliExpress's own code of that page to an HTML page. */
  app?: keyof typeof APPS;
}

/**
 * Answers the URLs it knows; undefined passes the request on to the next route. A test's route
 * may answer later (a promise), to hold the page's request until something else has happened.
 */
export type SandboxRoute = (url: URL, request: Request) => SandboxAnswer | undefined | Promise<SandboxAnswer | undefined>;

/** Hosts the sandbox never answers: the backend and other local services run there. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const fileIfSaved = (file: string): SandboxAnswer | undefined => (existsSync(PAGES + file) ? { file } : undefined);

/** The order a tracking API call asks about (its `data` parameter is JSON). */
function trackingOrderId(url: URL): string {
  try {
    return String(JSON.parse(url.searchParams.get('data') ?? '{}').tradeOrderId ?? '').replace(/\D/g, '');
  } catch {
    return '';
  }
}

/** What a list request asks for: its page, and the tab and language (`_lang`: es_ES → es) when it names them. */
function listRequest(request: Request): { pageIndex: number; statusTab?: string; lang?: string } {
  const form = new URLSearchParams(request.postData() ?? '');
  try {
    const data = JSON.parse(form.get('data') ?? '{}') as { pageIndex?: unknown; statusTab?: unknown; _lang?: unknown };
    return {
      pageIndex: Number(data.pageIndex) || 1,
      ...(typeof data.statusTab === 'string' && { statusTab: data.statusTab }),
      ...(typeof data._lang === 'string' && { lang: data._lang.slice(0, 2).toLowerCase() }),
    };
  } catch {
    return { pageIndex: 1 };
  }
}

/** The saved order list page of each site and language the sandbox serves. */
const ORDER_LIST_PAGES: Readonly<Record<string, string>> = {
  'www.aliexpress.com': 'order-list-en.html',
  'www.aliexpress.us': 'order-list-us.html',
  'es.aliexpress.com': 'order-list-es-all.html',
};

/**
 * A tab of the list where one is saved (`mtop-order-list-es-shipped.json` for a language,
 * `order-list-processing-page1.json` for the English list), else the all-tab's page.
 */
function listAnswer(request: Request): SandboxAnswer | undefined {
  const { pageIndex, statusTab, lang } = listRequest(request);
  if (statusTab && statusTab !== 'all') return lang ? fileIfSaved(`mtop-order-list-${lang}-${statusTab}.json`) : fileIfSaved(`order-list-${statusTab}-page${pageIndex}.json`);
  return fileIfSaved(`order-list-page${pageIndex}.json`);
}

export const DEFAULT_ROUTES: SandboxRoute[] = [
  (u) => (u.pathname === '/p/order/index.html' && ORDER_LIST_PAGES[u.hostname] ? { file: ORDER_LIST_PAGES[u.hostname]!, app: 'orderList' } : undefined),
  (u, request) => (u.hostname === 'acs.aliexpress.com' && u.pathname.includes('/mtop.aliexpress.trade.buyer.order.list/') ? listAnswer(request) : undefined),
  (u) => (u.pathname === '/p/order/detail.html' ? fileIfSaved(`order-detail-${u.searchParams.get('orderId')}.html`) : undefined),
  (u) =>
    u.pathname === '/p/tracking/index.html'
      ? (fileIfSaved(`tracking-${u.searchParams.get('tradeOrderId')}.html`) ?? { file: 'tracking-shell.html', app: 'tracking' })
      : undefined,
  (u) =>
    u.hostname === 'acs.aliexpress.com' && u.pathname.includes('/mtop.ae.ld.querydetail/') ? fileIfSaved(`tracking/querydetail-${trackingOrderId(u)}.json`) : undefined,
  (u) => (u.hostname === 'login.aliexpress.com' ? fileIfSaved('login-en.html') : undefined),
  (u) => (u.pathname.startsWith('/_____tmd_____/punish') ? fileIfSaved('bot-check-punish.html') : undefined),
];

export interface Sandbox {
  /** Every URL the sandbox answered with a saved file, in order (page loads and API calls alike). */
  requests: string[];
  /** Answer matching URLs differently from now on (checked before the routes already there). */
  override(route: SandboxRoute): void;
  /** Cainiao's public tracking, answered for the sandbox's parcels (its requests are in `requests` too). */
  cainiao: CainiaoContract;
}

function contentTypeOf(file: string): string {
  if (file.endsWith('.json')) return 'application/json;charset=UTF-8';
  if (file.endsWith('.js')) return 'application/javascript';
  return 'text/html; charset=utf-8';
}

export async function installAliExpressSandbox(context: BrowserContext, routes: SandboxRoute[] = DEFAULT_ROUTES): Promise<Sandbox> {
  const table = [...routes];
  const requests: string[] = [];
  const cainiao = cainiaoContract();
  const handler = async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    // The page's API calls are cross-origin (www → acs) and carry cookies, as on the live site.
    const cors = { 'access-control-allow-origin': request.headers().origin ?? 'https://www.aliexpress.com', 'access-control-allow-credentials': 'true' };
    if (url.href.startsWith(APP_BASE)) {
      const app = Object.values(APPS).find((file) => url.pathname.endsWith(`/${file}`));
      await route.fulfill(app ? { status: 200, contentType: 'application/javascript', body: readFileSync(SANDBOX + app) } : { status: 404, body: '' });
      return;
    }
    const tracked = cainiao.answer(url);
    if (tracked) {
      requests.push(url.href);
      // The worker asks Cainiao from the extension's origin; a page would need CORS.
      await route.fulfill({ status: tracked.status, contentType: tracked.contentType, headers: { ...cors, ...tracked.headers }, body: tracked.body });
      return;
    }
    let answer: SandboxAnswer | undefined;
    for (const candidate of table) if ((answer = await candidate(url, request))) break;
    if (!answer) {
      // Images, scripts and beacons of the real site, and anything else off this machine, are not
      // part of the sandbox.
      await route.fulfill({ status: 404, contentType: 'text/plain', headers: cors, body: 'not in the AliExpress sandbox' });
      return;
    }
    requests.push(url.href);
    let body = readFileSync(PAGES + answer.file, 'utf8');
    if (answer.app) body = body.replace('</body>', `<script src="${APP_BASE}${APPS[answer.app]}"></script>\n</body>`);
    await route.fulfill({ status: answer.status ?? 200, contentType: contentTypeOf(answer.file), headers: cors, body });
  };
  // Every request that would leave the machine is the sandbox's: the saved pages name product
  // images on aliexpress-media.com and the like, and a closed network may leave those hanging for
  // a long time, holding back the page's load event. The backend on loopback is left alone.
  await context.route((url) => /^https?:$/.test(url.protocol) && !LOOPBACK_HOSTS.has(url.hostname), handler);
  return { requests, override: (route) => table.unshift(route), cainiao };
}
