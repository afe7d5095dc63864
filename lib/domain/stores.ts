/**
 * The store leg's part of the HTTP API as zod schemas: connecting a store, the merchant's
 * settings, store fulfillments as an order shows them, outgoing webhook endpoints, bulk re-order.
 */
import { z } from 'zod';
import { aliOrderIdSchema, isoDateTimeSchema } from './snapshot';
import { SPLIT_FULFILLMENT } from './store-fulfillment-rules';

export * from './store-fulfillment-rules';

export const settingsSchema = z.object({
  /** "Setting - Tracking": Shopify sends its shipping confirmation e-mail when a fulfillment is created (`notifyCustomer`). */
  shippingConfirmationEmail: z.boolean(),
  /** "Fulfillment setting": a split order is fulfilled when every supplier shipped, or each supplier's part as it ships. */
  splitFulfillment: z.enum(SPLIT_FULFILLMENT),
});
export type Settings = z.infer<typeof settingsSchema>;
export const DEFAULT_SETTINGS: Settings = { shippingConfirmationEmail: false, splitFulfillment: 'wait_for_all' };
/** PUT /v1/settings: any of the fields; the others keep their value. */
export const settingsUpdateSchema = settingsSchema.partial().strict();

/** `name.myshopify.com`, the shop's permanent domain (not a custom storefront domain). */
export const shopDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(100)
  .regex(/^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/, 'the shop\'s myshopify.com domain, e.g. my-shop.myshopify.com');

export const connectStoreSchema = z
  .object({
    platform: z.literal('shopify'),
    shopDomain: shopDomainSchema,
    /** The custom app's Admin API access token (shpat_…). */
    accessToken: z.string().trim().min(10).max(200).regex(/^[\x21-\x7e]+$/, 'printable characters without spaces'),
    /** The app's client secret (API secret key): it signs the webhooks. */
    clientSecret: z.string().trim().min(10).max(200).regex(/^[\x21-\x7e]+$/, 'printable characters without spaces'),
  })
  .strict();

export const STORE_STATUSES = ['connected', 'failing', 'revoked', 'uninstalled'] as const;

/** A store as the API shows it: never its secrets. */
export const storeViewSchema = z.object({
  id: z.string(),
  platform: z.literal('shopify'),
  shopDomain: z.string(),
  connectedAt: isoDateTimeSchema,
  status: z.enum(STORE_STATUSES),
  lastError: z.string().optional(),
  /** The webhooks subscribed on connect (`webhookSubscriptionCreate`), or why not. */
  webhooks: z.object({
    /** `<PUBLIC_URL>/v1/webhooks/shopify`; null when the server has no PUBLIC_URL. */
    callbackUrl: z.string().nullable(),
    /** The topics subscribed there. */
    topics: z.array(z.string()),
    /** Why some or all are not (a missing scope, a refused token, no PUBLIC_URL). */
    error: z.string().optional(),
  }),
  /** Access scopes the backend needs that the store's app was not granted. */
  missingScopes: z.array(z.string()),
});
export type StoreView = z.infer<typeof storeViewSchema>;
export const storesResponseSchema = z.array(storeViewSchema);

export const storeIdParams = z.object({ id: z.string().regex(/^\d{1,18}$/) });

/** "Setting - Other": sync the payment status of the store's orders created in a time range. */
export const syncPaymentStatusSchema = z
  .object({ from: isoDateTimeSchema, to: isoDateTimeSchema })
  .strict()
  .refine((r) => Date.parse(r.from) <= Date.parse(r.to), { message: '`from` is after `to`', path: ['from'] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 90 * 86_400_000, { message: 'at most 90 days at a time', path: ['to'] });
export const syncPaymentStatusResponseSchema = z.object({ read: z.number().int(), updated: z.number().int() });

export const FULFILLMENT_STATUSES = ['queued', 'sent', 'failed'] as const;

/** One fulfillment of a store order on the store, as `GET /v1/store-orders/:id` shows it. */
export const storeFulfillmentSchema = z.object({
  aliOrderIds: z.array(aliOrderIdSchema),
  trackingNumbers: z.array(z.string()),
  status: z.enum(FULFILLMENT_STATUSES),
  /** Why the store refused it (permanent: not retried until something changes). */
  error: z.string().optional(),
  storeFulfillmentId: z.string().optional(),
});
export type StoreFulfillment = z.infer<typeof storeFulfillmentSchema>;

/** A store line item, as the store order keeps it. */
export const storeLineItemSchema = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  title: z.string(),
  quantity: z.number().int().nonnegative(),
  /** How many of it were fulfilled on the store by someone else (the shop's staff, another app): those are never pushed. */
  fulfilledOnStore: z.number().int().positive().optional(),
});
export type StoreLineItem = z.infer<typeof storeLineItemSchema>;

/** Which store line items one AliExpress order covers, when placing. */
export const coveredLinesSchema = z
  .array(z.object({ lineItemId: z.string().trim().min(1).max(100), quantity: z.number().int().min(1).max(10_000) }))
  .min(1)
  .max(100);

export const reorderSchema = z.object({ ids: z.array(z.string().regex(/^\d{1,18}$/, 'a store order id')).min(1).max(500) }).strict();
export const REORDER_REFUSALS = ['not_found', 'canceled_on_store', 'locked', 'not_canceled_or_failed'] as const;
export const reorderResponseSchema = z.object({
  results: z.array(
    z.discriminatedUnion('outcome', [
      z.object({ id: z.string(), outcome: z.literal('reopened') }),
      z.object({ id: z.string(), outcome: z.literal('refused'), reason: z.enum(REORDER_REFUSALS) }),
    ]),
  ),
});
export type ReorderResponse = z.infer<typeof reorderResponseSchema>;

export const OUTGOING_EVENTS = ['tracking.updated', 'order.fulfilled', 'order.abnormal'] as const;
export type OutgoingEvent = (typeof OUTGOING_EVENTS)[number];

export const createWebhookEndpointSchema = z
  .object({
    url: z
      .string()
      .trim()
      .max(2000)
      .url()
      // Where it points (public addresses only, after DNS) is checked by the server: server/webhooks-out/addresses.ts.
      .refine((u) => /^https?:\/\//i.test(u), { message: 'an https URL' }),
    events: z.array(z.enum(OUTGOING_EVENTS)).min(1).max(OUTGOING_EVENTS.length).default([...OUTGOING_EVENTS]),
  })
  .strict();

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(OUTGOING_EVENTS)),
  createdAt: isoDateTimeSchema,
});
/** The answer to creating one: the signing secret, shown this once. */
export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({ secret: z.string() });
export const webhookEndpointsResponseSchema = z.array(webhookEndpointSchema);
