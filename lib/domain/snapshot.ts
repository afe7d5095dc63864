import { z } from 'zod';
import { ALI_ORDER_ID_PATTERN } from './ids';

/** AliExpress order ids are 15 (older orders) or 16 digits; anything else is not an order id. */
export const aliOrderIdSchema = z.string().regex(ALI_ORDER_ID_PATTERN, 'an AliExpress order id is 15 or 16 digits');

export const isoDateTimeSchema = z.iso.datetime({ offset: true });
/** A calendar day when the page shows no time of day (the order list only shows "Jul 15, 2026"). */
export const isoDateOrDateTimeSchema = z.union([z.iso.date(), isoDateTimeSchema]);

export const aliOrderStatusSchema = z.enum([
  'awaiting_payment',
  'awaiting_shipment',
  'partially_shipped',
  'shipped',
  'completed',
  'closed',
  'dispute',
  'unknown',
]);
export type AliOrderStatus = z.infer<typeof aliOrderStatusSchema>;

/**
 * Which evidence decided an order's status, strongest first: a status code, the list tab the page
 * asked for, the order's button type codes, its numeric status, its displayed text.
 */
export const statusSourceSchema = z.enum(['code', 'tab', 'buttons', 'numeric', 'text']);
export type StatusSource = z.infer<typeof statusSourceSchema>;

/** `pickup`: signed for at a pickup point (GTMS_STA_SIGNED); the customer still has to collect it, so not delivered. */
export const trackingStatusSchema = z.enum(['pending', 'in_transit', 'pickup', 'delivered', 'abnormal']);
export type TrackingStatus = z.infer<typeof trackingStatusSchema>;

export const trackingEventSchema = z.object({
  at: isoDateTimeSchema,
  code: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  text: z.string(),
  location: z.string().min(1).optional(),
});
export type TrackingEvent = z.infer<typeof trackingEventSchema>;

export const packageSchema = z.object({
  trackingNumber: z.string().trim().min(1).max(64),
  carrier: z.string().min(1).optional(),
  trackingStatus: trackingStatusSchema,
  /** Newest first, as AliExpress shows them. */
  events: z.array(trackingEventSchema),
});
export type Package = z.infer<typeof packageSchema>;

export const moneySchema = z.object({
  amount: z.number().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'),
});
export type Money = z.infer<typeof moneySchema>;

export const orderItemSchema = z.object({
  title: z.string(),
  quantity: z.number().int().positive().optional(),
  productId: z.string().optional(),
  sku: z.string().optional(),
});
export type OrderItem = z.infer<typeof orderItemSchema>;

export const aliOrderSchema = z.object({
  aliOrderId: aliOrderIdSchema,
  status: aliOrderStatusSchema,
  /** The page's own words for the status, kept verbatim so an unknown text can be reported. */
  statusText: z.string().optional(),
  /** What decided `status`; absent when nothing did (`unknown`) or the page shows no order status. */
  statusSource: statusSourceSchema.optional(),
  storeName: z.string().optional(),
  orderedAt: isoDateOrDateTimeSchema.optional(),
  /** A calendar day where the page shows no time of day (the order detail: "Paid on Jul 15, 2026"). */
  paidAt: isoDateOrDateTimeSchema.optional(),
  total: moneySchema.optional(),
  items: z.array(orderItemSchema).optional(),
  packages: z
    .array(packageSchema)
    .describe(
      'The packages this page showed. An empty list means "none seen on this page", never ' +
        '"none exist": the order list shows no packages at all, so consumers must not clear ' +
        'known packages because a snapshot has none.',
    ),
});
export type AliOrder = z.infer<typeof aliOrderSchema>;

export const snapshotKindSchema = z.enum([
  'order_list',
  'order_detail',
  'tracking',
  'login',
  'bot_check',
  'unknown',
]);
export type SnapshotKind = z.infer<typeof snapshotKindSchema>;

/** What one read of one AliExpress page produced. */
export const snapshotSchema = z.object({
  kind: snapshotKindSchema,
  url: z.url(),
  capturedAt: isoDateTimeSchema,
  orders: z.array(aliOrderSchema),
  warnings: z.array(z.string()),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export { carriesOrders } from './ids';
