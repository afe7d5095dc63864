/**
 * Orders in from Shopify: a webhook's REST-shaped order and a GraphQL order node both become one
 * StoreOrderInput, applied to the store order it names (created on first sight). Out-of-order
 * deliveries cannot roll an order back: paid and canceled only ever turn on, line items come from
 * the newest version; a cancel on the store is final.
 *
 * Fulfilled on the store by someone else (the shop's staff, another app), the seed's lock rule
 * ("orders fulfilled on Shopify … can't be placed again … DSers won't sync the tracking number"),
 * applied as far as the store went: the whole order fulfilled with none of it by this backend takes
 * the "fulfilled on the store" lock; only some lines (`orders/partially_fulfilled`, or a mix with
 * ours) lock those lines: each keeps how many of it were fulfilled there (`fulfilledOnStore`), and
 * the planner pushes nothing for an AliExpress order whose lines are all fulfilled there.
 */
import { z } from 'zod';
import { deriveStoreOrderState, isLocked, type DsersState, type FulfillmentMode } from '../../lib/domain/store-order';
import type { StoreLineItem } from '../../lib/domain/stores';
import type { Queryable } from '../db';
import { splitSettingOf, storeOrderFacts } from '../stores/state';

export interface StoreOrderInput {
  externalId: string;
  name: string;
  updatedAt: string;
  /** The customer's payment is captured. */
  paid: boolean;
  /** Canceled, refunded or voided on the store. */
  canceled: boolean;
  /** Every line fulfilled (by anyone). */
  fulfilled: boolean;
  lineItems: StoreLineItem[];
  /** The store's fulfillments: their ids, tracking numbers and the line items each fulfilled. */
  fulfillments: { id: string; trackingNumbers: string[]; lines: { lineItemId: string; quantity: number }[] }[];
}

const gidSchema = (type: string) => z.string().max(100).regex(new RegExp(`^gid://shopify/${type}/\\d+$`));
const text = (max: number) => z.string().max(max);

/** An order as Shopify's order webhooks carry it (REST shape); only what we read, bounded. */
export const restOrderSchema = z.object({
  admin_graphql_api_id: gidSchema('Order'),
  name: text(64).min(1),
  updated_at: z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)), 'a date-time'),
  cancelled_at: z.string().max(40).nullable().optional(),
  financial_status: text(40).nullable().optional(),
  fulfillment_status: text(40).nullable().optional(),
  line_items: z
    .array(
      z.object({
        admin_graphql_api_id: gidSchema('LineItem'),
        title: text(500).default(''),
        sku: text(200).nullable().optional(),
        quantity: z.number().int().min(0).max(1_000_000),
      }),
    )
    .max(500),
  fulfillments: z
    .array(
      z.object({
        admin_graphql_api_id: gidSchema('Fulfillment'),
        status: text(40).nullable().optional(),
        tracking_numbers: z.array(text(100)).max(100).default([]),
        line_items: z
          .array(z.object({ admin_graphql_api_id: gidSchema('LineItem'), quantity: z.number().int().min(0).max(1_000_000) }))
          .max(500)
          .default([]),
      }),
    )
    .max(500)
    .default([]),
});

/** "Payment captured": paid, or paid and then (partly) refunded. Authorized only is still Pending. */
const CAPTURED = new Set(['paid', 'partially_refunded', 'refunded', 'partially_paid']);
/** Refunded or voided in full counts as canceled on the store (seed: "Canceled / Refunded … on Shopify"). */
const CANCELING = new Set(['refunded', 'voided']);

export function fromRestOrder(order: z.infer<typeof restOrderSchema>): StoreOrderInput {
  const financial = (order.financial_status ?? '').toLowerCase();
  return {
    externalId: order.admin_graphql_api_id,
    name: order.name,
    updatedAt: new Date(order.updated_at).toISOString(),
    paid: CAPTURED.has(financial),
    canceled: Boolean(order.cancelled_at) || CANCELING.has(financial),
    fulfilled: order.fulfillment_status === 'fulfilled',
    lineItems: order.line_items.map((l) => ({ id: l.admin_graphql_api_id, sku: l.sku ?? null, title: l.title, quantity: l.quantity })),
    fulfillments: order.fulfillments
      .filter((f) => f.status !== 'cancelled')
      .map((f) => ({
        id: f.admin_graphql_api_id,
        trackingNumbers: f.tracking_numbers,
        lines: f.line_items.map((l) => ({ lineItemId: l.admin_graphql_api_id, quantity: l.quantity })),
      })),
  };
}

/** An order node of the GraphQL Admin API (the reconciling pass reads these). */
export interface GraphqlOrder {
  id: string;
  name: string;
  updatedAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string;
  lineItems: { nodes: { id: string; sku: string | null; title: string; quantity: number }[] };
  fulfillments: {
    id: string;
    status: string;
    trackingInfo: { number: string | null }[];
    fulfillmentLineItems: { nodes: { quantity: number | null; lineItem: { id: string } }[] };
  }[];
}

export function fromGraphqlOrder(order: GraphqlOrder): StoreOrderInput {
  const financial = (order.displayFinancialStatus ?? '').toLowerCase();
  return {
    externalId: order.id,
    name: order.name,
    updatedAt: new Date(order.updatedAt).toISOString(),
    paid: CAPTURED.has(financial),
    canceled: Boolean(order.cancelledAt) || CANCELING.has(financial),
    fulfilled: order.displayFulfillmentStatus === 'FULFILLED',
    lineItems: order.lineItems.nodes.map((l) => ({ id: l.id, sku: l.sku, title: l.title, quantity: l.quantity })),
    fulfillments: order.fulfillments
      .filter((f) => f.status !== 'CANCELLED')
      .map((f) => ({
        id: f.id,
        trackingNumbers: f.trackingInfo.map((t) => t.number).filter((n): n is string => Boolean(n)),
        lines: f.fulfillmentLineItems.nodes.map((l) => ({ lineItemId: l.lineItem.id, quantity: l.quantity ?? 0 })),
      })),
  };
}

interface ExistingRow {
  id: string;
  paid: boolean;
  state: DsersState;
  fulfillment_mode: FulfillmentMode;
  placing_failed: boolean;
  canceled_on_store: boolean;
  store_updated_at: Date | null;
  line_items?: StoreLineItem[] | null;
}

async function audit(db: Queryable, merchantId: string, storeOrderId: string, field: string, from: string | null, to: string | null, cause: string, at: Date) {
  await db.query(
    `insert into state_changes (merchant_id, store_order_id, field, from_state, to_state, cause, at) values ($1, $2, $3, $4, $5, $6, $7)`,
    [merchantId, storeOrderId, field, from, to, cause, at],
  );
}

/** The store's fulfillments made by someone else: not this backend's by id, nor by our tracking numbers (while its answer was in flight). */
async function othersOf(db: Queryable, storeOrderId: string, fulfillments: StoreOrderInput['fulfillments']): Promise<StoreOrderInput['fulfillments']> {
  if (fulfillments.length === 0) return [];
  const { rows } = await db.query<{ ids: string[] | null; numbers: string[] | null }>(
    `select array_remove(array_agg(distinct f.store_fulfillment_id), null) as ids,
            (select array_agg(p.tracking_number) from ali_orders a join packages p on p.ali_order_pk = a.id where a.store_order_id = $1) as numbers
       from store_fulfillments f where f.store_order_id = $1`,
    [storeOrderId],
  );
  const ids = new Set(rows[0]?.ids ?? []);
  const numbers = new Set(rows[0]?.numbers ?? []);
  return fulfillments.filter((f) => !ids.has(f.id) && !(f.trackingNumbers.length > 0 && f.trackingNumbers.every((n) => numbers.has(n))));
}

/** The line items as the store has them, each with how many of it others fulfilled there. */
function withFulfilledOnStore(lineItems: StoreLineItem[], others: StoreOrderInput['fulfillments']): StoreLineItem[] {
  const done = new Map<string, number>();
  for (const line of others.flatMap((f) => f.lines)) done.set(line.lineItemId, (done.get(line.lineItemId) ?? 0) + line.quantity);
  return lineItems.map(({ id, sku, title, quantity }) => {
    const n = Math.min(done.get(id) ?? 0, quantity);
    return n > 0 ? { id, sku, title, quantity, fulfilledOnStore: n } : { id, sku, title, quantity };
  });
}

/** What of the lines is fulfilled on the store, comparable (jsonb does not keep key order). */
const fulfilledKey = (lines: readonly StoreLineItem[]) => lines.map((l) => `${l.id}:${l.fulfilledOnStore ?? 0}`).join(',');

/**
 * Creates or updates the store order an order of the store names, in the caller's transaction;
 * answers its id and whether anything changed.
 */
export async function applyStoreOrder(
  tx: Queryable,
  store: { id: string; merchantId: string; shopDomain: string },
  input: StoreOrderInput,
  cause: string,
  now: Date,
): Promise<{ storeOrderId: string; changed: boolean }> {
  const found = await tx.query<ExistingRow>(
    `select id::text as id, paid, state, fulfillment_mode, placing_failed, canceled_on_store_at is not null as canceled_on_store, store_updated_at, line_items
       from store_orders where store_id = $1 and external_id = $2 for update`,
    [store.id, input.externalId],
  );
  const updatedAt = new Date(input.updatedAt);
  let row = found.rows[0];
  if (!row) {
    const state = deriveStoreOrderState({ paid: input.paid, fulfillmentMode: 'auto', placingFailed: false, aliOrders: [], canceledOnStore: input.canceled });
    // Store order numbers are unique per merchant: a second store's #1001 is told apart by its shop.
    const inserted = await tx.query<{ id: string }>(
      `insert into store_orders (merchant_id, store_order_number, paid, state, created_at, updated_at, store_id, external_id, line_items,
                                 store_updated_at, canceled_on_store_at)
       select $1, case when exists (select 1 from store_orders where merchant_id = $1 and store_order_number = $2) then $2 || ' (' || $10 || ')' else $2 end,
              $3, $4, $5, $5, $6, $7, $8, $9, case when $11::boolean then $5::timestamptz end
       returning id::text as id`,
      // Nothing of it is ours yet: whatever the store fulfilled, someone else did.
      [store.merchantId, input.name, input.paid, state, now, store.id, input.externalId, JSON.stringify(withFulfilledOnStore(input.lineItems, input.fulfillments)), updatedAt, store.shopDomain, input.canceled],
    );
    const id = inserted.rows[0]!.id;
    await audit(tx, store.merchantId, id, 'state', null, state, cause, now);
    row = { id, paid: input.paid, state, fulfillment_mode: 'auto', placing_failed: false, canceled_on_store: input.canceled, store_updated_at: updatedAt };
    if (input.fulfilled && !input.canceled) await lockFulfilledOnStore(tx, store.merchantId, row, now);
    return { storeOrderId: id, changed: true };
  }

  const newer = !row.store_updated_at || updatedAt > row.store_updated_at;
  const paid = row.paid || input.paid;
  const canceled = row.canceled_on_store || input.canceled;
  const others = await othersOf(tx, row.id, input.fulfillments);
  const lineItems = withFulfilledOnStore(input.lineItems, others);
  let changed = paid !== row.paid || canceled !== row.canceled_on_store || (newer && fulfilledKey(lineItems) !== fulfilledKey(row.line_items ?? []));
  await tx.query(
    `update store_orders set paid = $2, canceled_on_store_at = case when $3::boolean then coalesce(canceled_on_store_at, $4) end,
            line_items = case when $5::boolean then $6::jsonb else line_items end,
            store_updated_at = greatest(store_updated_at, $7), updated_at = $4
      where id = $1`,
    [row.id, paid, canceled, now, newer, JSON.stringify(lineItems), updatedAt],
  );
  if (canceled && !row.canceled_on_store) {
    await audit(tx, store.merchantId, row.id, 'state', row.state, 'canceled', 'canceled_on_store', now);
    // "A store-side cancel stops everything": nothing more is pushed for it.
    await tx.query(
      `update store_fulfillments set status = 'failed', error = 'the order was canceled on the store' where store_order_id = $1 and status = 'queued'`,
      [row.id],
    );
  }
  row.paid = paid;
  row.canceled_on_store = canceled;
  // Fulfilled whole by others, none of it by us: the order's lock. Some lines only: those lines' (the planner's part).
  const fulfilledByOthers = input.fulfillments.length > 0 && others.length === input.fulfillments.length;
  if (input.fulfilled && fulfilledByOthers && !canceled && !isLocked(row.fulfillment_mode)) {
    await lockFulfilledOnStore(tx, store.merchantId, row, now);
    changed = true;
  }
  const state = await refreshStoreOrderState(tx, store.merchantId, row, cause, now);
  return { storeOrderId: row.id, changed: changed || state !== row.state };
}

/** "What will happen on DSers to orders fulfilled on Shopify? … moved to the Fulfilled tab and can't be placed again." */
async function lockFulfilledOnStore(tx: Queryable, merchantId: string, row: ExistingRow, now: Date): Promise<void> {
  await tx.query(`update store_orders set fulfillment_mode = 'store_fulfilled', updated_at = $2 where id = $1`, [row.id, now]);
  await audit(tx, merchantId, row.id, 'fulfillment_mode', row.fulfillment_mode, 'store_fulfilled', 'fulfilled_on_store', now);
  row.fulfillment_mode = 'store_fulfilled';
  await tx.query(
    `update store_fulfillments set status = 'failed', error = 'the order was fulfilled on the store' where store_order_id = $1 and status = 'queued'`,
    [row.id],
  );
}

/** The order's state from its facts as they now stand; the change audited. */
async function refreshStoreOrderState(tx: Queryable, merchantId: string, row: ExistingRow, cause: string, now: Date): Promise<DsersState> {
  const facts = await storeOrderFacts(tx, row.id, { ...row, split: await splitSettingOf(tx, merchantId) });
  const state = deriveStoreOrderState(facts);
  if (state !== row.state) {
    await tx.query('update store_orders set state = $2, updated_at = $3 where id = $1', [row.id, state, now]);
    await audit(tx, merchantId, row.id, 'state', row.state, state, cause, now);
  }
  return state;
}
