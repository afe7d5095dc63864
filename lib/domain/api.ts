/** The backend's HTTP API, as zod schemas: the extension, the backend and the OpenAPI document share them. */
import { z } from 'zod';
import { aliOrderIdSchema, aliOrderStatusSchema, snapshotSchema, trackingStatusSchema, isoDateTimeSchema } from './snapshot';
import { dsersStateSchema } from './store-order';

export const MAX_ORDERS_PER_SYNC = 1000;

export const syncRequestSchema = z
  .object({
    /** The same key sent twice applies once and answers the same. */
    idempotencyKey: z.string().min(8).max(128),
    snapshots: z.array(snapshotSchema).min(1),
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
  flags: z.array(z.string()),
  aliOrders: z.array(
    z.object({
      aliOrderId: aliOrderIdSchema,
      supplier: z.string().nullable(),
      status: aliOrderStatusSchema,
      packages: z.array(
        z.object({
          trackingNumber: z.string(),
          carrier: z.string().nullable(),
          trackingStatus: trackingStatusSchema,
          lastEventAt: isoDateTimeSchema.nullable(),
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

export const createStoreOrderSchema = z.object({
  storeOrderNumber: z.string().trim().min(1).max(64),
  paid: z.boolean(),
});
export const placeStoreOrderSchema = z.object({
  aliOrders: z
    .array(z.object({ aliOrderId: aliOrderIdSchema, supplier: z.string().trim().min(1).max(200) }))
    .min(1)
    .max(50),
});

export const errorCodeSchema = z.enum([
  'bad_request',
  'unauthorized',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'internal',
]);
export const errorResponseSchema = z.object({
  error: z.object({ code: errorCodeSchema, message: z.string() }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
