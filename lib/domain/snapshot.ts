import { z } from 'zod';
import { ALI_ORDER_STATUSES, STATUS_SOURCES, TRACKING_STATUSES, type AliOrder, type ListTabs, type Money, type OrderItem, type Package, type TrackingEvent } from './ali-order';
import { ALI_ORDER_ID_PATTERN } from './ids';

export * from './ali-order';

/** AliExpress order ids are 15 (older orders) or 16 digits; anything else is not an order id. */
export const aliOrderIdSchema = z.string().regex(ALI_ORDER_ID_PATTERN, 'an AliExpress order id is 15 or 16 digits');

/**
 * Times both databases store and a page can show: from 1970 to 9999, with a real zone offset (at
 * most ±14:00). Year 0000 or an offset of +20:00 passes the ISO pattern but not PostgreSQL.
 */
const EARLIEST_MS = Date.UTC(1970, 0, 1);
const LATEST_MS = Date.UTC(9999, 0, 1);
const MAX_OFFSET_MINUTES = 14 * 60;
function storableInstant(value: string): boolean {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(value);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > MAX_OFFSET_MINUTES) return false;
  const ms = Date.parse(value);
  return ms >= EARLIEST_MS && ms < LATEST_MS;
}
export const isoDateTimeSchema = z.iso.datetime({ offset: true }).refine(storableInstant, 'a time from 1970 to 9999, offset at most ±14:00');
const isoDateSchema = z.iso.date().refine(storableInstant, 'a day from 1970 to 9999');
/** A calendar day when the page shows no time of day (the order list only shows "Jul 15, 2026"). */
export const isoDateOrDateTimeSchema = z.union([isoDateSchema, isoDateTimeSchema]);

export const aliOrderStatusSchema = z.enum(ALI_ORDER_STATUSES);

/** Which evidence decided an order's status (see STATUS_SOURCES). */
export const statusSourceSchema = z.enum(STATUS_SOURCES);

export const trackingStatusSchema = z.enum(TRACKING_STATUSES);

export const trackingEventSchema = z.object({
  at: isoDateTimeSchema,
  code: z.string().min(1).max(100).optional(),
  stage: z.string().min(1).max(100).optional(),
  text: z.string().max(2000),
  location: z.string().min(1).max(200).optional(),
}) satisfies z.ZodType<TrackingEvent>;

export const packageSchema = z.object({
  trackingNumber: z.string().trim().min(1).max(64),
  carrier: z.string().min(1).max(100).optional(),
  trackingStatus: trackingStatusSchema,
  /** Newest first, as AliExpress shows them. */
  events: z.array(trackingEventSchema).max(500),
}) satisfies z.ZodType<Package>;

export const moneySchema = z.object({
  amount: z.number().nonnegative().max(1e9),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 currency code'),
}) satisfies z.ZodType<Money>;

export const orderItemSchema = z.object({
  title: z.string().max(1000),
  quantity: z.number().int().positive().max(1e6).optional(),
  productId: z.string().max(64).optional(),
  sku: z.string().max(500).optional(),
}) satisfies z.ZodType<OrderItem>;

export const aliOrderSchema = z.object({
  aliOrderId: aliOrderIdSchema,
  status: aliOrderStatusSchema,
  /** The page's own words for the status, kept verbatim so an unknown text can be reported. */
  statusText: z.string().max(500).optional(),
  /** What decided `status`; absent when nothing did (`unknown`) or the page shows no order status. */
  statusSource: statusSourceSchema.optional(),
  storeName: z.string().max(200).optional(),
  orderedAt: isoDateOrDateTimeSchema.optional(),
  /** A calendar day where the page shows no time of day (the order detail: "Paid on Jul 15, 2026"). */
  paidAt: isoDateOrDateTimeSchema.optional(),
  total: moneySchema.optional(),
  items: z.array(orderItemSchema).max(200).optional(),
  packages: z
    .array(packageSchema)
    .max(50)
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

/** One page never shows more (a list page shows tens); a sync carries at most as many in all. */
export const MAX_ORDERS_PER_SNAPSHOT = 1000;

/** One tab of the list: its code and the title the page gives it. */
export const listTabSchema = z.object({ code: z.string().max(40), title: z.string().max(200) });

/**
 * What an order list page says of its tabs: the tab its orders were listed under (`statusTab`) and
 * the tabs it offers with their localized titles (`statusTabList`), which the Sync button clicks by.
 */
export const listTabsSchema = z.object({
  tab: z.string().max(40).optional(),
  tabs: z.array(listTabSchema).max(20).optional(),
}) satisfies z.ZodType<ListTabs>;

/** What one read of one AliExpress page produced. */
export const snapshotSchema = z.object({
  kind: snapshotKindSchema,
  url: z.url().max(2048),
  capturedAt: isoDateTimeSchema,
  orders: z.array(aliOrderSchema).max(MAX_ORDERS_PER_SNAPSHOT),
  warnings: z.array(z.string().max(2000)).max(200),
  list: listTabsSchema.optional(),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

// Which kinds carry orders is page-kinds.ts's rule (zod-free, for the content scripts).
export { carriesOrders, ORDER_PAGE_KINDS, type OrderPageKind } from './page-kinds';
