/**
 * Order views: what the API answers about store orders (the list, one order with its audit trail)
 * and the watchlist of AliExpress orders worth a page load, with flags computed by the shared rules.
 */
import type { OrderView, OrdersQuery, StateChange, StoreOrderDetail, WatchItem, WatchlistResponse } from '../lib/domain/api';
import { isLocked } from '../lib/domain/store-order';
import { effectiveTrackingStatus, orderFlags } from '../lib/domain/order-flags';
import { watchNeeds } from '../lib/domain/watchlist';
import type { Queryable } from './db';
import { actionFlagCandidate, isNarrowed } from './flag-candidates';
import { storePartOf } from './stores/order-detail';
import { STORE_ORDER_COLUMNS, groupBy, iso, loadAliOrders, storeOrder, type AliRow, type PackageRow, type StoreOrderRow } from './rows';

/** The API's view of store orders, with flags computed at `now` by the shared rules. */
async function viewsOf(db: Queryable, stores: readonly StoreOrderRow[], now: Date): Promise<OrderView[]> {
  const { ali, packages } = await loadAliOrders(db, stores.map((s) => s.id));
  const aliByStore = groupBy(ali, (a) => a.store_order_id);
  const packagesByAli = groupBy(packages, (p) => p.ali_order_pk);
  return stores.map((s) => {
    const aliOrders = (aliByStore.get(s.id) ?? []).map((a) => ({
      aliOrderId: a.ali_order_id,
      supplier: a.supplier,
      status: a.status,
      ...(a.status_source && { statusSource: a.status_source }),
      ...(a.aliexpress_origin && { aliexpressOrigin: a.aliexpress_origin }),
      paidAt: iso(a.paid_at),
      lastSeenAt: iso(a.last_seen_at),
      packages: (packagesByAli.get(a.pk) ?? []).map((p) => ({
        trackingNumber: p.tracking_number,
        carrier: p.carrier,
        trackingStatus: p.tracking_status,
        lastEventAt: iso(p.last_event_at),
        firstEventAt: iso(p.first_event_at),
        firstSeenAt: iso(p.first_seen_at),
      })),
    }));
    const view: OrderView = {
      id: s.id,
      storeOrderNumber: s.store_order_number,
      state: s.state,
      flags: [],
      paid: s.paid,
      fulfillmentMode: s.fulfillment_mode,
      locked: isLocked(s.fulfillment_mode),
      placingError: s.placing_failed ? s.placing_error : null,
      trackingStatus: effectiveTrackingStatus(
        s.manual_tracking_status,
        aliOrders.flatMap((a) => a.packages.map((p) => p.trackingStatus)),
      ),
      manualTrackingStatus: s.manual_tracking_status,
      aliOrders,
    };
    view.flags = orderFlags(view, now);
    return view;
  });
}

export async function viewOf(db: Queryable, merchantId: string, storeOrderId: string, now: Date): Promise<OrderView> {
  const [view] = await viewsOf(db, [await storeOrder(db, merchantId, storeOrderId)], now);
  return view!;
}

/** One store order with its audit trail. */
export async function getStoreOrder(db: Queryable, merchantId: string, storeOrderId: string, now: Date): Promise<StoreOrderDetail> {
  const order = await viewOf(db, merchantId, storeOrderId, now);
  const { rows } = await db.query<{ field: StateChange['field']; from_state: string | null; to_state: string | null; cause: string; at: Date }>(
    'select field, from_state, to_state, cause, at from state_changes where store_order_id = $1 order by id',
    [order.id],
  );
  const history = rows.map((r) => ({ field: r.field, from: r.from_state, to: r.to_state, cause: r.cause, at: iso(r.at)! }));
  return { ...order, history, ...(await storePartOf(db, order.id)) };
}

/** Rows scanned per round when a flag filter (computed in JS from the shared rules) thins them out. */
const FLAG_SCAN_BATCH = 200;

/** The merchant's store orders, newest first, with their AliExpress orders, packages and flags. */
export async function listOrders(
  db: Queryable,
  merchantId: string,
  options: Pick<OrdersQuery, 'state' | 'flag' | 'q' | 'cursor' | 'limit'>,
  now = new Date(),
): Promise<{ orders: OrderView[]; nextCursor: string | null }> {
  const params: unknown[] = [merchantId];
  const where = ['s.merchant_id = $1'];
  if (options.state) {
    params.push(options.state);
    where.push(`s.state = $${params.length}`);
  }
  if (options.q) {
    params.push(options.q.trim());
    const p = `$${params.length}`;
    where.push(`(s.store_order_number = ${p} or exists (select 1 from ali_orders a left join packages p on p.ali_order_pk = a.id
                 where a.store_order_id = s.id and (a.ali_order_id = ${p} or p.tracking_number = ${p})))`);
  }
  // Flags come from unlocked, placed orders only (see orderFlags); the rest need not be scanned,
  // and for an action flag only those that can have it.
  let nowAt: number | undefined;
  const nowParam = () => `$${(nowAt ??= params.push(now))}::timestamptz`;
  if (options.flag && isNarrowed(options.flag)) where.push(actionFlagCandidate('s', nowParam, [options.flag]));
  else if (options.flag) where.push(`s.fulfillment_mode = 'auto' and exists (select 1 from ali_orders a where a.store_order_id = s.id)`);
  const cursorParam = params.push(options.cursor ?? null);
  const limitParam = params.push(options.flag ? Math.max(FLAG_SCAN_BATCH, options.limit + 1) : options.limit + 1);
  const sql = `select ${STORE_ORDER_COLUMNS} from store_orders s
                where ${where.join(' and ')} and ($${cursorParam}::bigint is null or s.id < $${cursorParam}::bigint)
                order by s.id desc limit $${limitParam}`;

  // Keeps one match more than a page, so nextCursor is only given when there is more to read.
  const matches: OrderView[] = [];
  let batchSize: number;
  do {
    const { rows } = await db.query<StoreOrderRow>(sql, params);
    batchSize = rows.length;
    for (const view of await viewsOf(db, rows, now)) {
      if (!options.flag || view.flags.includes(options.flag)) matches.push(view);
    }
    params[cursorParam - 1] = rows.at(-1)?.id;
  } while (matches.length <= options.limit && options.flag && batchSize === params[limitParam - 1]);
  const orders = matches.slice(0, options.limit);
  return { orders, nextCursor: matches.length > options.limit ? (orders.at(-1)?.id ?? null) : null };
}

/** The AliExpress orders worth a page load, most urgent first, and what each lacks. */
export async function watchlist(db: Queryable, merchantId: string, limit: number, now: Date): Promise<WatchlistResponse> {
  // Locked and canceled orders are final (watchNeeds says so too); leaving them out here is only a shortcut.
  const { rows } = await db.query<AliRow & { store_order_number: string; retrack_requested_at: Date | null }>(
    `select a.store_order_id::text as store_order_id, a.id::text as pk, a.ali_order_id, a.supplier, a.status, a.paid_at,
            a.last_seen_at, s.store_order_number, s.retrack_requested_at
       from ali_orders a join store_orders s on s.id = a.store_order_id
      where a.merchant_id = $1 and s.fulfillment_mode = 'auto' and a.status <> 'closed' and a.replaced_at is null
        and s.canceled_on_store_at is null
      order by a.id`,
    [merchantId],
  );
  const packages = rows.length
    ? (
        await db.query<PackageRow>(
          `select ali_order_pk::text as ali_order_pk, tracking_number, tracking_status, read_at from packages
            where ali_order_pk = any($1::bigint[]) order by id`,
          [rows.map((r) => r.pk)],
        )
      ).rows
    : [];
  const packagesByAli = groupBy(packages, (p) => p.ali_order_pk);
  const items: { item: WatchItem; urgency: [number, number] }[] = [];
  for (const r of rows) {
    const pkgs = packagesByAli.get(r.pk) ?? [];
    const needs = watchNeeds(
      {
        locked: false,
        status: r.status,
        lastSeenAt: iso(r.last_seen_at),
        retrackRequestedAt: iso(r.retrack_requested_at),
        packages: pkgs.map((p) => ({ trackingStatus: p.tracking_status, readAt: iso(p.read_at) })),
      },
      now,
    );
    if (needs.length === 0) continue;
    const retrackPending = r.retrack_requested_at !== null && pkgs.some((p) => !p.read_at || p.read_at < r.retrack_requested_at!);
    items.push({
      item: {
        aliOrderId: r.ali_order_id,
        storeOrderId: r.store_order_id,
        storeOrderNumber: r.store_order_number,
        status: r.status,
        lastSeenAt: iso(r.last_seen_at),
        trackingNumbers: pkgs.map((p) => p.tracking_number),
        needs,
      },
      urgency: [retrackPending ? 0 : r.last_seen_at === null ? 1 : 2, r.last_seen_at?.getTime() ?? 0],
    });
  }
  items.sort((a, b) => a.urgency[0] - b.urgency[0] || a.urgency[1] - b.urgency[1]);
  return { aliOrders: items.slice(0, limit).map((i) => i.item), generatedAt: now.toISOString() };
}
