/**
 * Every AliExpress address the extension knows: the hosts it reads, the match patterns of its
 * content scripts (wxt.config.ts, the page hook), the pages the readers recognise and the links
 * the sync and the popup open. Constants and pure functions only, no imports: the manifest
 * build, the page's own world and the worker all load it.
 *
 * Hosts (shared/reference/aliexpress-signals.md): `www.aliexpress.com` and its language
 * subdomains (`es.`, `fr.`, `de.` …) serve the same order pages; US buyers are served from
 * `www.aliexpress.us`. `aliexpress.ru` is another platform with its own API: not supported, and
 * none of its pages is ever read as an order page.
 */

/** The sites whose order pages are read, as registrable domains. */
const ALIEXPRESS_SITES = ['aliexpress.com', 'aliexpress.us'] as const;
export type AliExpressSite = (typeof ALIEXPRESS_SITES)[number];

/** The default site, where a link goes when nothing says the merchant uses another. */
const DEFAULT_ORIGIN = 'https://www.aliexpress.com';

export const ORDER_LIST_PATH = '/p/order/index.html';
export const ORDER_DETAIL_PATH = '/p/order/detail.html';
export const TRACKING_PATH = '/p/tracking/index.html';
/** The older tracking page, on its own host. */
export const OLD_TRACKING_HOST = 'track.aliexpress.com';
export const OLD_TRACKING_PATH = '/logisticsdetail.htm';
/** Alibaba's bot check ("punish") page path, on any AliExpress host. */
export const PUNISH_PATH = '/_____tmd_____/punish';
/** Where AliExpress sends a merchant whose session is gone (the reference knows no other login host). */
export const LOGIN_HOST = 'login.aliexpress.com';

const everySite = (path: string): string[] => ALIEXPRESS_SITES.map((site) => `https://*.${site}${path}`);

/**
 * Content-script match patterns, one list per page type (wxt.config.ts, the page hook's
 * entrypoint). A function, so that scripts which never declare content scripts do not carry them.
 */
export function matchPatterns() {
  return {
    orderList: everySite(`${ORDER_LIST_PATH}*`),
    orderDetail: everySite(`${ORDER_DETAIL_PATH}*`),
    tracking: [...everySite('/p/tracking/*'), `https://${OLD_TRACKING_HOST}/*`],
    /** Where AliExpress sends a merchant who must log in or pass the slider check. */
    blocked: [`https://${LOGIN_HOST}/*`, ...everySite('/_____tmd_____/*')],
    /**
     * The page hook (page's own world) runs exactly where an isolated reader with page data runs:
     * it hands its port to that reader at document_start (lib/capture/channel.ts).
     */
    pageHook: [...everySite(`${ORDER_LIST_PATH}*`), ...everySite(`${ORDER_DETAIL_PATH}*`), ...everySite('/p/tracking/*')],
  };
}

/** The supported site a host belongs to (`es.aliexpress.com` → `aliexpress.com`), if any. */
export function siteOfHost(host: string): AliExpressSite | undefined {
  const lower = host.toLowerCase();
  return ALIEXPRESS_SITES.find((site) => lower === site || lower.endsWith(`.${site}`));
}

/** Another platform with its own API (see the header): never read. */
export const UNSUPPORTED_SITE = 'aliexpress.ru';

/** Whether a host is `aliexpress.ru` or one of its subdomains. */
export function isUnsupportedAliExpressHost(host: string): boolean {
  const lower = host.toLowerCase();
  return lower === UNSUPPORTED_SITE || lower.endsWith(`.${UNSUPPORTED_SITE}`);
}

/**
 * The origin of a page on one of the merchant's AliExpress sites (`https://www.aliexpress.us`,
 * `https://es.aliexpress.com`), where their order pages can be opened; undefined for any other
 * address (Cainiao, the login host, the older tracking host: none of them serves the order pages).
 */
export function siteOriginOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && siteOfHost(u.hostname) && u.hostname !== OLD_TRACKING_HOST && u.hostname !== LOGIN_HOST ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The site of an order page (list, detail, tracking) a read came from; undefined for anything
 * else, the Open Platform's calls included (`api-sg.aliexpress.com` is a host of the site, but no
 * page of the merchant's opens there).
 */
export function orderPageOriginOf(url: string | undefined): string | undefined {
  const origin = siteOriginOf(url);
  if (!origin) return undefined;
  const path = new URL(url!).pathname;
  return path === ORDER_LIST_PATH || path === ORDER_DETAIL_PATH || path === TRACKING_PATH ? origin : undefined;
}

/** The origin of a supported AliExpress URL (`https://www.aliexpress.us`), else the default. */
export function originOf(url: string | undefined): string {
  return siteOriginOf(url) ?? DEFAULT_ORIGIN;
}

/**
 * Any host of a supported site (`acs.aliexpress.us`, where the order APIs answer), as one pattern:
 * the page hook tests hosts with it, built before the page's scripts run, instead of with array
 * and string methods those scripts can replace.
 */
export const SITE_HOST = /* @__PURE__ */ new RegExp(`^(?:[a-z0-9-]+\\.)*(?:${ALIEXPRESS_SITES.map((site) => site.replace('.', '\\.')).join('|')})$`);

const id = (aliOrderId: string): string => encodeURIComponent(aliOrderId);

export const orderListUrl = (origin: string = DEFAULT_ORIGIN): string => `${origin}${ORDER_LIST_PATH}`;
export const orderDetailUrl = (aliOrderId: string, origin: string = DEFAULT_ORIGIN): string => `${origin}${ORDER_DETAIL_PATH}?orderId=${id(aliOrderId)}`;
export const trackingUrl = (aliOrderId: string, origin: string = DEFAULT_ORIGIN): string => `${origin}${TRACKING_PATH}?tradeOrderId=${id(aliOrderId)}`;
/** The tracking page as the manual sync loads it: no share banner, straight to the logged-in view. */
export const syncTrackingUrl = (aliOrderId: string, origin: string = DEFAULT_ORIGIN): string =>
  `${origin}${TRACKING_PATH}?_addShare=no&_login=yes&tradeOrderId=${id(aliOrderId)}`;

/** The order id a URL names (`orderId=`, `tradeOrderId=`, the older page's `tradeId=`), as written. */
export const ORDER_ID_PARAMS = ['tradeOrderId', 'orderId', 'tradeId'] as const;
