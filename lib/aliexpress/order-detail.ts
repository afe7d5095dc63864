/**
 * The order detail page (/p/order/detail.html?orderId=…): its API answer
 * (`mtop.aliexpress.trade.buyer.order.detail`, an Ultron component tree like the list's) and,
 * as a fallback, its DOM.
 *
 * Dates: the detail shows calendar days only ("Jul 15, 2026"). `orderedAt` and `paidAt` take a
 * day as it is (never dressed up with an invented time); the shipped and completed days, which
 * the contract has no field for, are returned beside the order (`days`).
 */
import type { AliOrder, OrderItem } from '../domain/snapshot';
import { componentsByTag, isRecord, mtopProblemReading, stringField, ultronComponents } from './mtop';
import { itemsOf, statusCodeIn, statusFields } from './order-list';
import type { StatusEvidence } from './order-status';
import { orderIdFromUrl, orderIdInText, readSafely, textOf, validOrderId, type PageReading } from './reading';
import { ORDER_DETAIL } from './selectors';
import { cleanText, parseDisplayDate, parseDisplayMoney, parseMoney } from './text';

/** Calendar days the detail page shows, for consumers that can use them. */
export interface OrderDays {
  placedOn?: string;
  paidOn?: string;
  shippedOn?: string;
  completedOn?: string;
}

const DAY_FIELDS = ['placedOn', 'paidOn', 'shippedOn', 'completedOn'] as const;

/** Where the API answer's info block and the page's info rows show each day. */
const DAY_API_FIELDS: Record<keyof OrderDays, string> = { placedOn: 'orderCreatTime', paidOn: 'payTime', shippedOn: 'orderShipTime', completedOn: 'orderEndTime' };
const DAY_ROW_LABELS: Record<keyof OrderDays, RegExp> = {
  placedOn: ORDER_DETAIL.placedOnLabel,
  paidOn: ORDER_DETAIL.paidOnLabel,
  shippedOn: ORDER_DETAIL.shippedOnLabel,
  completedOn: ORDER_DETAIL.completedOnLabel,
};

/** The days a detail shows, with one lookup per day (an API field, or a labelled row). */
function readDays(day: (field: keyof OrderDays) => string | undefined): OrderDays {
  const days: OrderDays = {};
  for (const field of DAY_FIELDS) {
    const value = day(field);
    if (value) days[field] = value;
  }
  return days;
}

interface DetailParts {
  aliOrderId: string;
  status: Pick<AliOrder, 'status' | 'statusSource'>;
  statusText: string | undefined;
  storeName: string;
  days: OrderDays;
  total: AliOrder['total'];
  items: OrderItem[] | undefined;
  trackingNumbers: string[];
  warnings: string[];
}

/** The one order a detail page is about, read from its API answer or its DOM alike. */
function detailReading(p: DetailParts): OrderDetailReading {
  const order: AliOrder = {
    aliOrderId: p.aliOrderId,
    ...p.status,
    ...(p.statusText !== undefined && { statusText: p.statusText }),
    ...(p.storeName && { storeName: p.storeName }),
    ...(p.days.placedOn && { orderedAt: p.days.placedOn }),
    ...(p.days.paidOn && { paidAt: p.days.paidOn }),
    ...(p.total && { total: p.total }),
    ...(p.items && { items: p.items }),
    packages: [],
  };
  return {
    kind: 'order_detail',
    orders: [order],
    warnings: p.warnings,
    days: { [p.aliOrderId]: p.days },
    ...(p.trackingNumbers.length > 0 && { trackingNumbers: { [p.aliOrderId]: p.trackingNumbers } }),
  };
}

export interface OrderDetailReading extends PageReading {
  /** Per order id: the days shown (see the module comment). */
  days?: Record<string, OrderDays>;
  /**
   * Per order id: tracking numbers the page shows without any carrier status. Not put in
   * `packages`, where a made-up status would overwrite a real one (see the report's proposal).
   */
  trackingNumbers?: Record<string, string[]>;
}

/** Tracking numbers in any detail block that names one (not in the real capture; kept general). */
function trackingNumbersIn(fields: Record<string, unknown>, depth = 0, found: string[] = []): string[] {
  if (depth > 6) return found;
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string' && /^(?:mailNo|trackingNumber|trackingNo|logisticsNo)$/.test(key)) {
      const number = cleanText(value);
      if (/^[A-Za-z0-9-]{4,64}$/.test(number) && !found.includes(number)) found.push(number);
    } else if (isRecord(value)) {
      trackingNumbersIn(value, depth + 1, found);
    } else if (Array.isArray(value)) {
      for (const entry of value) if (isRecord(entry)) trackingNumbersIn(entry, depth + 1, found);
    }
  }
  return found;
}

/** Reads an order detail API answer. `url`: the page's or the API call's. Never throws. */
export const readOrderDetailJson: (body: unknown, url?: string) => OrderDetailReading = /* @__PURE__ */ readSafely('order detail', (body: unknown, url?: string): OrderDetailReading => {
  const warnings: string[] = [];
  const problem = mtopProblemReading(body);
  if (problem) return problem;
  const components = ultronComponents(body);
  const statusBlock = componentsByTag(components, 'detail_order_status_block')[0]?.fields;
  const info = componentsByTag(components, 'detail_simple_order_info_component')[0]?.fields;
  if (!statusBlock && !info) {
    return { kind: 'unknown', orders: [], warnings: ['not an order detail: no detail_order_status_block or detail_simple_order_info_component'] };
  }
  const ids = [statusBlock?.orderId, info?.tradeOrderId].map(validOrderId).filter((id): id is string => id !== undefined);
  const fromUrl = orderIdFromUrl(url);
  const aliOrderId = ids[0] ?? fromUrl;
  if (ids.length > 1 && ids[0] !== ids[1]) warnings.push(`the detail names two orders (${ids.join(', ')}); read ${ids[0]}`);
  if (fromUrl && ids[0] && fromUrl !== ids[0]) warnings.push(`the URL names order ${fromUrl}, the answer ${ids[0]}; the answer wins`);
  if (!aliOrderId) return { kind: 'order_detail', orders: [], warnings: [...warnings, 'no valid order id in the detail'] };

  const statusText = statusBlock ? stringField(statusBlock, 'title') : undefined;
  const evidence: StatusEvidence = { code: statusBlock ? statusCodeIn(statusBlock) : undefined, text: statusText };
  const status = statusFields(evidence, aliOrderId, warnings);

  const days = info ? readDays((field) => parseDisplayDate(stringField(info, DAY_API_FIELDS[field]) ?? '')) : {};
  const product = componentsByTag(components, 'detail_product_block')[0]?.fields;
  const seller = product && isRecord(product.sellerVO) ? product.sellerVO : undefined;
  const storeName = seller ? cleanText(stringField(seller, 'sellerName')) : '';
  const items = product ? itemsOf(product.productVOList) : undefined;
  const price = componentsByTag(components, 'detail_order_price_block')[0]?.fields;
  const totalPrice = price && isRecord(price.totalPrice) ? price.totalPrice : undefined;
  const total = totalPrice
    ? parseMoney(stringField(totalPrice, 'value'), stringField(totalPrice, 'currencyCode'), stringField(totalPrice, 'formatPriceInfo'))
    : undefined;

  const numbers: string[] = [];
  for (const component of components) {
    if (component.tag === 'detail_product_block' || component.tag === 'detail_root_container') continue;
    for (const n of trackingNumbersIn(component.fields)) if (!numbers.includes(n)) numbers.push(n);
  }
  return detailReading({
    aliOrderId,
    status,
    statusText: statusText === undefined ? undefined : cleanText(statusText),
    storeName,
    days,
    total,
    items,
    trackingNumbers: numbers,
    warnings,
  });
});

/** Reads the order detail page's DOM. Never throws. */
export const readOrderDetailDom: (root: ParentNode, url: string) => OrderDetailReading = /* @__PURE__ */ readSafely('order detail page', (root: ParentNode, url: string): OrderDetailReading => {
  const warnings: string[] = [];
  const page = root.querySelector(ORDER_DETAIL.root);
  if (!page) return { kind: 'unknown', orders: [], warnings: ['no order detail on the page (unknown layout)'] };
  const rows = Array.from(page.querySelectorAll(ORDER_DETAIL.infoRows)).map((row) => ({
    title: textOf(row.querySelector(ORDER_DETAIL.infoTitle)).replace(/[:：]\s*$/, ''),
    value: textOf(row.querySelector(ORDER_DETAIL.infoValue)),
  }));
  const rowValue = (label: RegExp): string | undefined => rows.find((r) => label.test(r.title))?.value;
  // The id: the URL first (it is what the page was opened for), then a labelled row, then any
  // row that starts with an order id (its label may be in any language).
  const fromRow = validOrderId(rowValue(ORDER_DETAIL.orderIdLabel)?.match(orderIdInText())?.[0]);
  const anyRow = rows.map((r) => r.value.match(orderIdInText())?.find((id) => r.value.startsWith(id))).find((id) => id !== undefined);
  const aliOrderId = orderIdFromUrl(url) ?? fromRow ?? anyRow;
  if (!aliOrderId) return { kind: 'order_detail', orders: [], warnings: ['no order id in the URL or on the page'] };

  const statusText = textOf(page.querySelector(ORDER_DETAIL.statusTitle)) || undefined;
  const status = statusFields({ text: statusText }, aliOrderId, warnings);
  const days = readDays((field) => parseDisplayDate(rowValue(DAY_ROW_LABELS[field]) ?? ''));
  if (rows.length > 0 && !days.placedOn) warnings.push(`order ${aliOrderId}: no order date read (labels not in English?)`);

  const storeName = textOf(page.querySelector(ORDER_DETAIL.storeName));
  const items: OrderItem[] = [];
  for (const item of Array.from(page.querySelectorAll(ORDER_DETAIL.item))) {
    const title = textOf(item.querySelector(ORDER_DETAIL.itemTitle));
    if (!title) continue;
    const quantity = Number(/(\d+)/.exec(textOf(item.querySelector(ORDER_DETAIL.itemQuantity)))?.[1]);
    items.push({ title, ...(Number.isInteger(quantity) && quantity > 0 && { quantity }) });
  }
  const totalText = textOf(page.querySelector(ORDER_DETAIL.total));
  const total = totalText ? parseDisplayMoney(totalText) : undefined;
  if (totalText && !total) warnings.push(`order ${aliOrderId}: total "${totalText}" not read (currency unclear)`);
  const numbers = Array.from(page.querySelectorAll(ORDER_DETAIL.trackingNumber))
    .map((n) => textOf(n).replace(/^[^:：]*[:：]\s*/, ''))
    .filter((n, i, all) => /^[A-Za-z0-9-]{4,64}$/.test(n) && all.indexOf(n) === i);
  return detailReading({
    aliOrderId,
    status,
    statusText,
    storeName,
    days,
    total,
    items: items.length > 0 ? items : undefined,
    trackingNumbers: numbers,
    warnings,
  });
});
