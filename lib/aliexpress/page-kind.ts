/**
 * What kind of AliExpress page a URL and a document are, before any order is read: a login page
 * or a bot check must be reported as such, never as "no orders".
 */
import { BOT_CHECK, LOGIN } from './selectors';
import { cleanText } from './text';

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

const isAliExpressHost = (host: string): boolean => /(?:^|\.)aliexpress\.(?:com|us|ru)$/.test(host);

/** The page type a URL alone says (login and punish URLs included), or `unknown`. */
export function pageTypeFromUrl(url: string): PageKindReading {
  const u = parseUrl(url);
  if (!u) return { type: 'unknown', reason: `not a URL: ${JSON.stringify(url.slice(0, 200))}` };
  const host = u.hostname.toLowerCase();
  if (u.pathname.includes('/_____tmd_____/punish') || u.searchParams.has('x5secdata')) {
    return { type: 'bot_check', reason: 'the URL is AliExpress\'s bot check ("punish") page' };
  }
  if (host.startsWith('login.aliexpress.') || (isAliExpressHost(host) && /^\/(?:login|user\/login)/.test(u.pathname))) {
    return { type: 'login', reason: 'the URL is the AliExpress login page' };
  }
  if (host === 'track.aliexpress.com' && u.pathname.startsWith('/logisticsdetail.htm')) {
    return { type: 'old_tracking', reason: 'the older tracking page (track.aliexpress.com)' };
  }
  if (!isAliExpressHost(host)) return { type: 'unknown', reason: `not an AliExpress page (${host})` };
  if (u.pathname.startsWith('/p/order/index.html')) return { type: 'order_list', reason: 'the order list page' };
  if (u.pathname.startsWith('/p/order/detail.html')) return { type: 'order_detail', reason: 'the order detail page' };
  if (u.pathname.startsWith('/p/tracking/index.html')) return { type: 'tracking', reason: 'the tracking page' };
  return { type: 'unknown', reason: `no reader for ${u.pathname}` };
}

/**
 * A login form or bot check in the document itself, whatever its URL: AliExpress may serve the
 * slider or the login box in place of an order page without changing the address.
 */
export function blockingPage(root: Document): PageKindReading | undefined {
  try {
    const title = cleanText(root.title ?? root.querySelector('title')?.textContent);
    if (root.querySelector(BOT_CHECK.slider)) return { type: 'bot_check', reason: 'the page shows AliExpress\'s slider check' };
    if (BOT_CHECK.title.test(title)) return { type: 'bot_check', reason: `the page is titled "${title}"` };
    const bodyText = cleanText(root.body?.textContent ?? '').slice(0, 5000);
    if (BOT_CHECK.text.test(bodyText) && !root.querySelector('.order-item')) return { type: 'bot_check', reason: 'the page asks to verify you are human' };
    if (root.querySelector(LOGIN.form)) return { type: 'login', reason: 'the page shows the AliExpress login form' };
  } catch {
    // A document the DOM cannot query says nothing either way.
  }
  return undefined;
}
