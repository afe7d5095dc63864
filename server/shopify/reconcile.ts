/**
 * The reconciling pass: webhooks can be late or missed, so each store's orders updated since its
 * cursor are read again and applied the same way (applying a version twice changes nothing). A
 * store is claimed for its pass like an outbox job, so two processes never read it at once.
 */
import type { Database } from '../db';
import { planStoreFulfillments } from '../stores/fulfillments';
import type { StoreClients } from '../jobs/store-push';
import { ShopifyError } from './client';
import { ORDERS_UPDATED_SINCE } from './operations';
import { applyStoreOrder, fromGraphqlOrder, type GraphqlOrder } from './orders-in';

export const RECONCILE_EVERY_MS = 5 * 60_000;
/** Orders a page: 10 keeps the query's requested cost (each fulfillment's line items included: about 680 points) under Shopify's 1,000 a query. */
const PAGE = 10;
/** Pages a pass reads at most (250 orders); the next pass goes on from the cursor. */
const MAX_PAGES = 25;

interface OrdersPage {
  orders: { nodes: GraphqlOrder[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** Reads a store's orders matching a search query and applies them; answers how many it read and changed. */
export async function readStoreOrders(
  db: Database,
  clients: StoreClients,
  store: { id: string; merchantId: string; shopDomain: string },
  query: string,
  now: Date,
  onOrder?: (updatedAt: string) => void,
): Promise<{ read: number; updated: number; changedIds: string[] }> {
  const found = await clients.forStore(store.id);
  if (!found) throw new ShopifyError('revoked', 'the store is disconnected');
  let after: string | null = null;
  let read = 0;
  const changedIds: string[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer: OrdersPage = await found.client.request<OrdersPage>('OrdersUpdatedSince', ORDERS_UPDATED_SINCE, { first: PAGE, after, query });
    for (const node of answer.orders.nodes) {
      read++;
      const applied = await db.transaction((tx) => applyStoreOrder(tx, store, fromGraphqlOrder(node), 'shopify:reconcile', now));
      if (applied.changed) changedIds.push(applied.storeOrderId);
      onOrder?.(node.updatedAt);
    }
    if (!answer.orders.pageInfo.hasNextPage) break;
    after = answer.orders.pageInfo.endCursor;
  }
  if (changedIds.length) await planStoreFulfillments(db, store.merchantId, changedIds, now);
  return { read, updated: changedIds.length, changedIds };
}

/** Claims one store whose pass is due and runs it; answers whether there was one. */
export async function reconcileDueStore(db: Database, clients: StoreClients, now: Date): Promise<boolean> {
  const { rows } = await db.query<{ id: string; merchant_id: string; shop_domain: string; reconcile_cursor: Date | null }>(
    `update stores s set reconcile_lease_until = $2
      where s.id = (select id from stores where disconnected_at is null and status in ('connected', 'failing')
                      and reconcile_due_at <= $1 and (reconcile_lease_until is null or reconcile_lease_until < $1)
                    order by reconcile_due_at limit 1 for update skip locked)
      returning s.id::text as id, s.merchant_id::text as merchant_id, s.shop_domain, s.reconcile_cursor`,
    [now, new Date(now.getTime() + 120_000)],
  );
  const store = rows[0];
  if (!store) return false;
  let cursor = store.reconcile_cursor ?? now;
  try {
    // `>=`: an order updated in the same second as the cursor is read again rather than missed.
    await readStoreOrders(db, clients, { id: store.id, merchantId: store.merchant_id, shopDomain: store.shop_domain }, `updated_at:>='${cursor.toISOString()}'`, now, (updatedAt) => {
      const t = new Date(updatedAt);
      if (t > cursor) cursor = t;
    });
    await db.query('update stores set reconcile_cursor = $2, reconcile_due_at = $3, reconcile_lease_until = null where id = $1', [
      store.id,
      cursor,
      new Date(now.getTime() + RECONCILE_EVERY_MS),
    ]);
  } catch (error) {
    const failure = error instanceof ShopifyError ? error.failure : 'transient';
    await db.query(
      'update stores set reconcile_cursor = $2, reconcile_due_at = $3, reconcile_lease_until = null, status = $4, last_error = $5 where id = $1',
      [store.id, cursor, new Date(now.getTime() + RECONCILE_EVERY_MS), failure === 'revoked' ? 'revoked' : 'failing', (error as Error).message.slice(0, 500)],
    );
  }
  return true;
}
