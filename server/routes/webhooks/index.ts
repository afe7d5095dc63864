/**
 * `POST /v1/webhooks/shopify`: Shopify's webhooks. Mounted before the bearer-token check: the
 * HMAC of the raw body is its authentication, checked before anything parses the body.
 */
import { createRoute } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { Deps } from '../../http/env';
import { fail } from '../../http/errors';
import { errorResponses, json } from '../../http/openapi';
import { newRouter } from '../../http/router';
import { MAX_WEBHOOK_BYTES, receiveShopifyWebhook } from '../../shopify/webhooks';

const received = z.object({ outcome: z.enum(['applied', 'duplicate', 'ignored']) });

const shopifyWebhookRoute = createRoute({
  method: 'post',
  path: '/shopify',
  operationId: 'postV1WebhooksShopify',
  summary:
    'Shopify webhooks (orders/create, orders/paid, orders/updated, orders/cancelled, orders/fulfilled, orders/partially_fulfilled, app/uninstalled). ' +
    'Authenticated by X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with the app\'s client secret), not a bearer token; ' +
    'deduplicated on X-Shopify-Webhook-Id.',
  security: [],
  responses: {
    200: { description: 'applied, or seen before, or a topic that changes nothing', content: json(received) },
    ...errorResponses({ body: true }),
  },
});

export function shopifyWebhooksRouter({ db, now, box, storeLeg }: Deps) {
  const router = newRouter();
  router.use('/shopify', bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: () => fail(413, 'payload_too_large', `a webhook is at most ${MAX_WEBHOOK_BYTES} bytes`) }));
  return router.openapi(shopifyWebhookRoute, async (c) => {
    if (!box) fail(401, 'unauthorized', 'no store is connected to this server');
    const raw = Buffer.from(await c.req.arrayBuffer());
    const answer = await receiveShopifyWebhook(
      db,
      box,
      {
        topic: c.req.header('x-shopify-topic'),
        shopDomain: c.req.header('x-shopify-shop-domain'),
        hmac: c.req.header('x-shopify-hmac-sha256'),
        webhookId: c.req.header('x-shopify-webhook-id'),
      },
      raw,
      now(),
    );
    if (answer.status !== 200) fail(answer.status, answer.status === 401 ? 'unauthorized' : 'bad_request', answer.message, answer.field);
    if (answer.outcome === 'applied' && answer.merchantId && answer.storeOrderId) await storeLeg?.ordersChanged(answer.merchantId, [answer.storeOrderId]);
    return c.json({ outcome: answer.outcome }, 200);
  });
}
