/**
 * What a page read says of an AliExpress order, as plain types: the rules (the fold, the status
 * rules, the flags, the watchlist) work on these without the schemas, and snapshot.ts declares the
 * schemas from the same lists and checks them against these types.
 */
export const ALI_ORDER_STATUSES = ['awaiting_payment', 'awaiting_shipment', 'partially_shipped', 'shipped', 'completed', 'closed', 'dispute', 'unknown'] as const;
export type AliOrderStatus = (typeof ALI_ORDER_STATUSES)[number];

/**
 * Which evidence decided an order's status, strongest first: a status code, the list tab the page
 * asked for, the order's button type codes, its numeric status, its displayed text.
 */
export const STATUS_SOURCES = ['code', 'tab', 'buttons', 'numeric', 'text'] as const;
export type StatusSource = (typeof STATUS_SOURCES)[number];

/** `pickup`: signed for at a pickup point (GTMS_STA_SIGNED); the customer still has to collect it, so not delivered. */
export const TRACKING_STATUSES = ['pending', 'in_transit', 'pickup', 'delivered', 'abnormal'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export interface TrackingEvent {
  at: string;
  code?: string;
  stage?: string;
  text: string;
  location?: string;
}

export interface Package {
  trackingNumber: string;
  carrier?: string;
  trackingStatus: TrackingStatus;
  /** Newest first, as AliExpress shows them. */
  events: TrackingEvent[];
}

export interface Money {
  amount: number;
  /** ISO 4217. */
  currency: string;
}

export interface OrderItem {
  title: string;
  quantity?: number;
  productId?: string;
  sku?: string;
}

export interface AliOrder {
  aliOrderId: string;
  status: AliOrderStatus;
  /** The page's own words for the status, kept verbatim so an unknown text can be reported. */
  statusText?: string;
  /** What decided `status`; absent when nothing did (`unknown`) or the page shows no order status. */
  statusSource?: StatusSource;
  storeName?: string;
  /** ISO date or date-time. */
  orderedAt?: string;
  /** A calendar day where the page shows no time of day. */
  paidAt?: string;
  total?: Money;
  items?: OrderItem[];
  /** The packages this page showed; empty means "none seen on this page", never "none exist". */
  packages: Package[];
}

/** One tab of the order list: its code (`unpaid`, `processing` …) and its title in the page's language. */
export interface ListTab {
  code: string;
  title: string;
}

/** What an order list page says of its tabs (see snapshot.ts: listTabsSchema). */
export interface ListTabs {
  /** The tab the page's orders were listed under, where the page says. */
  tab?: string;
  tabs?: ListTab[];
}
