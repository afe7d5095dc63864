/**
 * The AliExpress account (Open Platform) part of the API: the account as a merchant sees it (never
 * a token), and what a sync through the API answers. The dashboard and the popup share them.
 */
import { z } from 'zod';
import { syncResultSchema } from './api';
import { quotaStateSchema } from './quota';
import { aliOrderIdSchema, isoDateTimeSchema } from './snapshot';

export const aliexpressAccountSchema = z.object({
  /** The operator configured an AliExpress app (without one, nothing can be connected). */
  configured: z.boolean(),
  connected: z.boolean(),
  /** The AliExpress account the merchant authorised. */
  account: z.string().optional(),
  /** When the access token expires (the backend refreshes it before). */
  expiresAt: isoDateTimeSchema.optional(),
  lastSync: isoDateTimeSchema.optional(),
  lastError: z.string().optional(),
  /** The authorisation is gone: connect again. */
  needsReconnect: z.boolean().optional(),
  /** When the scheduled pass (no quota) runs next. */
  nextPassAt: isoDateTimeSchema.optional(),
});
export type AliexpressAccount = z.infer<typeof aliexpressAccountSchema>;

export const aliexpressAuthorizeResponseSchema = z.object({ url: z.url() });

/** One order the API could not read, and what the merchant can do about it. */
export const aliexpressOrderProblemSchema = z.object({ aliOrderId: aliOrderIdSchema, message: z.string() });

/** What one pass through the API read and changed. */
export const aliexpressReadSchema = z.object({
  /** The watched orders it asked about. */
  asked: z.number().int().nonnegative(),
  /** The orders whose answers were folded in. */
  read: z.number().int().nonnegative(),
  results: z.array(syncResultSchema),
  problems: z.array(aliexpressOrderProblemSchema),
  warnings: z.array(z.string()),
  syncedAt: isoDateTimeSchema,
});
export type AliexpressRead = z.infer<typeof aliexpressReadSchema>;

/** 200 from POST /v1/aliexpress-sync: the quota after it (as POST /v1/manual-sync answers), and what it read. */
export const aliexpressSyncResponseSchema = z.object({ quota: quotaStateSchema, read: aliexpressReadSchema });
export type AliexpressSyncResponse = z.infer<typeof aliexpressSyncResponseSchema>;

/**
 * Why a sync through the API could not run: not connected, the authorisation is gone (reconnect),
 * the app lacks the dropshipping API, the app's key or secret is wrong, AliExpress throttles (with
 * when the backend retries) or cannot be reached.
 */
export const aliexpressProblemCodeSchema = z.enum([
  'aliexpress_not_configured',
  'aliexpress_not_connected',
  'aliexpress_reconnect',
  'aliexpress_permission',
  'aliexpress_app',
  'aliexpress_throttled',
  'aliexpress_unavailable',
]);
export type AliexpressProblemCode = z.infer<typeof aliexpressProblemCodeSchema>;

export const aliexpressProblemSchema = z.object({
  error: z.object({
    code: aliexpressProblemCodeSchema,
    message: z.string(),
    /** Throttled: when the backend's own retry runs (the scheduled pass, no quota). */
    retryAt: isoDateTimeSchema.optional(),
  }),
  /** After a sync AliExpress held back (throttled, unreachable): the quota, with that sync given back. */
  quota: quotaStateSchema.optional(),
});
export type AliexpressProblem = z.infer<typeof aliexpressProblemSchema>;
