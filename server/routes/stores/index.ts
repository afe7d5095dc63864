/**
 * `/v1/stores`: connecting a Shopify store (its secrets sealed, never answered; its webhooks
 * subscribed), listing, disconnecting, subscribing its webhooks again, and "Setting - Other"'s
 * payment-status sync.
 */
import { createRoute } from '@hono/zod-openapi';
import {
  connectStoreSchema,
  storeIdParams,
  storesResponseSchema,
  storeViewSchema,
  syncPaymentStatusResponseSchema,
  syncPaymentStatusSchema,
} from '../../../lib/domain/stores';
import type { Deps } from '../../http/env';
import { fail, validationHook } from '../../http/errors';
import { errorResponses, json, jsonBody } from '../../http/openapi';
import { newRouter } from '../../http/router';
import { ShopifyError } from '../../shopify/client';
import { readStoreOrders } from '../../shopify/reconcile';
import { registerStoreWebhooks, unsubscribeStoreWebhooks } from '../../shopify/subscriptions';
import { connectStore, disconnectStore, listStores, liveStore, storeView } from '../../stores/stores';

const params = storeIdParams;
/** A bad id is a store that does not exist; anything else is the API's usual 400. */
const notFoundHook: typeof validationHook = (result, c) => {
  if (!result.success && result.target === 'param') fail(404, 'not_found', `no store ${c.req.param('id') ?? ''}`.trim());
  return validationHook(result, c);
};

const connectRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'postV1Stores',
  summary:
    'Connects a Shopify store: its myshopify.com domain, the custom app\'s Admin API access token and client secret (stored encrypted, never answered). ' +
    'Then subscribes the webhooks the backend needs to <PUBLIC_URL>/v1/webhooks/shopify and checks the app\'s scopes: the answer\'s `webhooks` and `missingScopes` say how that went.',
  request: { body: jsonBody(connectStoreSchema) },
  responses: { 201: { description: 'connected', content: json(storeViewSchema) }, ...errorResponses({ body: true, writes: true }) },
});

const webhooksRoute = createRoute({
  method: 'post',
  path: '/{id}/webhooks',
  operationId: 'postV1StoresByIdWebhooks',
  summary: 'Subscribes the store\'s webhooks again (after a scope was added, say), creating only those missing; answers the store.',
  request: { params },
  responses: { 200: { description: 'the store, with its webhooks', content: json(storeViewSchema) }, ...errorResponses({ id: true }) },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getV1Stores',
  summary: 'The connected stores (no secrets), with their status and last error.',
  responses: { 200: { description: 'stores', content: json(storesResponseSchema) }, ...errorResponses({}) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteV1StoresById',
  summary: 'Disconnects a store: the webhook subscriptions made on connect are deleted (best effort), its secrets are wiped, its queued fulfillments fail, its orders stay.',
  request: { params },
  responses: { 204: { description: 'disconnected' }, ...errorResponses({ id: true }) },
});

const syncPaymentRoute = createRoute({
  method: 'post',
  path: '/{id}/sync-payment-status',
  operationId: 'postV1StoresByIdSyncPaymentStatus',
  summary: '"Setting - Other": reads the store\'s orders created in a time range again, so orders stuck in Pending whose customer paid move on.',
  request: { params, body: jsonBody(syncPaymentStatusSchema) },
  responses: { 200: { description: 'how many orders were read and changed', content: json(syncPaymentStatusResponseSchema) }, ...errorResponses({ id: true, body: true }) },
});

export function storesRouter({ db, now, box, storeLeg, publicUrl }: Deps) {
  const needBox = () => box ?? fail(409, 'conflict', 'this server has no SECRETS_KEY, so it cannot keep a store\'s secrets: set one and restart');
  const subscribe = async (merchantId: string, storeId: string) => {
    if (storeLeg) await registerStoreWebhooks(db, { id: storeId, client: (await storeLeg.clients.forStore(storeId))?.client }, publicUrl);
    return storeView(await liveStore(db, merchantId, storeId));
  };
  return newRouter()
    .openapi(connectRoute, async (c) => {
      const merchantId = c.get('merchant').id;
      const connected = await connectStore(db, needBox(), merchantId, c.req.valid('json'), now());
      return c.json(await subscribe(merchantId, connected.id), 201);
    })
    .openapi(listRoute, async (c) => c.json(await listStores(db, c.get('merchant').id), 200))
    .openapi(
      webhooksRoute,
      async (c) => {
        const merchantId = c.get('merchant').id;
        const store = await liveStore(db, merchantId, c.req.valid('param').id);
        return c.json(await subscribe(merchantId, store.id), 200);
      },
      notFoundHook as never,
    )
    .openapi(
      deleteRoute,
      async (c) => {
        const merchantId = c.get('merchant').id;
        const store = await liveStore(db, merchantId, c.req.valid('param').id);
        if (storeLeg) await unsubscribeStoreWebhooks((await storeLeg.clients.forStore(store.id))?.client, store.webhook_callback_url);
        await disconnectStore(db, merchantId, store.id, now());
        return c.body(null, 204);
      },
      notFoundHook as never,
    )
    .openapi(
      syncPaymentRoute,
      async (c) => {
        const merchantId = c.get('merchant').id;
        const store = await liveStore(db, merchantId, c.req.valid('param').id);
        if (!storeLeg) fail(409, 'conflict', 'the store leg is not running on this server');
        const { from, to } = c.req.valid('json');
        try {
          const { read, updated, changedIds } = await readStoreOrders(
            db,
            storeLeg.clients,
            { id: store.id, merchantId, shopDomain: store.shop_domain },
            `created_at:>='${new Date(from).toISOString()}' created_at:<='${new Date(to).toISOString()}'`,
            now(),
          );
          await storeLeg.ordersChanged(merchantId, changedIds);
          return c.json({ read, updated }, 200);
        } catch (error) {
          if (error instanceof ShopifyError) fail(409, 'conflict', `the store could not be read: ${error.message}`);
          throw error;
        }
      },
      notFoundHook as never,
    );
}
