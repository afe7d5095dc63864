/**
 * The dashboard's part of the `/v1` API as zod schemas: signing in, the extension's tokens, the
 * order screen's counts, the AliExpress orders no store order links to, and a store order's full
 * package timelines. The dashboard app and the backend share them.
 */
import { z } from 'zod';
import { aliOrderIdSchema, aliOrderStatusSchema, isoDateOrDateTimeSchema, isoDateTimeSchema, moneySchema, trackingEventSchema, trackingStatusSchema } from './snapshot';
import { DSERS_STATES } from './store-order-rules';

/** NUL and other control characters are refused in every text the dashboard sends. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !/\p{Cc}/u.test(s), 'control characters are not allowed');

export const signInRequestSchema = z.object({
  login: text(100).pipe(z.string().trim().min(1)),
  password: z.string().min(1).max(200),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const sessionResponseSchema = z.object({
  merchant: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
  /** Sent back as the `x-csrf-token` header with every change made with the session cookie. */
  csrfToken: z.string(),
  expiresAt: isoDateTimeSchema,
});
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

/** First run: the setup code the backend printed to its log proves the caller runs the backend. */
export const setupRequestSchema = z.object({
  setupCode: z.string().min(1).max(100),
  name: text(200).pipe(z.string().trim().min(1)),
  login: text(100).pipe(z.string().trim().min(3)),
  password: z.string().min(10).max(200),
  timezone: text(64).default('UTC'),
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;
export const setupStatusSchema = z.object({ needsSetup: z.boolean() });

export const apiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: isoDateTimeSchema,
  revokedAt: isoDateTimeSchema.nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const tokensResponseSchema = z.object({ tokens: z.array(apiTokenSchema) });
export const issueTokenRequestSchema = z.object({ name: text(100).pipe(z.string().trim().min(1)) });
/** The token's value is in this answer only. */
export const issuedTokenSchema = apiTokenSchema.extend({ token: z.string() });
export type IssuedToken = z.infer<typeof issuedTokenSchema>;

export const orderCountsSchema = z.object({
  states: z.record(z.enum(DSERS_STATES), z.number().int().nonnegative()),
  all: z.number().int().nonnegative(),
  /** The orders Needs action lists (flagged Abnormal, Attention or Pending too long now). */
  needsAction: z.number().int().nonnegative(),
  unlinked: z.number().int().nonnegative(),
});
export type OrderCounts = z.infer<typeof orderCountsSchema>;

export const unlinkedAliOrderSchema = z.object({
  aliOrderId: aliOrderIdSchema,
  supplier: z.string().nullable(),
  status: aliOrderStatusSchema,
  statusText: z.string().nullable(),
  orderedAt: isoDateOrDateTimeSchema.nullable(),
  total: moneySchema.nullable(),
  trackingNumbers: z.array(z.string()),
  lastSeenAt: isoDateTimeSchema,
});
export type UnlinkedAliOrder = z.infer<typeof unlinkedAliOrderSchema>;
export const unlinkedQuerySchema = z.object({
  q: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().regex(/^\d{16}$/, 'a cursor from nextCursor').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const unlinkedResponseSchema = z.object({ aliOrders: z.array(unlinkedAliOrderSchema), nextCursor: z.string().nullable() });
export type UnlinkedResponse = z.infer<typeof unlinkedResponseSchema>;

/** Every package of a store order with all its carrier events, newest first, as the pages showed them. */
export const packageTimelineSchema = z.object({
  aliOrderId: aliOrderIdSchema,
  trackingNumber: z.string(),
  carrier: z.string().nullable(),
  trackingStatus: trackingStatusSchema,
  events: z.array(trackingEventSchema),
});
export type PackageTimeline = z.infer<typeof packageTimelineSchema>;
export const timelinesResponseSchema = z.object({ packages: z.array(packageTimelineSchema) });
export type TimelinesResponse = z.infer<typeof timelinesResponseSchema>;
