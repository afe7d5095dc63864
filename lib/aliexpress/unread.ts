/**
 * What a read of a recognised page could not read: status texts no dictionary knows, status codes
 * and tracking codes no source names (DESIGN: "the text in the page report"; issue 13: "the page
 * report collects unknown codes"). The readers already say so in their warnings, worded once in
 * order-status.ts and tracking-status.ts; this finds them again, with the page's own words beside
 * them, so the cache can collect them across reads for the merchant to send.
 */
import type { AliOrderStatus, Snapshot, StatusSource } from '../domain/snapshot';
import { unreadStatusOf } from './order-status';
import { unknownCodesOf } from './tracking-status';

export type UnreadKind = 'status_text' | 'status_code' | 'tracking_code';

export interface Unread {
  what: UnreadKind;
  /** The page's own text or code, as it came (a status text's trailing space included). */
  value: string;
  aliOrderId?: string;
  trackingNumber?: string;
  /** The status the order was read as all the same (`unknown` when nothing decided it), and the evidence that decided it. */
  status?: AliOrderStatus;
  statusSource?: StatusSource;
  /** The reader's warning that reported it. */
  warning: string;
}

/** The same text or code, wherever and however often it is read: what the cache keeps one entry for. */
export const unreadKey = (unread: Pick<Unread, 'what' | 'value'>): string => `${unread.what} ${unread.value.trim()}`;

const ORDER_WARNING = /^order (\d{15,16}): (.*)$/s;

/** Every text and code this read could not read, once each (the first order or package that showed it). */
export function unreadIn(snapshot: Pick<Snapshot, 'orders' | 'warnings'>): Unread[] {
  const found = new Map<string, Unread>();
  const add = (unread: Unread) => {
    const key = unreadKey(unread);
    if (unread.value.trim() !== '' && !found.has(key)) found.set(key, unread);
  };
  const orders = new Map(snapshot.orders.map((o) => [o.aliOrderId, o]));
  for (const warning of snapshot.warnings) {
    const codes = unknownCodesOf(warning);
    if (codes) {
      // The order that carries the package, where the page named one.
      const order = snapshot.orders.find((o) => o.packages.some((p) => p.trackingNumber === codes.trackingNumber));
      for (const value of codes.codes) add({ what: 'tracking_code', value, trackingNumber: codes.trackingNumber, ...(order && { aliOrderId: order.aliOrderId }), warning });
      continue;
    }
    const m = ORDER_WARNING.exec(warning);
    if (!m) continue;
    const [, aliOrderId, said] = m as unknown as [string, string, string];
    const unread = unreadStatusOf(said);
    const order = orders.get(aliOrderId);
    const read = order && { status: order.status, ...(order.statusSource && { statusSource: order.statusSource }) };
    for (const value of unread.codes) add({ what: 'status_code', value, aliOrderId, ...read, warning });
    if (unread.text && order?.statusText !== undefined) add({ what: 'status_text', value: order.statusText, aliOrderId, ...read, warning });
  }
  return [...found.values()];
}
