/**
 * AliExpress order statuses: the language-independent codes first, then the localized texts the
 * new order list carries instead of codes. An unknown text is never guessed: the caller keeps the
 * raw text, reports it, and the order's status is `unknown`.
 *
 * Languages: a text is listed only where a public source shows AliExpress printing it. Sourced so
 * far: English and Brazilian Portuguese. Spanish, French, German, Italian, Dutch, Polish, Turkish
 * and Russian are deliberately empty until a real page or capture in that language is seen: their
 * statuses read as `unknown` with the raw text kept and a warning, which is safe.
 */
import type { AliOrderStatus } from '../domain/snapshot';
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
  expired: 'closed',
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

/** Languages with no sourced AliExpress wording yet: see the module comment. */
const unsourced: StatusTexts = {};

export const STATUS_TEXTS: Readonly<Record<string, StatusTexts>> = {
  en,
  pt,
  es: unsourced,
  fr: unsourced,
  de: unsourced,
  it: unsourced,
  nl: unsourced,
  pl: unsourced,
  tr: unsourced,
  ru: unsourced,
};

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

export interface ResolvedStatus {
  status: AliOrderStatus;
  /** Why the status is `unknown` or why code and text disagree; absent when all is clear. */
  warning?: string;
}

/**
 * An order's status from what a page shows: the code first, the text second. FINISH takes the
 * text's word between completed and closed. Never a guess: anything else unclear is `unknown`.
 */
export function resolveOrderStatus(code: string | undefined, text: string | undefined): ResolvedStatus {
  const fromText = text !== undefined && text.trim() !== '' ? statusFromText(text) : undefined;
  const shownText = text === undefined ? undefined : text.replace(/\s+/g, ' ').trim();
  if (code !== undefined && code.trim() !== '') {
    const key = code.trim().toUpperCase();
    if (key === 'FINISH') {
      if (fromText === 'completed' || fromText === 'closed') return { status: fromText };
      return { status: 'unknown', warning: `status code FINISH (completed or closed) with ${shownText ? `text "${shownText}"` : 'no text'} that does not say which` };
    }
    const fromCode = statusFromCode(key);
    if (fromCode) {
      if (fromText && fromText !== fromCode) return { status: fromCode, warning: `status code ${key} and text "${shownText}" disagree; the code wins` };
      return { status: fromCode };
    }
    if (fromText) return { status: fromText, warning: `unknown status code ${key}; read the text "${shownText}"` };
    return { status: 'unknown', warning: `unknown status code ${key}${shownText ? ` and unknown status text "${shownText}"` : ''}` };
  }
  if (fromText) return { status: fromText };
  if (!shownText) return { status: 'unknown', warning: 'no status shown' };
  return { status: 'unknown', warning: `unknown status text "${shownText}"` };
}
