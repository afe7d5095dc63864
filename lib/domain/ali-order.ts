/**
 * What a page read says of an AliExpress order, as plain types: the rules (the fold, the status
 * rules, the flags, the watchlist) work on these without the schemas, and snapshot.ts declares the
 * schemas from the same lists and checks them against these types.
 */
export const ALI_ORDER_STATUSES = ['awaiting_payment', 'awaiting_shipment', 'partially_shipped', 'shipped', 'completed', 'closed', 'dispute', 'unknown'] as const;
export type AliOrderStatus = (typeof ALI_ORDER_STATUSES)[number];

export const TRACKING_STATUSES = ['pending', 'in_transit', 'delivered', 'abnormal'] as const;
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
