/**
 * An AliExpress order's status from the evidence a page carries, strongest first: a status code
 * (the detail page), the list tab the page asked for (`statusTab`), the order's button type codes,
 * its numeric status, and last the localized text. Codes, tabs and buttons have no language, so
 * a merchant reading AliExpress in any language gets statuses; texts are listed only where a public
 * source shows AliExpress printing them (shared/reference/aliexpress-signals.md). What no evidence
 * decides stays `unknown`, with a warning that carries the page's own words.
 */
import type { AliOrderStatus, StatusSource } from '../domain/snapshot';
import { foldText } from './text';

type StatusTexts = Readonly<Record<string, AliOrderStatus>>;

/**
 * English. Sources: the real capture mtop-order-list-page1.json ("Completed", "Awaiting
 * delivery"), the texts listed in tests/fixtures/aliexpress-real/PROVENANCE.md, and
 * github maxwellmezadre/aliexpress-mcp src/domain/status.ts (en_US table: "to pay", "unpaid",
 * "processing", "processed", "awaiting shipment", "shipped", "finished", "order cancelled",
 * "expired", "payment expired").
 */
const en: StatusTexts = {
  'awaiting payment': 'awaiting_payment',
  'to pay': 'awaiting_payment',
  unpaid: 'awaiting_payment',
  'awaiting shipment': 'awaiting_shipment',
  'to ship': 'awaiting_shipment',
  processing: 'awaiting_shipment',
  'partially shipped': 'partially_shipped',
  'awaiting delivery': 'shipped',
  shipped: 'shipped',
  processed: 'shipped',
  completed: 'completed',
  finished: 'completed',
  closed: 'closed',
  cancelled: 'closed',
  canceled: 'closed',
  'order cancelled': 'closed',
  'payment expired': 'closed',
  // "Expired": payment expired, so the order is closed (seen, with DELETE as its only button).
  expired: 'closed',
  // The older orderList.htm page (seen on a saved screenshot).
  'fund processing': 'dispute',
};

/**
 * Brazilian Portuguese. Source: github maxwellmezadre/aliexpress-mcp src/domain/status.ts
 * (pt_BR table, observed on a pt_BR account; "Concluído " arrives with a trailing space, which
 * foldText removes, as it removes the accent some renderings drop).
 */
const pt: StatusTexts = {
  'a ser pago': 'awaiting_payment',
  'aguardando pagamento': 'awaiting_payment',
  processando: 'awaiting_shipment',
  processado: 'shipped',
  'aguardando a entrega': 'shipped',
  enviado: 'shipped',
  'concluído': 'completed',
  finalizado: 'completed',
  cancelado: 'closed',
  'compra cancelada': 'closed',
  'pedido cancelado': 'closed',
  expirado: 'closed',
  'pagamento expirado': 'closed',
};

/** German. Source: a real export of 190 orders ("Abgeschlossen" = completed). */
const de: StatusTexts = { abgeschlossen: 'completed' };

/**
 * Russian, the older orderList.htm page (code that matched the live page). "Спор закрыт"
 * (dispute closed) is not listed here: it ends in a payment or a refund alike, see FINISHED_TEXTS.
 */
const ru: StatusTexts = {
  'получено подтверждение': 'completed',
  'заказ не отправлен': 'awaiting_shipment',
  'заказ отменён': 'closed',
  'завершён': 'completed',
};

/**
 * Spanish, French, Italian, Dutch, Polish, Turkish, Japanese, Arabic, Hebrew, Vietnamese, Thai: no
 * real status text is public, so none is listed; their statuses come from tabs, buttons and codes.
 */
const STATUS_TEXTS: Readonly<Record<string, StatusTexts>> = { en, pt, de, ru };

/** Texts that say the order is over without saying whether it was completed or closed. */
const FINISHED_TEXTS: readonly string[] = ['спор закрыт'];

/**
 * Every dictionary's texts, folded. Built on the first status read, not when the module loads:
 * folding normalizes Unicode, and the first normalization in a page's renderer costs it
 * milliseconds that a page read from its own data never needs to spend.
 */
let lookup: ReadonlyMap<string, AliOrderStatus> | undefined;
function statusLookup(): ReadonlyMap<string, AliOrderStatus> {
  if (lookup) return lookup;
  const table = new Map<string, AliOrderStatus>();
  for (const texts of Object.values(STATUS_TEXTS)) {
    for (const [text, status] of Object.entries(texts)) {
      const key = foldText(text);
      const known = table.get(key);
      // Two languages giving one spelling two meanings would make the text ambiguous: refuse it.
      if (known !== undefined && known !== status) throw new Error(`status text "${text}" is ambiguous`);
      table.set(key, status);
    }
  }
  lookup = table;
  return table;
}

/** The status a displayed text means, or undefined when no dictionary knows the text. */
export function statusFromText(text: string): AliOrderStatus | undefined {
  return statusLookup().get(foldText(text));
}

/**
 * Order status codes, as the AliExpress open platform documents them (e.g. the
 * aliexpress.trade.redefining.findloanlistquery `order_status` field in the public TOP SDKs:
 * "PLACE_ORDER_SUCCESS:等待买家付款; IN_CANCEL:买家申请取消; WAIT_SELLER_SEND_GOODS:等待您发货;
 * SELLER_PART_SEND_GOODS:部分发货; WAIT_BUYER_ACCEPT_GOODS:等待买家收货; FUND_PROCESSING:
 * 买卖家达成一致，资金处理中; IN_ISSUE:含纠纷中的订单; IN_FROZEN:冻结中的订单; RISK_CONTROL:
 * 订单处于风控24小时中，从买家在线支付完成后开始"). `null` marks a code whose meaning is known but
 * does not fit one status: FINISH ends completed and cancelled orders alike, so the text decides.
 *
 * IN_CANCEL (buyer asked to cancel), IN_FROZEN (order frozen by AliExpress) and FUND_PROCESSING
 * (refund agreed, money moving) are all "the order is contested and needs the merchant": the
 * contract has no finer status for them, so they read as `dispute` (see the report's proposal).
 */
const STATUS_CODES: Readonly<Record<string, AliOrderStatus | null>> = {
  WAIT_BUYER_PAY: 'awaiting_payment',
  PLACE_ORDER_SUCCESS: 'awaiting_payment',
  WAIT_SELLER_SEND_GOODS: 'awaiting_shipment',
  // Paid; AliExpress's 24-hour risk check runs before the seller may ship.
  RISK_CONTROL: 'awaiting_shipment',
  SELLER_PART_SEND_GOODS: 'partially_shipped',
  WAIT_BUYER_ACCEPT_GOODS: 'shipped',
  FINISH: null,
  IN_ISSUE: 'dispute',
  IN_CANCEL: 'dispute',
  IN_FROZEN: 'dispute',
  FUND_PROCESSING: 'dispute',
};

/** Whether a string is one of the documented order status codes. */
export function isStatusCode(code: string): boolean {
  return Object.hasOwn(STATUS_CODES, code.trim().toUpperCase());
}

/**
 * The status a code means. Undefined for an unknown code and for FINISH, which alone cannot tell
 * a completed order from a cancelled one.
 */
export function statusFromCode(code: string): AliOrderStatus | undefined {
  const key = code.trim().toUpperCase();
  return Object.hasOwn(STATUS_CODES, key) ? (STATUS_CODES[key] ?? undefined) : undefined;
}

/** Completed or closed: what FINISH, the numeric status 9, the "completed" tab and DELETE alone say. */
const FINISHED: readonly AliOrderStatus[] = ['completed', 'closed'];

/**
 * The list tabs a list request can ask for (`statusTab`), by what the orders shown under them are.
 * Codes and titles from the real capture's `statusTabList` ("unpaid": "To pay", "processing":
 * "Processing", "shipped": "Processed", "completed": "Completed"). `all` (or empty) and `recycle`
 * (deleted orders) say nothing of the status. The "completed" tab is read as finished, not as
 * completed: no source says whether closed (expired) orders are listed under it.
 */
const TABS_OF_EVERY_STATUS: readonly string[] = ['all', 'recycle'];
const TAB_STATUSES: Readonly<Record<string, readonly AliOrderStatus[]>> = {
  unpaid: ['awaiting_payment'],
  processing: ['awaiting_shipment'],
  shipped: ['shipped'],
  completed: FINISHED,
};

/**
 * The list tab that lists orders of `status`, where one is sourced: the tab whose orders all have
 * that status (or, for the "completed" tab, one of completed and closed). Disputes, partial
 * shipments and unknown statuses have none: no source says under which tab they are listed.
 */
export function listTabOf(status: AliOrderStatus): string | undefined {
  return Object.entries(TAB_STATUSES).find(([, statuses]) => statuses.includes(status))?.[0];
}

/**
 * Button type codes, as whole sets (seen): REPURCHASE + DELETE on completed orders, DELETE alone
 * on an expired (closed) one, CONFIRM_GOODS + TRACKING on orders awaiting delivery. DELETE alone
 * is read as finished, not as closed: one capture shows it, and a completed order whose product
 * can no longer be bought again would show no REPURCHASE either. A set no capture shows says
 * nothing.
 */
function statusFromButtons(types: readonly string[]): readonly AliOrderStatus[] | undefined {
  const set = new Set(types.map((t) => t.trim().toUpperCase()));
  if (set.has('CONFIRM_GOODS')) return ['shipped'];
  if (set.size === 1 && set.has('DELETE')) return FINISHED;
  if (set.size === 2 && set.has('REPURCHASE') && set.has('DELETE')) return ['completed'];
  return undefined;
}

/**
 * The numeric `utParams.args.orderStatus` (seen): 9 on completed and on expired orders alike, so
 * finished; 8 is reported for "Awaiting delivery". No other value is sourced.
 */
function statusFromNumber(value: number): readonly AliOrderStatus[] | undefined {
  if (value === 9) return FINISHED;
  if (value === 8) return ['shipped'];
  return undefined;
}

/** What a page shows of one order's status; every part optional. */
export interface StatusEvidence {
  code?: string;
  /** The `statusTab` of the list request the order came in. */
  tab?: string;
  buttonTypes?: readonly string[];
  numericStatus?: number;
  text?: string;
}

export interface ResolvedStatus {
  status: AliOrderStatus;
  /** What decided it; absent when nothing did. */
  source?: StatusSource;
  /** Why the status is `unknown`, or what disagreed with the evidence that won. */
  warnings: string[];
}

/** How resolveOrderStatus's warnings name a code or text it could not read (unreadStatusOf finds them again). */
const UNREAD = 'unknown';

/**
 * What one of resolveOrderStatus's warnings says it could not read: status codes, and whether the
 * status text was one (the text itself is the order's `statusText`).
 */
export function unreadStatusOf(warning: string): { codes: string[]; text: boolean } {
  const codes = [...warning.matchAll(new RegExp(`(?:^|, )${UNREAD} status code (.+?)(?=, ${UNREAD} status | \\(|$)`, 'g'))].map((m) => m[1]!);
  return { codes, text: new RegExp(`(?:^|, )${UNREAD} status text "`).test(warning) };
}

interface Clue {
  source: StatusSource;
  label: string;
  statuses: readonly AliOrderStatus[] | undefined;
}

const shown = (text: string): string => text.replace(/\s+/g, ' ').trim();

function clues(e: StatusEvidence): Clue[] {
  const list: Clue[] = [];
  const code = e.code?.trim().toUpperCase();
  if (code) {
    const single = statusFromCode(code);
    const statuses = code === 'FINISH' ? FINISHED : single ? [single] : undefined;
    list.push({ source: 'code', label: `status code ${code}`, statuses });
  }
  // `all` and `recycle` list every kind of order: they are no clue at all.
  const tab = e.tab?.trim().toLowerCase();
  if (tab && !TABS_OF_EVERY_STATUS.includes(tab)) list.push({ source: 'tab', label: `list tab "${tab}"`, statuses: TAB_STATUSES[tab] });
  if (e.buttonTypes && e.buttonTypes.length > 0) {
    list.push({ source: 'buttons', label: `buttons ${e.buttonTypes.join('+')}`, statuses: statusFromButtons(e.buttonTypes) });
  }
  if (e.numericStatus !== undefined) list.push({ source: 'numeric', label: `numeric status ${e.numericStatus}`, statuses: statusFromNumber(e.numericStatus) });
  if (e.text !== undefined && e.text.trim() !== '') {
    const folded = foldText(e.text);
    const single = statusFromText(e.text);
    const statuses = single ? [single] : FINISHED_TEXTS.some((t) => foldText(t) === folded) ? FINISHED : undefined;
    list.push({ source: 'text', label: `status text "${shown(e.text)}"`, statuses });
  }
  return list;
}

/**
 * An order's status from its evidence, strongest first. Each clue narrows what the stronger ones
 * left open (the "completed" tab or FINISH leave completed or closed; buttons or a text then
 * say which); a weaker clue that contradicts a stronger one is reported and loses. Never a guess:
 * finished without a word on which, or no clue at all, is `unknown`.
 */
export function resolveOrderStatus(evidence: StatusEvidence): ResolvedStatus {
  const warnings: string[] = [];
  // What the clues so far leave open, and the clue that last narrowed it.
  let lead: { open: readonly AliOrderStatus[]; by: Clue } | undefined;
  const all = clues(evidence);
  for (const clue of all) {
    const statuses = clue.statuses;
    if (!statuses) continue;
    if (!lead) {
      lead = { open: statuses, by: clue };
      continue;
    }
    const both = lead.open.filter((s) => statuses.includes(s));
    if (both.length === 0) warnings.push(`${clue.label} and ${lead.by.label} disagree; the ${lead.by.source} wins`);
    else if (both.length < lead.open.length) lead = { open: both, by: clue };
  }
  const unread = all.filter((c) => !c.statuses && (c.source === 'code' || c.source === 'text')).map((c) => `${UNREAD} ${c.label}`);
  if (lead?.open.length === 1) {
    // A text the dictionaries lack is still worth reporting: with the status beside it, it is
    // exactly what a dictionary for that language needs.
    for (const note of unread) warnings.push(`${note} (status ${lead.open[0]} from the ${lead.by.label})`);
    return { status: lead.open[0]!, source: lead.by.source, warnings };
  }
  if (lead) warnings.push(`${lead.by.label} means completed or closed, and nothing says which`);
  else if (all.length === 0) warnings.push('no status shown');
  const silent = all.filter((c) => !c.statuses && c.source !== 'code' && c.source !== 'text').map((c) => c.label);
  if (unread.length > 0) warnings.push(`${unread.join(', ')}${silent.length > 0 ? ` (${silent.join(', ')}: no status known for these)` : ''}`);
  else if (!lead && silent.length > 0) warnings.push(`no status known for ${silent.join(', ')}`);
  return { status: 'unknown', warnings };
}
