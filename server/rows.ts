/**
 * Row shapes: the store orders, AliExpress orders and packages as the tables hold them, and the
 * reads that the store-order commands, the order views and the sync pipeline all need.
 */
import type { StatusSource } from '../lib/domain/ali-order';
import type { AliOrderStatus, TrackingStatus } from '../lib/domain/snapshot';
import type { DsersState, FulfillmentMode } from '../lib/domain/store-order';
import type { Queryable } from './db';
import { NotFoundError } from './errors';

export const STORE_ORDER_COLUMNS = `id::text as id, store_order_number, paid, fulfillment_mode, placing_failed, placing_error, state,
  manual_tracking_status, retrack_requested_at, canceled_on_store_at is not null as canceled_on_store`;

export interface StoreOrderRow {
  id: string;
  store_order_number: string;
  paid: boolean;
  fulfillment_mode: FulfillmentMode;
  placing_failed: boolean;
  placing_error: string | null;
  state: DsersState;
  manual_tracking_status: TrackingStatus | null;
  retrack_requested_at: Date | null;
  /** Canceled on the store: final (server/shopify/orders-in.ts). */
  canceled_on_store: boolean;
}

export interface AliRow {
  store_order_id: string;
  pk: string;
  ali_order_id: string;
  supplier: string | null;
  status: AliOrderStatus;
  paid_at: Date | null;
  last_seen_at: Date | null;
}

/** An AliExpress order as the order views show it: with the evidence its status came from. */
export interface ViewAliRow extends AliRow {
  status_source: StatusSource | null;
  aliexpress_origin: string | null;
}

export interface PackageRow {
  ali_order_pk: string;
  tracking_number: string;
  carrier: string | null;
  tracking_status: TrackingStatus;
  last_event_at: Date | null;
  first_event_at: Date | null;
  first_seen_at: Date | null;
  read_at: Date | null;
}

export const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Ids are bigserials; anything else cannot name an order, and must not reach a bigint cast. */
function checkId(storeOrderId: string): void {
  if (!/^\d{1,18}$/.test(storeOrderId)) throw new NotFoundError(`no store order ${storeOrderId}`);
}

/** One of the merchant's store orders. Another merchant's order is "not found", never "forbidden". */
export async function storeOrder(db: Queryable, merchantId: string, storeOrderId: string, lock = false): Promise<StoreOrderRow> {
  checkId(storeOrderId);
  const { rows } = await db.query<StoreOrderRow>(
    `select ${STORE_ORDER_COLUMNS} from store_orders where id = $1 and merchant_id = $2${lock ? ' for update' : ''}`,
    [storeOrderId, merchantId],
  );
  if (!rows[0]) throw new NotFoundError(`no store order ${storeOrderId}`);
  return rows[0];
}

/** The AliExpress orders that decide some store orders (not the ones replaced by a new placing), and their packages, each in id order. */
export async function loadAliOrders(db: Queryable, storeOrderIds: string[]): Promise<{ ali: ViewAliRow[]; packages: PackageRow[] }> {
  if (storeOrderIds.length === 0) return { ali: [], packages: [] };
  const ali = (
    await db.query<ViewAliRow>(
      `select store_order_id::text as store_order_id, id::text as pk, ali_order_id, supplier, status, status_source, aliexpress_origin, paid_at, last_seen_at
         from ali_orders where store_order_id = any($1::bigint[]) and replaced_at is null order by id`,
      [storeOrderIds],
    )
  ).rows;
  const packages = ali.length
    ? (
        await db.query<PackageRow>(
          `select ali_order_pk::text as ali_order_pk, tracking_number, carrier, tracking_status, last_event_at, first_event_at,
                  first_seen_at, read_at
             from packages where ali_order_pk = any($1::bigint[]) order by id`,
          [ali.map((a) => a.pk)],
        )
      ).rows
    : [];
  return { ali, packages };
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
