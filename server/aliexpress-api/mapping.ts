/**
 * What the two API answers say of one order, as the same snapshots a page read makes: the order's
 * status from `aliexpress.trade.ds.order.get` (an `order_detail` snapshot), its packages from
 * `aliexpress.ds.order.tracking.get` (a `tracking` snapshot). Each snapshot's URL is the API call
 * it came from, which is how a reader of the audit tells an API read from a page read. Pure.
 */
import type { AliOrder, Package, Snapshot, TrackingEvent } from '../../lib/domain/snapshot';
import { statusFromCode } from '../../lib/aliexpress/order-status';
import { trackingStatusOf } from '../../lib/aliexpress/tracking-status';
import { ORDER_GET, TRACKING_GET, isRecord } from './client';

/** The tracking call's answer for an order nothing has been shipped for yet (reference). */
export const TRACKING_NOT_FOUND_CODE = '1001';

export function callUrl(apiOrigin: string, method: string, aliOrderId: string): string {
  const url = new URL('/sync', apiOrigin);
  url.search = new URLSearchParams({ method, order_id: aliOrderId }).toString();
  return url.href;
}

/**
 * The order's status from `order_status`, by the documented codes the page readers share
 * (lib/aliexpress). FINISH ends completed and canceled orders alike: only `logistics_status`
 * BUYER_ACCEPT_GOODS (the buyer accepted the goods) makes it completed; otherwise, and for codes
 * whose meaning no source gives (PAYMENT_PROCESSING, WAIT_SELLER_EXAMINE_MONEY, RISK_CONTROL_HOLD,
 * WAIT_GROUP, WAIT_COMPLETE_ADDRESS …), the status stays unknown, with a warning.
 */
export function orderFromApi(aliOrderId: string, result: Record<string, unknown>, warnings: string[]): AliOrder {
  const code = text(result.order_status) ?? '';
  const logistics = text(result.logistics_status);
  let status = statusFromCode(code);
  if (code.toUpperCase() === 'FINISH' && logistics?.toUpperCase() === 'BUYER_ACCEPT_GOODS') status = 'completed';
  if (!status) {
    warnings.push(`order ${aliOrderId}: API order_status ${code || '(none)'}${logistics ? ` with logistics_status ${logistics}` : ''} does not say which status; left unknown`);
  }
  const store = isRecord(result.store_info) ? text(result.store_info.store_name) : undefined;
  const ordered = calendarDay(result.gmt_create);
  const paid = calendarDay(result.order_paidtime_string);
  const total = money(result.order_amount);
  return {
    aliOrderId,
    status: status ?? 'unknown',
    // order_status is the API's status code: language-independent, the strongest evidence.
    ...(status && { statusSource: 'code' as const }),
    statusText: code || undefined,
    ...(store && { storeName: store }),
    ...(ordered && { orderedAt: ordered }),
    ...(paid && { paidAt: paid }),
    ...(total && { total }),
    packages: [],
  };
}

/**
 * The packages of a tracking answer. Its events carry no codes, only words: a package's status
 * comes from the sourced wording (lib/aliexpress's tracking classifier). A package whose events
 * say nothing the classifier knows is left out, with a warning, rather than given a guessed status;
 * one with no events at all has a number but no carrier scan yet: pending.
 */
export function packagesFromApi(aliOrderId: string, result: Record<string, unknown>, warnings: string[]): Package[] {
  if (result.ret === false) {
    if (text(result.code) !== TRACKING_NOT_FOUND_CODE) {
      warnings.push(`order ${aliOrderId}: the tracking call answered ${text(result.code) ?? 'no code'} "${text(result.msg) ?? ''}"`);
    }
    return [];
  }
  const data = isRecord(result.data) ? result.data : result;
  const lines = Array.isArray(data.tracking_detail_line_list) ? data.tracking_detail_line_list.filter(isRecord) : [];
  const packages: Package[] = [];
  for (const line of lines) {
    const trackingNumber = text(line.mail_no)?.trim();
    if (!trackingNumber || trackingNumber.length > 64) {
      warnings.push(`order ${aliOrderId}: a tracking line without a usable tracking number`);
      continue;
    }
    if (packages.some((p) => p.trackingNumber === trackingNumber)) continue;
    const nodes = Array.isArray(line.detail_node_list) ? line.detail_node_list.filter(isRecord) : [];
    const events = nodes.map(eventOf).filter((e): e is TrackingEvent => e !== undefined);
    if (events.length < nodes.length) warnings.push(`package ${trackingNumber}: ${nodes.length - events.length} event(s) without a readable time left out`);
    // Newest first, as the pages show them.
    events.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    const carrier = text(line.carrier_name) ?? text(line.cp_name);
    const status = events.length === 0 ? 'pending' : trackingStatusOf(events.map((e) => ({ codes: [], texts: [e.text] }))).status;
    if (!status) {
      warnings.push(`package ${trackingNumber}: no event's words say where it is (the API gives no codes); not reported, the Chrome sync can read its tracking page`);
      continue;
    }
    packages.push({ trackingNumber, ...(carrier && { carrier }), trackingStatus: status, events });
  }
  return packages;
}

function eventOf(node: Record<string, unknown>): TrackingEvent | undefined {
  const ms = Number(node.time_stamp);
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  const at = new Date(ms);
  if (Number.isNaN(at.getTime())) return undefined;
  const name = text(node.tracking_name)?.trim();
  const desc = text(node.tracking_detail_desc)?.trim();
  return { at: at.toISOString(), text: desc || name || '' };
}

/** The snapshots one order's two answers make, captured at `now`. */
export function snapshotsFromApi(
  apiOrigin: string,
  aliOrderId: string,
  order: Record<string, unknown>,
  tracking: Record<string, unknown> | undefined,
  now: Date,
): Snapshot[] {
  const capturedAt = now.toISOString();
  const orderWarnings: string[] = [];
  const snapshots: Snapshot[] = [
    { kind: 'order_detail', url: callUrl(apiOrigin, ORDER_GET, aliOrderId), capturedAt, orders: [orderFromApi(aliOrderId, order, orderWarnings)], warnings: orderWarnings },
  ];
  if (tracking) {
    const warnings: string[] = [];
    const packages = packagesFromApi(aliOrderId, tracking, warnings);
    // A tracking read never says the order's status: `unknown` keeps the one the order call gave.
    snapshots.push({ kind: 'tracking', url: callUrl(apiOrigin, TRACKING_GET, aliOrderId), capturedAt, orders: [{ aliOrderId, status: 'unknown', packages }], warnings });
  }
  return snapshots;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * The calendar day of an API time ("2024-02-24 15:00:51"). The API names no time zone and no
 * source gives it, so only the day is kept, as the order list's dates are.
 */
function calendarDay(value: unknown): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T]|$)/.exec(text(value) ?? '');
  if (!match) return undefined;
  const day = match[1]!;
  return Number.isNaN(Date.parse(`${day}T00:00:00Z`)) ? undefined : day;
}

function money(value: unknown): AliOrder['total'] {
  const entry = Array.isArray(value) ? value.find(isRecord) : isRecord(value) ? value : undefined;
  if (!entry) return undefined;
  const amount = Number(entry.amount);
  const currency = text(entry.currency_code);
  if (!Number.isFinite(amount) || amount < 0 || !currency || !/^[A-Z]{3}$/.test(currency)) return undefined;
  return { amount, currency };
}
