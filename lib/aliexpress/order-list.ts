/**
 * The order list page (www.aliexpress.com/p/order/index.html): its JSON (inline init data for
 * page 1, `mtop.aliexpress.trade.buyer.order.list` answers for pages 2..N) and, as a fallback, the
 * DOM of its order cards.
 */
import type { AliOrder, OrderItem, SnapshotKind } from '../domain/snapshot';
import { isAliOrderId } from '../domain/ids';
import { componentsByTag, isRecord, mtopOutcome, mtopRetText, stringField, ultronComponents } from './mtop';
import { ORDER_LIST } from './selectors';
import { statusFromText } from './status-text';
import { cleanText, parseDisplayDate, parseMoney } from './text';

export interface PageReading {
  kind: SnapshotKind;
  orders: AliOrder[];
  warnings: string[];
}

export interface OrderListReading extends PageReading {
  /** The list says more pages follow ("View orders"). */
  hasMore?: boolean;
}

function statusOf(statusText: string | undefined, aliOrderId: string, warnings: string[]): AliOrder['status'] {
  if (!statusText) {
    warnings.push(`order ${aliOrderId}: no status text`);
    return 'unknown';
  }
  const status = statusFromText(statusText);
  if (status) return status;
  warnings.push(`order ${aliOrderId}: unknown status text "${cleanText(statusText)}"`);
  return 'unknown';
}

function itemsOf(orderLines: unknown): OrderItem[] | undefined {
  if (!Array.isArray(orderLines)) return undefined;
  const items: OrderItem[] = [];
  for (const line of orderLines) {
    if (!isRecord(line)) continue;
    const title = stringField(line, 'itemTitle');
    if (title === undefined) continue;
    const quantity = typeof line.quantity === 'number' && Number.isInteger(line.quantity) && line.quantity > 0 ? line.quantity : undefined;
    const sku = Array.isArray(line.skuAttrs)
      ? line.skuAttrs.filter(isRecord).map((a) => stringField(a, 'text')).filter(Boolean).join(', ')
      : undefined;
    items.push({
      title: cleanText(title),
      ...(quantity !== undefined && { quantity }),
      ...(stringField(line, 'productId') && { productId: stringField(line, 'productId') }),
      ...(sku && { sku }),
    });
  }
  return items;
}

/** Reads an order list API answer or the page's inline init data. Never throws. */
export function readOrderListJson(body: unknown): OrderListReading {
  const warnings: string[] = [];
  if (isRecord(body) && Array.isArray(body.ret)) {
    const outcome = mtopOutcome(body);
    if (outcome === 'login') return { kind: 'login', orders: [], warnings: [`AliExpress asks to log in (${mtopRetText(body)})`] };
    if (outcome === 'bot_check') return { kind: 'bot_check', orders: [], warnings: [`AliExpress asks to verify you are human (${mtopRetText(body)})`] };
    if (outcome === 'error') return { kind: 'unknown', orders: [], warnings: [`AliExpress answered an error (${mtopRetText(body)})`] };
  }
  const components = ultronComponents(body);
  const cards = componentsByTag(components, 'pc_om_list_order');
  const listBody = componentsByTag(components, 'pc_om_list_body')[0];
  if (cards.length === 0 && !listBody) {
    return { kind: 'unknown', orders: [], warnings: ['not an order list: no pc_om_list_order or pc_om_list_body component'] };
  }
  const orders: AliOrder[] = [];
  for (const card of cards) {
    const f = card.fields;
    const aliOrderId = stringField(f, 'orderId') ?? card.id;
    if (!isAliOrderId(aliOrderId)) {
      warnings.push(`skipped an order card without a valid order id (${JSON.stringify(aliOrderId ?? null)})`);
      continue;
    }
    const statusText = stringField(f, 'statusText');
    const orderedAt = parseDisplayDate(stringField(f, 'orderDateText') ?? '');
    const total = parseMoney(stringField(f, 'totalPriceText'), stringField(f, 'currencyCode'), stringField(f, 'formatPriceInfo'));
    const storeName = stringField(f, 'storeName');
    const items = itemsOf(f.orderLines);
    orders.push({
      aliOrderId,
      status: statusOf(statusText, aliOrderId, warnings),
      ...(statusText !== undefined && { statusText: cleanText(statusText) }),
      ...(storeName && { storeName: cleanText(storeName) }),
      ...(orderedAt && { orderedAt }),
      ...(total && { total }),
      ...(items && { items }),
      packages: [],
    });
  }
  const hasMore = listBody && typeof listBody.fields.hasMore === 'boolean' ? listBody.fields.hasMore : undefined;
  return { kind: 'order_list', orders, warnings, ...(hasMore !== undefined && { hasMore }) };
}

/** The 16-digit order id in a detail or tracking link of a card, if any. */
function orderIdFromLinks(card: Element): string | undefined {
  for (const link of Array.from(card.querySelectorAll(ORDER_LIST.orderLinks))) {
    const match = /(?:tradeOrderId|orderId)=(\d{16})(?!\d)/.exec(link.getAttribute('href') ?? '');
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/** The value printed after one of the labels ("Order ID: 8212…", "Order date: Jul 15, 2026"). */
function labelledValue(card: Element, labels: RegExp): string | undefined {
  for (const node of Array.from(card.querySelectorAll(ORDER_LIST.infoLines))) {
    const text = cleanText(node.textContent);
    const match = labels.exec(text);
    if (match) return cleanText(text.slice(match.index + match[0].length));
  }
  return undefined;
}

function firstText(card: Element, selector: string): string | undefined {
  const text = cleanText(card.querySelector(selector)?.textContent);
  return text === '' ? undefined : text;
}

/** Reads the order cards of a rendered order list page. Never throws. */
export function readOrderListDom(root: ParentNode): OrderListReading {
  const warnings: string[] = [];
  const cards = Array.from(root.querySelectorAll(ORDER_LIST.card));
  if (cards.length === 0) {
    return { kind: 'unknown', orders: [], warnings: ['no order cards found on the page (unknown layout)'] };
  }
  const orders: AliOrder[] = [];
  const seen = new Set<string>();
  for (const card of cards) {
    const fromText = labelledValue(card, ORDER_LIST.orderIdLabel)?.match(/\d{16}(?!\d)/)?.[0];
    const aliOrderId = orderIdFromLinks(card) ?? fromText;
    if (!aliOrderId) {
      warnings.push('skipped an order card without a readable order id');
      continue;
    }
    if (seen.has(aliOrderId)) continue;
    seen.add(aliOrderId);
    const statusText = firstText(card, ORDER_LIST.status);
    const storeName = firstText(card, ORDER_LIST.storeName);
    const dateText = labelledValue(card, ORDER_LIST.orderDateLabel);
    const orderedAt = dateText ? parseDisplayDate(dateText) : undefined;
    orders.push({
      aliOrderId,
      status: statusOf(statusText, aliOrderId, warnings),
      ...(statusText !== undefined && { statusText }),
      ...(storeName && { storeName }),
      ...(orderedAt && { orderedAt }),
      packages: [],
    });
  }
  return { kind: 'order_list', orders, warnings };
}
