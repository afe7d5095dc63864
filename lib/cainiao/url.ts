/**
 * Where Cainiao's public tracking is asked, and how many numbers at once. Dependency-free, for
 * wxt.config.ts (the host permission) as well as the worker.
 */

export const CAINIAO_DETAIL_URL = 'https://global.cainiao.com/global/detail.json';
/** The one host the extension asks for besides AliExpress and the backend. */
export const CAINIAO_HOST_PATTERN = 'https://global.cainiao.com/*';

/**
 * Numbers per request. `mailNos` takes them comma-separated in the URL, so the URL grows by the
 * number's length plus one. A web server commonly refuses a request line over 8 KB (nginx's and
 * Tengine's default `large_client_header_buffers 4 8k`: 414); with the longest number the cache
 * accepts (64 characters) that is 125 numbers, with the real captures' 13-character numbers 580
 * (CAINIAO_URL_LIMIT, measured by `npm run bench`). Cainiao publishes no limit of its own. 30 is a
 * quarter of the worst case, keeps a real-shape answer at 55-130 KB (2.6 KB a parcel in transit, 4.4 KB a delivered one in
 * the real capture), and refreshes 300 parcels in 10 requests. An answer that covers fewer numbers
 * than asked lowers the batch for later requests (see tracking-refresh.ts).
 */
export const CAINIAO_BATCH_SIZE = 30;
/** The request-line length the batch is sized against (see CAINIAO_BATCH_SIZE). */
export const CAINIAO_URL_LIMIT = 8192;

/** The detail.json URL for these numbers, in Cainiao's English wording. */
export function cainiaoDetailUrl(trackingNumbers: readonly string[], lang = 'en-US'): string {
  // Commas stay literal, as Cainiao's own page sends them; the numbers themselves are escaped.
  return `${CAINIAO_DETAIL_URL}?mailNos=${trackingNumbers.map(encodeURIComponent).join(',')}&lang=${encodeURIComponent(lang)}`;
}
