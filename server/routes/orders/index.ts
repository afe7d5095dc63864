/** `/v1/orders`: the merchant's store orders as the order views show them. */
import type { Deps } from '../../http/env';
import { newRouter } from '../../http/router';
import { listOrders } from '../../views';
import { listOrdersRoute } from './routes';

export function ordersRouter({ db, now }: Deps) {
  return newRouter().openapi(listOrdersRoute, async (c) => c.json(await listOrders(db, c.get('merchant').id, c.req.valid('query'), now()), 200));
}
