/**
 * The cached orders as CSV, one line per package (or per AliExpress order without one, or per
 * store order not placed yet), so a spreadsheet can filter by any column.
 */
import type { OrderView } from '../domain/api';
import { orderFlags } from '../domain/order-flags';

export const CSV_COLUMNS = [
  'store_order_number',
  'dsers_state',
  'tracking_status',
  'flags',
  'locked',
  'aliexpress_order_id',
  'supplier',
  'aliexpress_status',
  'paid_at',
  'tracking_number',
  'carrier',
  'package_status',
  'last_event_at',
] as const;

/**
 * One CSV field (RFC 4180). Text from AliExpress or the store could start with = + - @ and run as
 * a formula when the file is opened in a spreadsheet, so such a field gets a leading apostrophe.
 */
export function csvField(value: string | number | boolean | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The orders as CSV text, flags recomputed at `now` like everywhere else in the extension. */
export function ordersToCsv(orders: readonly OrderView[], now: Date): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const o of orders) {
    const head = [o.storeOrderNumber, o.state, o.trackingStatus, orderFlags(o, now).join(' '), o.locked];
    if (o.aliOrders.length === 0) lines.push([...head, '', '', '', '', '', '', '', ''].map(csvField).join(','));
    for (const a of o.aliOrders) {
      const ali = [a.aliOrderId, a.supplier, a.status, a.paidAt];
      if (a.packages.length === 0) lines.push([...head, ...ali, '', '', '', ''].map(csvField).join(','));
      for (const p of a.packages) lines.push([...head, ...ali, p.trackingNumber, p.carrier, p.trackingStatus, p.lastEventAt].map(csvField).join(','));
    }
  }
  // CRLF as RFC 4180 says; a spreadsheet reads it the same on every platform.
  return `${lines.join('\r\n')}\r\n`;
}
