/**
 * Shopify's webhooks in. No bearer token: the X-Shopify-Hmac-Sha256 header (base64 HMAC-SHA256 of
 * the raw body, keyed with the store's client secret) decides, compared in constant time before
 * the body is parsed. A webhook id seen before is answered 200 and not applied again; the receipt
 * and the change are written in one transaction, so a delivery that fails to apply is not marked seen.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../db';
import type { SecretBox } from '../secrets';
import { applyStoreOrder, fromRestOrder, restOrderSchema } from './orders-in';
import { WEBHOOK_TOPICS } from './subscriptions';

/** Shopify's order payloads are well under this; larger is not a webhook of ours. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

const ORDER_TOPICS: ReadonlySet<string> = new Set(WEBHOOK_TOPICS.filter((t) => t.startsWith('orders/')));

export type WebhookAnswer =
  | { status: 200; outcome: 'applied' | 'duplicate' | 'ignored'; merchantId?: string; storeOrderId?: string }
  | { status: 400 | 401; message: string; field?: string };

export function shopifyHmac(secret: string, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** Whether the header is the body's HMAC under the secret, compared in constant time. */
export function validHmac(secret: string, rawBody: Buffer, header: string): boolean {
  const expected = Buffer.from(shopifyHmac(secret, rawBody), 'base64');
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookHeaders {
  topic?: string;
  shopDomain?: string;
  hmac?: string;
  webhookId?: string;
}

const headerOk = (value: string | undefined, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

export async function receiveShopifyWebhook(db: Database, box: SecretBox, headers: WebhookHeaders, rawBody: Buffer, now: Date): Promise<WebhookAnswer> {
  const { topic, shopDomain, hmac, webhookId } = headers;
  if (!headerOk(hmac, 200) || !headerOk(shopDomain, 255)) return { status: 401, message: 'a Shopify webhook is signed (X-Shopify-Hmac-Sha256) and names its shop (X-Shopify-Shop-Domain)' };
  const { rows } = await db.query<{ id: string; merchant_id: string; shop_domain: string; client_secret_sealed: string | null }>(
    `select id::text as id, merchant_id::text as merchant_id, shop_domain, client_secret_sealed from stores
      where platform = 'shopify' and shop_domain = $1 and disconnected_at is null`,
    [shopDomain.toLowerCase()],
  );
  const store = rows[0];
  // An unknown shop and a bad signature get the same answer: neither tells which shops are connected.
  if (!store?.client_secret_sealed || !validHmac(box.open(store.client_secret_sealed), rawBody, hmac)) {
    return { status: 401, message: 'the webhook signature is not valid' };
  }
  if (!headerOk(topic, 100)) return { status: 400, message: 'X-Shopify-Topic is missing', field: 'X-Shopify-Topic' };
  if (!headerOk(webhookId, 200)) return { status: 400, message: 'X-Shopify-Webhook-Id is missing', field: 'X-Shopify-Webhook-Id' };

  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return { status: 400, message: 'the body is not valid JSON' };
  }
  let order: z.infer<typeof restOrderSchema> | undefined;
  if (ORDER_TOPICS.has(topic)) {
    const parsed = restOrderSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { status: 400, message: `${issue.path.join('.')}: ${issue.message}`, field: issue.path.join('.') };
    }
    order = parsed.data;
  }

  return db.transaction(async (tx): Promise<WebhookAnswer> => {
    const receipt = await tx.query(
      `insert into store_webhook_receipts (store_id, webhook_id, topic, received_at) values ($1, $2, $3, $4) on conflict do nothing returning webhook_id`,
      [store.id, webhookId, topic, now],
    );
    if (!receipt.rows[0]) return { status: 200, outcome: 'duplicate' };
    if (topic === 'app/uninstalled') {
      await tx.query(`update stores set status = 'uninstalled', last_error = 'the app was uninstalled from the shop' where id = $1`, [store.id]);
      return { status: 200, outcome: 'applied' };
    }
    if (!order) return { status: 200, outcome: 'ignored' };
    const applied = await applyStoreOrder(tx, { id: store.id, merchantId: store.merchant_id, shopDomain: store.shop_domain }, fromRestOrder(order), `shopify:${topic}`, now);
    return { status: 200, outcome: 'applied', merchantId: store.merchant_id, storeOrderId: applied.storeOrderId };
  });
}
