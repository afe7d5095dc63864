/**
 * The order list page (www.aliexpress.com/p/order/index.html): its JSON (inline init data for
 * page 1, `mtop.aliexpress.trade.buyer.order.list` answers for pages 2..N) and, as a fallback, the
 * DOM of its order cards.
 */
import type { AliOrder, ListTab, OrderItem } from '../domain/snapshot';
import { isAliOrderId } from '../domain/ids';
import { componentsByTag, isRecord, mtopProblemReading, stringField, ultronComponents } from './mtop';
import { isStatusCode, resolveOrderStatus, type StatusEvidence } from './order-status';
import { orderIdFromUrl, orderIdInText, readSafely, type PageReading } from './reading';
import { ORDER_LIST } from './selectors';
import { cleanText, parseDisplayDate, parseDisplayMoney, parseMoney } from './text';

// The capture side imports the reading type from here; it lives in reading.ts with the other readers' base.
export type { PageReading } from './reading';

export interface OrderListReading extends PageReading {
  /** The list says more pages follow ("View orders"). */
  hasMore?: boolean;
}

/** The order's status and what decided it, from its evidence; its warnings go with the order's id. */
export function statusFields(evidence: StatusEvidence, aliOrderId: string, warnings: string[]): Pick<AliOrder, 'status' | 'statusSource'> {
  const resolved = resolveOrderStatus(evidence);
  for (const warning of resolved.warnings) warnings.push(`order ${aliOrderId}: ${warning}`);
  return { status: resolved.status, ...(resolved.source && { statusSource: resolved.source }) };
}

/**
 * The list tab a list request asked for: `statusTab` in its `data` parameter, JSON, sent in the
 * URL (GET) or a form body (POST), as the page's own code sends it ("reported": see
 * shared/reference/aliexpress-signals.md). Undefined when the request names none.
 */
export function listRequestTab(url: string | undefined, body?: string): string | undefined {
  const dataParams: string[] = [];
  try {
    if (url) {
      const fromUrl = new URL(url).searchParams.get('data');
      if (fromUrl) dataParams.push(fromUrl);
    }
  } catch {
    // Not a URL: the body may still name the tab.
  }
  if (body) {
    const trimmed = body.trim();
    if (trimmed.startsWith('{')) dataParams.push(trimmed);
    else {
      const fromForm = new URLSearchParams(trimmed).get('data');
      if (fromForm) dataParams.push(fromForm);
    }
  }
  for (const data of dataParams) {
    try {
      const parsed: unknown = JSON.parse(data);
      if (isRecord(parsed) && typeof parsed.statusTab === 'string') return parsed.statusTab.trim().toLowerCase();
    } catch {
      // A data parameter that is not JSON names no tab.
    }
  }
  return undefined;
}

/**
 * The tabs the list header offers (`pc_om_list_header.statusTabList`, seen: `{code, title}` with
 * the title in the page's language) and the tab the answer is for (`pc_om_list_header_action`'s
 * `statusTab`, seen: "all"). Answers of later pages carry no header: their request names the tab.
 */
function listTabsOf(components: ReturnType<typeof ultronComponents>): { tabs?: ListTab[]; tab?: string } {
  const header = componentsByTag(components, 'pc_om_list_header')[0]?.fields;
  const tabs = Array.isArray(header?.statusTabList)
    ? header.statusTabList
        .filter(isRecord)
        .map((t) => ({ code: stringField(t, 'code')?.trim().toLowerCase(), title: cleanText(stringField(t, 'title')) }))
        .filter((t): t is ListTab => Boolean(t.code) && t.title !== '')
    : [];
  const action = componentsByTag(components, 'pc_om_list_header_action')[0]?.fields;
  const tab = action ? stringField(action, 'statusTab')?.trim().toLowerCase() : undefined;
  return { ...(tabs.length > 0 && { tabs }), ...(tab && { tab }) };
}

/** The order's button type codes (`buttons[].type`), the same in every language. */
function buttonTypesOf(buttons: unknown): string[] {
  if (!Array.isArray(buttons)) return [];
  return buttons.filter(isRecord).map((b) => stringField(b, 'type')).filter((t): t is string => t !== undefined && t.trim() !== '');
}

/** The numeric status of `utParams.args.orderStatus`, where the card carries one. */
function numericStatusOf(fields: Record<string, unknown>): number | undefined {
  const args = isRecord(fields.utParams) && isRecord(fields.utParams.args) ? fields.utParams.args : undefined;
  const value = args?.orderStatus;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,3}$/.test(value.trim()) ? Number(value) : undefined;
  return number !== undefined && Number.isInteger(number) ? number : undefined;
}

/** A status code in an order's fields (`orderStatus`, `status`…), where a version of the page carries one. */
export function statusCodeIn(fields: Record<string, unknown>): string | undefined {
  for (const name of ['orderStatus', 'orderStatusCode', 'status', 'tradeStatus']) {
    const value = stringField(fields, name);
    if (value && isStatusCode(value)) return value;
  }
  return undefined;
}

/** The items of an order's lines (the list's `orderLines`, the detail's `productVOList`). */
export function itemsOf(orderLines: unknown): OrderItem[] | undefined {
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
    const productId = stringField(line, 'productId');
    items.push({
      title: cleanText(title),
      ...(quantity !== undefined && { quantity }),
      ...(productId && { productId }),
      ...(sku && { sku }),
    });
  }
  return items;
}

/**
 * Reads an order list API answer or the page's inline init data. `tab`: the list tab its request
 * asked for (listRequestTab), the strongest evidence after a status code. Never throws.
 */
export const readOrderListJson: (body: unknown, tab?: string) => OrderListReading = /* @__PURE__ */ readSafely('order list answer', (body: unknown, requestTab?: string): OrderListReading => {
  const warnings: string[] = [];
  const problem = mtopProblemReading(body);
  if (problem) return problem;
  const components = ultronComponents(body);
  const cards = componentsByTag(components, 'pc_om_list_order');
  const listBody = componentsByTag(components, 'pc_om_list_body')[0];
  if (cards.length === 0 && !listBody) {
    return { kind: 'unknown', orders: [], warnings: ['not an order list: no pc_om_list_order or pc_om_list_body component'] };
  }
  const header = listTabsOf(components);
  // The request is what the page asked for; the answer's header says the same where it has one.
  const tab = requestTab ?? header.tab;
  const list = { ...(tab && { tab }), ...(header.tabs && { tabs: header.tabs }) };
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
    const evidence: StatusEvidence = {
      code: statusCodeIn(f),
      tab,
      buttonTypes: buttonTypesOf(f.buttons),
      numericStatus: numericStatusOf(f),
      text: statusText,
    };
    orders.push({
      aliOrderId,
      ...statusFields(evidence, aliOrderId, warnings),
      ...(statusText !== undefined && { statusText: cleanText(statusText) }),
      ...(storeName && { storeName: cleanText(storeName) }),
      ...(orderedAt && { orderedAt }),
      ...(total && { total }),
      ...(items && { items }),
      packages: [],
    });
  }
  const hasMore = listBody && typeof listBody.fields.hasMore === 'boolean' ? listBody.fields.hasMore : undefined;
  return { kind: 'order_list', orders, warnings, ...(hasMore !== undefined && { hasMore }), ...((list.tab || list.tabs) && { list }) };
});

/**
 * The order id in a detail or tracking link of a card, if any; the card itself may be that link
 * (`<a class="order-item" href="…orderId=…">`).
 */
function orderIdFromLinks(card: Element): string | undefined {
  const links = [...(card.matches(ORDER_LIST.orderLinks) ? [card] : []), ...Array.from(card.querySelectorAll(ORDER_LIST.orderLinks))];
  for (const link of links) {
    const id = orderIdFromUrl(link.getAttribute('href'));
    if (id) return id;
  }
  return undefined;
}

function infoLines(card: Element): string[] {
  return Array.from(card.querySelectorAll(ORDER_LIST.infoLines)).map((node) => cleanText(node.textContent));
}

/** The value printed after one of the labels ("Order ID: 8212…", "Order date: Jul 15, 2026"). */
function labelledValue(lines: string[], labels: RegExp): string | undefined {
  for (const text of lines) {
    const match = labels.exec(text);
    if (match) return cleanText(text.slice(match.index + match[0].length));
  }
  return undefined;
}

/**
 * The order id printed in the card: after an English label, else the only order id in the card's
 * info lines (its label may be in any language), else undefined.
 */
function orderIdFromText(lines: string[]): string | undefined {
  const labelled = labelledValue(lines, ORDER_LIST.orderIdLabel)?.match(orderIdInText())?.[0];
  if (labelled) return labelled;
  const numbers = new Set(lines.flatMap((line) => [...line.matchAll(orderIdInText())].map((m) => m[0])));
  return numbers.size === 1 ? [...numbers][0] : undefined;
}

/** The order date: after an English label, else the one info line that reads as a date. */
function orderDateFrom(lines: string[]): string | undefined {
  const labelled = labelledValue(lines, ORDER_LIST.orderDateLabel);
  if (labelled) return parseDisplayDate(labelled);
  const dates = new Set(
    lines
      .filter((line) => !orderIdInText().test(line))
      .map((line) => parseDisplayDate(line.replace(/^[^:：\d]*[:：]\s*/, '')))
      .filter((d): d is string => d !== undefined),
  );
  return dates.size === 1 ? [...dates][0] : undefined;
}

function firstText(card: Element, selector: string): string | undefined {
  const text = cleanText(card.querySelector(selector)?.textContent);
  return text === '' ? undefined : text;
}

/**
 * The card's total. Prices are printed one character per span, so the text is read whole; a
 * label before the price ("Total:") is dropped, and its currency comes from the symbol.
 */
function totalOf(card: Element, aliOrderId: string, warnings: string[]): AliOrder['total'] {
  const node = card.querySelector(ORDER_LIST.total);
  if (!node) return undefined;
  const text = cleanText(node.textContent);
  const price = text.replace(/^[^\d:：]*[:：]\s*/, '');
  const money = parseDisplayMoney(price);
  if (!money && text) warnings.push(`order ${aliOrderId}: total "${text}" not read (currency unclear)`);
  return money;
}

/** Reads the order cards of a rendered order list page. Never throws. */
export const readOrderListDom: (root: ParentNode) => OrderListReading = /* @__PURE__ */ readSafely('order list page', (root: ParentNode): OrderListReading => {
  const warnings: string[] = [];
  // A card nested in another matching element (hashed wrappers) is read once, as the outer card.
  const all = Array.from(root.querySelectorAll(ORDER_LIST.card));
  const cards = all.filter((card) => !all.some((other) => other !== card && other.contains(card)));
  if (cards.length === 0) {
    return { kind: 'unknown', orders: [], warnings: ['no order cards found on the page (unknown layout, or no orders)'] };
  }
  const orders: AliOrder[] = [];
  const seen = new Set<string>();
  for (const card of cards) {
    const lines = infoLines(card);
    const aliOrderId = orderIdFromLinks(card) ?? orderIdFromText(lines);
    if (!aliOrderId) {
      warnings.push('skipped an order card without a readable order id');
      continue;
    }
    if (seen.has(aliOrderId)) continue;
    seen.add(aliOrderId);
    const statusText = firstText(card, ORDER_LIST.status);
    const storeName = firstText(card, ORDER_LIST.storeName);
    const orderedAt = orderDateFrom(lines);
    const total = totalOf(card, aliOrderId, warnings);
    const items = Array.from(card.querySelectorAll(ORDER_LIST.itemTitle))
      .map((node) => cleanText(node.textContent))
      .filter((title) => title !== '')
      .map((title) => ({ title }));
    orders.push({
      aliOrderId,
      ...statusFields({ text: statusText }, aliOrderId, warnings),
      ...(statusText !== undefined && { statusText }),
      ...(storeName && { storeName }),
      ...(orderedAt && { orderedAt }),
      ...(total && { total }),
      ...(items.length > 0 && { items }),
      packages: [],
    });
  }
  return { kind: 'order_list', orders, warnings };
});
