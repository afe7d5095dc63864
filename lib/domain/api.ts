/** The backend's HTTP API, as zod schemas: the extension, the backend and the OpenAPI document share them. */
import { z } from 'zod';
import { quotaRuleSchema, quotaStateSchema } from './quota';
import { MAX_ORDERS_PER_SNAPSHOT, aliOrderIdSchema, aliOrderStatusSchema, snapshotSchema, statusSourceSchema, trackingStatusSchema, isoDateTimeSchema } from './snapshot';
import { dsersStateSchema, fulfillmentModeSchema } from './store-order';
import { ORDER_FLAGS } from './order-flags';
import { coveredLinesSchema, storeFulfillmentSchema, storeLineItemSchema } from './stores';
import { watchNeedSchema } from './watchlist';

/** A store order's flags (order-flags.ts computes them). */
export const orderFlagSchema = z.enum(ORDER_FLAGS);

export const MAX_ORDERS_PER_SYNC = MAX_ORDERS_PER_SNAPSHOT;
/** The extension sends one snapshot a sync; a batch of list pages stays well under this. */
export const MAX_SNAPSHOTS_PER_SYNC = 100;

export const syncRequestSchema = z
  .object({
    /** The same key sent twice applies once and answers the same. */
    idempotencyKey: z.string().min(8).max(128),
    snapshots: z.array(snapshotSchema).min(1).max(MAX_SNAPSHOTS_PER_SYNC),
  })
  .refine((r) => r.snapshots.reduce((n, s) => n + s.orders.length, 0) <= MAX_ORDERS_PER_SYNC, {
    message: `at most ${MAX_ORDERS_PER_SYNC} orders in one sync`,
    path: ['snapshots'],
  });
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const ignoredReasonSchema = z.enum(['locked', 'unknown_order']);

export const syncResultSchema = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('applied'),
    aliOrderId: aliOrderIdSchema,
    storeOrderId: z.string(),
    storeOrderNumber: z.string(),
    state: dsersStateSchema,
    changed: z.boolean(),
  }),
  z.object({
    outcome: z.literal('ignored'),
    aliOrderId: aliOrderIdSchema,
    reason: ignoredReasonSchema,
  }),
]);
export type SyncResult = z.infer<typeof syncResultSchema>;

export const syncResponseSchema = z.object({
  results: z.array(syncResultSchema),
  syncedAt: isoDateTimeSchema,
});
export type SyncResponse = z.infer<typeof syncResponseSchema>;

export const orderViewSchema = z.object({
  id: z.string(),
  storeOrderNumber: z.string(),
  state: dsersStateSchema,
  /** Computed at the time of the answer; `orderFlags(view, now)` recomputes them later. */
  flags: z.array(orderFlagSchema),
  paid: z.boolean(),
  fulfillmentMode: fulfillmentModeSchema,
  /** Fulfilled by hand or on the store: sync leaves it alone. */
  locked: z.boolean(),
  /** Why placing to AliExpress failed, while the order is in Failed. */
  placingError: z.string().nullable(),
  /** What the merchant sees: the manual value when one is set, else the carriers' summary. */
  trackingStatus: trackingStatusSchema.nullable(),
  /** Set by hand for reference; Re-track drops it. */
  manualTrackingStatus: trackingStatusSchema.nullable(),
  aliOrders: z.array(
    z.object({
      aliOrderId: aliOrderIdSchema,
      supplier: z.string().nullable(),
      status: aliOrderStatusSchema,
      /** What decided `status` (a status code, the list tab, …); absent when no read said. */
      statusSource: statusSourceSchema.optional(),
      /** The AliExpress site of the newest order page it was read on (`https://www.aliexpress.us`); absent when none was. */
      aliexpressOrigin: z.url().max(200).optional(),
      paidAt: isoDateTimeSchema.nullable(),
      lastSeenAt: isoDateTimeSchema.nullable(),
      packages: z.array(
        z.object({
          trackingNumber: z.string(),
          carrier: z.string().nullable(),
          /** As the carrier reports it (never the manual value). */
          trackingStatus: trackingStatusSchema,
          lastEventAt: isoDateTimeSchema.nullable(),
          firstEventAt: isoDateTimeSchema.nullable(),
          firstSeenAt: isoDateTimeSchema.nullable(),
        }),
      ),
    }),
  ),
});
export type OrderView = z.infer<typeof orderViewSchema>;

export const ordersResponseSchema = z.object({
  orders: z.array(orderViewSchema),
  nextCursor: z.string().nullable(),
});
export type OrdersResponse = z.infer<typeof ordersResponseSchema>;

export const ordersQuerySchema = z.object({
  state: dsersStateSchema.optional(),
  flag: orderFlagSchema.optional(),
  /** A store order number, AliExpress order id or tracking number, matched exactly. */
  q: z.string().trim().min(1).max(100).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().regex(/^\d{1,18}$/, 'a cursor from nextCursor').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type OrdersQuery = z.infer<typeof ordersQuerySchema>;

export const stateChangeSchema = z.object({
  /**
   * `state` (DSers tab), `fulfillment_mode` (a lock), `tracking_status` (manual value; null = automatic)
   * or `ali_order` (an AliExpress order, `from`, replaced by a new placing).
   */
  field: z.enum(['state', 'fulfillment_mode', 'tracking_status', 'ali_order']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  cause: z.string(),
  at: isoDateTimeSchema,
});
export type StateChange = z.infer<typeof stateChangeSchema>;

export const storeOrderDetailSchema = orderViewSchema.extend({
  history: z.array(stateChangeSchema),
  /** Its fulfillments on the store, and how their delivery stands. */
  fulfillments: z.array(storeFulfillmentSchema),
  /** The store's line items, for an order that came from a store. */
  lineItems: z.array(storeLineItemSchema).nullable(),
  /** Canceled on the store: final, it cannot be placed again. */
  canceledOnStore: z.boolean(),
  /** AliExpress orders a new placing replaced (canceled ones), kept for the history. */
  replacedAliOrders: z.array(z.object({ aliOrderId: aliOrderIdSchema, supplier: z.string().nullable(), status: aliOrderStatusSchema, replacedAt: isoDateTimeSchema })),
});
export type StoreOrderDetail = z.infer<typeof storeOrderDetailSchema>;

export const watchlistQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_ORDERS_PER_SYNC).default(MAX_ORDERS_PER_SYNC),
});

export const watchItemSchema = z.object({
  aliOrderId: aliOrderIdSchema,
  storeOrderId: z.string(),
  storeOrderNumber: z.string(),
  status: aliOrderStatusSchema,
  lastSeenAt: isoDateTimeSchema.nullable(),
  trackingNumbers: z.array(z.string()),
  needs: z.array(watchNeedSchema).min(1),
});
export type WatchItem = z.infer<typeof watchItemSchema>;

/** Most urgent first: Re-track requests, then orders never read, then the longest unread. */
export const watchlistResponseSchema = z.object({
  aliOrders: z.array(watchItemSchema),
  generatedAt: isoDateTimeSchema,
});
export type WatchlistResponse = z.infer<typeof watchlistResponseSchema>;

export const quotaResponseSchema = z.object({ quota: quotaStateSchema });
export type QuotaResponse = z.infer<typeof quotaResponseSchema>;

export const createStoreOrderSchema = z.object({
  storeOrderNumber: z.string().trim().min(1).max(64),
  paid: z.boolean(),
});
export const placeStoreOrderSchema = z.object({
  aliOrders: z
    .array(
      z.object({
        aliOrderId: aliOrderIdSchema,
        supplier: z.string().trim().min(1).max(200),
        /** The store line items this AliExpress order covers; one supplier covering every line needs none. */
        lineItems: coveredLinesSchema.optional(),
      }),
    )
    .min(1)
    .max(50),
});
export const createStoreOrderResponseSchema = z.object({ id: z.string() });

/** Fulfilled by hand in DSers (the default), or on the store itself (`onStore`). */
export const fulfillManuallySchema = z.object({ onStore: z.boolean().default(false) });
export const setTrackingStatusSchema = z.object({ trackingStatus: trackingStatusSchema });
export const placingFailedSchema = z.object({ reason: z.string().trim().min(1).max(500) });

export const errorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  /** Signed in, but the change lacks its CSRF token, comes from another origin, or needs a signed-in session. */
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'internal',
]);
export const errorResponseSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    /** The first field a 400 is about (`snapshots[0].capturedAt`), when there is one. */
    field: z.string().optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** 429 from POST /v1/manual-sync: which rule refused it, and the quota as it stands. */
export const manualSyncRefusedSchema = z.object({
  error: z.object({ code: z.literal('rate_limited'), message: z.string(), rule: quotaRuleSchema }),
  quota: quotaStateSchema,
});
export type ManualSyncRefused = z.infer<typeof manualSyncRefusedSchema>;
