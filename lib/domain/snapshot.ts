import { z } from 'zod';
import { ALI_ORDER_STATUSES, STATUS_SOURCES, TRACKING_STATUSES, type AliOrder, type Money, type OrderItem, type Package, type TrackingEvent } from './ali-order';
import { ALI_ORDER_ID_PATTERN } from './ids';

export * from './ali-order';

/** AliExpress order ids are 15 (older orders) or 16 digits; anything else is not an order id. */
export const aliOrderIdSchema = z.string().regex(ALI_ORDER_ID_PATTERN, 'an AliExpress order id is 15 or 16 digits');

export const isoDateTimeSchema = z.iso.datetime({ offset: true });
/** A calendar day when the page shows no time of day (the order list only shows "Jul 15, 2026"). */
export const isoDateOrDateTimeSchema = z.union([z.iso.date(), isoDateTimeSchema]);

export const aliOrderStatusSchema = z.enum(ALI_ORDER_STATUSES);

/** Which evidence decided an order's status (see STATUS_SOURCES). */
export const statusSourceSchema = z.enum(STATUS_SOURCES);

export const trackingStatusSchema = z.enum(TRACKING_STATUSES);

export const trackingEventSchema = z.object({
  at: isoDateTimeSchema,
  code: z.string().min(1).optional(),
  stage: z.string().min(1).optional(),
  text: z.string(),
  location: z.string().min(1).optional(),
}) satisfies z.ZodType<TrackingEvent>;

export const packageSchema = z.object({
  trackingNumber: z.string().trim().min(1).max(64),
  carrier: z.string().min(1).optional(),
  trackingStatus: trackingStatusSchema,
  /** Newest first, as AliExpress shows them. */
  events: z.array(trackingEventSchema),
}) satisfies z.ZodType<Package>;

export const moneySchema = z.object({
  amount: z.number().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'),
}) satisfies z.ZodType<Money>;

export const orderItemSchema = z.object({
  title: z.string(),
  quantity: z.number().int().positive().optional(),
  productId: z.string().optional(),
  sku: z.string().optional(),
}) satisfies z.ZodType<OrderItem>;

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
}) satisfies z.ZodType<AliOrder>;

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

// Which kinds carry orders is page-kinds.ts's rule (zod-free, for the content scripts).
export { carriesOrders, ORDER_PAGE_KINDS, type OrderPageKind } from './page-kinds';
