/** `/v1/settings`: "Setting - Tracking" (the shipping confirmation e-mail) and the Fulfillment setting. */
import { createRoute } from '@hono/zod-openapi';
import { settingsSchema, settingsUpdateSchema } from '../../../lib/domain/stores';
import type { Deps } from '../../http/env';
import { errorResponses, json, jsonBody } from '../../http/openapi';
import { newRouter } from '../../http/router';
import { readSettings, writeSettings } from '../../settings/settings';
import { rederiveSplitOrders } from '../../stores/split';

const getSettingsRoute = createRoute({
  method: 'get',
  path: '/',
  operationId: 'getV1Settings',
  summary: 'The merchant\'s settings of the store leg.',
  responses: { 200: { description: 'the settings', content: json(settingsSchema) }, ...errorResponses({}) },
});

const putSettingsRoute = createRoute({
  method: 'put',
  path: '/',
  operationId: 'putV1Settings',
  summary: 'Changes some settings (the others keep their value). A changed Fulfillment setting re-derives the state of split orders and fulfils what it now allows.',
  request: { body: jsonBody(settingsUpdateSchema) },
  responses: { 200: { description: 'the settings as they now are', content: json(settingsSchema) }, ...errorResponses({ body: true }) },
});

export function settingsRouter({ db, now, storeLeg }: Deps) {
  return newRouter()
    .openapi(getSettingsRoute, async (c) => c.json(await readSettings(db, c.get('merchant').id), 200))
    .openapi(putSettingsRoute, async (c) => {
      const merchantId = c.get('merchant').id;
      const before = await readSettings(db, merchantId);
      const after = await writeSettings(db, merchantId, c.req.valid('json'), now());
      if (after.splitFulfillment !== before.splitFulfillment) {
        const changed = await rederiveSplitOrders(db, merchantId, now());
        await storeLeg?.ordersChanged(merchantId, changed);
      }
      return c.json(after, 200);
    });
}
