/** `/v1/webhook-endpoints`: outgoing webhooks (tracking.updated, order.fulfilled, order.abnormal), signed, to URLs the merchant registers. */
import { createRoute } from '@hono/zod-openapi';
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointSchema,
  storeIdParams,
  webhookEndpointsResponseSchema,
} from '../../../lib/domain/stores';
import type { Deps } from '../../http/env';
import { fail, validationHook } from '../../http/errors';
import { errorResponses, json, jsonBody } from '../../http/openapi';
import { newRouter } from '../../http/router';
import { refusedWebhookUrl } from '../../webhooks-out/addresses';
import { createEndpoint, deleteEndpoint, listEndpoints } from '../../webhooks-out/endpoints';

const createEndpointRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'postV1WebhookEndpoints',
  summary:
    'Registers an endpoint: an https URL whose host resolves to public addresses only (loopback, private, link-local and metadata addresses are refused, IPv4 and IPv6, ' +
    'unless the server runs with ALLOW_PRIVATE_WEBHOOK_URLS=1). Each delivery is a POST of { id, type, createdAt, data } signed in X-AOS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>"> ' +
    'with the secret answered here, once.',
  request: { body: jsonBody(createWebhookEndpointSchema) },
  responses: { 201: { description: 'registered, with its signing secret', content: json(createdWebhookEndpointSchema) }, ...errorResponses({ body: true, writes: true }) },
});

const listEndpointsRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getV1WebhookEndpoints',
  summary: 'The registered endpoints (no secrets).',
  responses: { 200: { description: 'endpoints', content: json(webhookEndpointsResponseSchema) }, ...errorResponses({}) },
});

const deleteEndpointRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  operationId: 'deleteV1WebhookEndpointsById',
  summary: 'Deletes an endpoint: nothing more is sent to it.',
  request: { params: storeIdParams },
  responses: { 204: { description: 'deleted' }, ...errorResponses({ id: true }) },
});

export function webhookEndpointsRouter({ db, now, box, allowPrivateWebhookUrls = false }: Deps) {
  return newRouter()
    .openapi(createEndpointRoute, async (c) => {
      if (!box) fail(409, 'conflict', 'this server has no SECRETS_KEY, so it cannot keep a signing secret: set one and restart');
      const input = c.req.valid('json');
      const refused = await refusedWebhookUrl(input.url, { allowPrivate: allowPrivateWebhookUrls });
      if (refused) fail(400, 'bad_request', `url: ${refused}`, 'url');
      return c.json(await createEndpoint(db, box, c.get('merchant').id, input, now()), 201);
    })
    .openapi(listEndpointsRoute, async (c) => c.json(await listEndpoints(db, c.get('merchant').id), 200))
    .openapi(
      deleteEndpointRoute,
      async (c) => {
        await deleteEndpoint(db, c.get('merchant').id, c.req.valid('param').id, now());
        return c.body(null, 204);
      },
      ((result, c) => {
        if (!result.success && result.target === 'param') fail(404, 'not_found', `no webhook endpoint ${c.req.param('id') ?? ''}`.trim());
        return validationHook(result, c);
      }) satisfies typeof validationHook as never,
    );
}
