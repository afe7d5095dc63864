/**
 * What kind of AliExpress page a URL and a document are, before any order is read: a login page
 * or a bot check must be reported as such, never as "no orders".
 */
import { BOT_CHECK, LOGIN, ORDER_LIST } from './selectors';
import { cleanText } from './text';
import { isUnsupportedAliExpressHost, LOGIN_HOST, UNSUPPORTED_SITE, OLD_TRACKING_HOST, OLD_TRACKING_PATH, ORDER_DETAIL_PATH, ORDER_LIST_PATH, PUNISH_PATH, siteOfHost, TRACKING_PATH } from './urls';

export type PageType = 'order_list' | 'order_detail' | 'tracking' | 'old_tracking' | 'login' | 'bot_check' | 'unknown';

export interface PageKindReading {
  type: PageType;
  reason: string;
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The page type a URL alone says (login and punish URLs included), or `unknown`. */
export function pageTypeFromUrl(url: string): PageKindReading {
  const u = parseUrl(url);
  if (!u) return { type: 'unknown', reason: `not a URL: ${JSON.stringify(url.slice(0, 200))}` };
  const host = u.hostname.toLowerCase();
  if (isUnsupportedAliExpressHost(host)) return { type: 'unknown', reason: `${UNSUPPORTED_SITE} is another platform, not supported (${host})` };
  if (u.pathname.includes(PUNISH_PATH) || u.searchParams.has('x5secdata')) {
    return { type: 'bot_check', reason: 'the URL is AliExpress\'s bot check ("punish") page' };
  }
  const site = siteOfHost(host);
  if (host === LOGIN_HOST || (site && /^\/(?:login|user\/login)/.test(u.pathname))) {
    return { type: 'login', reason: 'the URL is the AliExpress login page' };
  }
  if (host === OLD_TRACKING_HOST && u.pathname.startsWith(OLD_TRACKING_PATH)) {
    return { type: 'old_tracking', reason: `the older tracking page (${OLD_TRACKING_HOST})` };
  }
  if (!site) return { type: 'unknown', reason: `not an AliExpress page (${host})` };
  if (u.pathname.startsWith(ORDER_LIST_PATH)) return { type: 'order_list', reason: 'the order list page' };
  if (u.pathname.startsWith(ORDER_DETAIL_PATH)) return { type: 'order_detail', reason: 'the order detail page' };
  if (u.pathname.startsWith(TRACKING_PATH)) return { type: 'tracking', reason: 'the tracking page' };
  return { type: 'unknown', reason: `no reader for ${u.pathname}` };
}

/** An element as `tag#id.class`, to say which marker was found. */
function describe(element: Element): string {
  const id = element.getAttribute('id');
  const classes = (element.getAttribute('class') ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 2);
  return `${element.tagName.toLowerCase()}${id ? `#${id}` : ''}${classes.map((c) => `.${c}`).join('')}`;
}

/**
 * A login form or bot check in the document itself, whatever its URL: AliExpress may serve the
 * slider or the login box in place of an order page without changing the address.
 */
export function blockingPage(root: Document): PageKindReading | undefined {
  try {
    const title = cleanText(root.title ?? root.querySelector('title')?.textContent);
    const marker = root.querySelector(BOT_CHECK.structure);
    if (marker) return { type: 'bot_check', reason: `the page shows AliExpress's bot check (${describe(marker)})` };
    if (BOT_CHECK.title.test(title)) return { type: 'bot_check', reason: `the page is titled "${title}"` };
    const bodyText = cleanText(root.body?.textContent ?? '').slice(0, 5000);
    if (BOT_CHECK.text.test(bodyText) && !root.querySelector(ORDER_LIST.card)) return { type: 'bot_check', reason: 'the page asks to verify you are human' };
    if (root.querySelector(LOGIN.form)) return { type: 'login', reason: 'the page shows the AliExpress login form' };
  } catch {
    // A document the DOM cannot query says nothing either way.
  }
  return undefined;
}
