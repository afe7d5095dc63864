/** Store orders and AliExpress orders in the database, and applying what the extension read. */
import { createHash } from 'node:crypto';
import type {
  OrderView,
  OrdersQuery,
  StateChange,
  StoreOrderDetail,
  SyncRequest,
  SyncResponse,
  SyncResult,
  WatchItem,
  WatchlistResponse,
} from '../lib/domain/api';
import { carriesOrders, type AliOrder, type AliOrderStatus, type Package, type TrackingStatus } from '../lib/domain/snapshot';
import {
  deriveStoreOrderState,
  isLocked,
  manualFulfillmentMode,
  type DsersState,
  type FulfillmentMode,
} from '../lib/domain/store-order';
import { effectiveTrackingStatus, orderFlags } from '../lib/domain/tracking';
import { watchNeeds } from '../lib/domain/watchlist';
import { sameHash, type Merchant } from './auth';
import { prepared, type Database, type Queryable, type Transaction } from './db';

/** A paid day without a time of day counts from the start of that day (UTC), for the 7-day rule. */
function paidInstant(paidAt: string | undefined): string | null {
  if (!paidAt) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(paidAt) ? `${paidAt}T00:00:00Z` : paidAt;
}

export class NotFoundError extends Error {}
export class ConflictError extends Error {}

const STORE_ORDER_COLUMNS = `id::text as id, store_order_number, paid, fulfillment_mode, placing_failed, placing_error, state,
  manual_tracking_status, retrack_requested_at`;

interface StoreOrderRow {
  id: string;
  store_order_number: string;
  paid: boolean;
  fulfillment_mode: FulfillmentMode;
  placing_failed: boolean;
  placing_error: string | null;
  state: DsersState;
  manual_tracking_status: TrackingStatus | null;
  retrack_requested_at: Date | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Ids are bigserials; anything else cannot name an order, and must not reach a bigint cast. */
function checkId(storeOrderId: string): void {
  if (!/^\d{1,18}$/.test(storeOrderId)) throw new NotFoundError(`no store order ${storeOrderId}`);
}

/** One of the merchant's store orders. Another merchant's order is "not found", never "forbidden". */
async function storeOrder(db: Queryable, merchantId: string, storeOrderId: string, lock = false): Promise<StoreOrderRow> {
  checkId(storeOrderId);
  const { rows } = await db.query<StoreOrderRow>(
    `select ${STORE_ORDER_COLUMNS} from store_orders where id = $1 and merchant_id = $2${lock ? ' for update' : ''}`,
    [storeOrderId, merchantId],
  );
  if (!rows[0]) throw new NotFoundError(`no store order ${storeOrderId}`);
  return rows[0];
}

type AuditField = StateChange['field'];

async function audit(
  db: Queryable,
  row: { merchantId: string; storeOrderId: string; field: AuditField; from: string | null; to: string | null; cause: string; at: Date },
): Promise<void> {
  await db.query(
    `insert into state_changes (merchant_id, store_order_id, field, from_state, to_state, cause, at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [row.merchantId, row.storeOrderId, row.field, row.from, row.to, row.cause, row.at],
  );
}

/** Recomputes a store order's state from its AliExpress orders; records the change if there is one. */
async function refreshState(db: Queryable, merchantId: string, order: StoreOrderRow, cause: string, now: Date): Promise<DsersState> {
  const { rows } = await db.query<{ status: AliOrderStatus; tracking_numbers: string[] | null }>(
    `select a.status, array_remove(array_agg(p.tracking_number), null) as tracking_numbers
       from ali_orders a left join packages p on p.ali_order_pk = a.id
      where a.store_order_id = $1 group by a.id`,
    [order.id],
  );
  const state = deriveStoreOrderState({
    paid: order.paid,
    fulfillmentMode: order.fulfillment_mode,
    placingFailed: order.placing_failed,
    aliOrders: rows.map((r) => ({ status: r.status, trackingNumbers: r.tracking_numbers ?? [] })),
  });
  if (state !== order.state) {
    await db.query('update store_orders set state = $2, updated_at = $3 where id = $1', [order.id, state, now]);
    await audit(db, { merchantId, storeOrderId: order.id, field: 'state', from: order.state, to: state, cause, at: now });
    order.state = state;
  }
  return state;
}

export async function createStoreOrder(db: Database, merchantId: string, storeOrderNumber: string, paid: boolean, now = new Date()): Promise<string> {
  return db.transaction(async (tx) => {
    const state = deriveStoreOrderState({ paid, fulfillmentMode: 'auto', placingFailed: false, aliOrders: [] });
    const { rows } = await tx.query<{ id: string }>(
      `insert into store_orders (merchant_id, store_order_number, paid, state, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)
       on conflict (merchant_id, store_order_number) do nothing returning id::text as id`,
      [merchantId, storeOrderNumber, paid, state, now],
    );
    if (!rows[0]) throw new ConflictError(`store order ${storeOrderNumber} exists already`);
    await audit(tx, { merchantId, storeOrderId: rows[0].id, field: 'state', from: null, to: state, cause: 'created', at: now });
    return rows[0].id;
  });
}

/** Runs a merchant-side change on one locked store order and answers its view afterwards. */
async function changeStoreOrder(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  now: Date,
  change: (tx: Queryable, order: StoreOrderRow) => Promise<void>,
): Promise<OrderView> {
  await db.transaction(async (tx) => change(tx, await storeOrder(tx, merchantId, storeOrderId, true)));
  return viewOf(db, merchantId, storeOrderId, now);
}

function refuseIfLocked(order: StoreOrderRow, what: string): void {
  // "You can't place this orders with DSers anymore" / "can't be placed again with DSers".
  if (isLocked(order.fulfillment_mode)) throw new ConflictError(`the order was fulfilled by hand or on the store; it cannot be ${what}`);
}

/** Records that a store order was placed to AliExpress: one AliExpress order per supplier. */
export async function placeStoreOrder(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  aliOrders: { aliOrderId: string; supplier: string }[],
  now = new Date(),
): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    refuseIfLocked(order, 'placed again');
    for (const { aliOrderId, supplier } of aliOrders) {
      const { rows } = await tx.query(
        `insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier, updated_at) values ($1, $2, $3, $4, $5)
         on conflict (merchant_id, ali_order_id) do nothing returning id`,
        [merchantId, order.id, aliOrderId, supplier, now],
      );
      if (!rows[0]) throw new ConflictError(`AliExpress order ${aliOrderId} belongs to a store order already`);
    }
    // "Deal with the errors and you can bulk order the Failed orders again."
    if (order.placing_failed) {
      await tx.query('update store_orders set placing_failed = false, placing_error = null where id = $1', [order.id]);
      order.placing_failed = false;
    }
    await refreshState(tx, merchantId, order, 'placed', now);
  });
}

/** The store captured the customer's payment: Pending → Awaiting order ("Orders for which the payment … has been captured"). */
export async function markPaymentCaptured(db: Database, merchantId: string, storeOrderId: string, now: Date): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    if (order.paid) return;
    await tx.query('update store_orders set paid = true, updated_at = $2 where id = $1', [order.id, now]);
    order.paid = true;
    await refreshState(tx, merchantId, order, 'payment_captured', now);
  });
}

/** "Orders with errors or restrictions will be shown here." */
export async function markPlacingFailed(db: Database, merchantId: string, storeOrderId: string, reason: string, now: Date): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    refuseIfLocked(order, 'placed again');
    await tx.query('update store_orders set placing_failed = true, placing_error = $2 where id = $1', [order.id, reason]);
    order.placing_failed = true;
    await refreshState(tx, merchantId, order, 'placing_failed', now);
  });
}

/** Fulfilled by hand (before or after placing) or on the store: the order moves to Fulfilled and is locked for good. */
export async function fulfillManually(db: Database, merchantId: string, storeOrderId: string, onStore: boolean, now: Date): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    // "Orders will not be rolled back": a lock is final, so a second click has nothing to change.
    if (isLocked(order.fulfillment_mode)) throw new ConflictError(`the order is fulfilled already (${order.fulfillment_mode})`);
    const placed = await tx.query('select 1 from ali_orders where store_order_id = $1 limit 1', [order.id]);
    const mode = manualFulfillmentMode(placed.rows.length > 0, onStore);
    await tx.query('update store_orders set fulfillment_mode = $2, updated_at = $3 where id = $1', [order.id, mode, now]);
    const cause = onStore ? 'fulfilled_on_store' : 'fulfilled_manually';
    await audit(tx, { merchantId, storeOrderId: order.id, field: 'fulfillment_mode', from: order.fulfillment_mode, to: mode, cause, at: now });
    order.fulfillment_mode = mode;
    await refreshState(tx, merchantId, order, cause, now);
  });
}

/** A tracking status set by hand, for reference; null (Re-track) returns the order to automatic sync. */
async function writeManualTrackingStatus(
  db: Database,
  merchantId: string,
  storeOrderId: string,
  status: TrackingStatus | null,
  now: Date,
): Promise<OrderView> {
  return changeStoreOrder(db, merchantId, storeOrderId, now, async (tx, order) => {
    const retrack = status === null;
    await tx.query(
      `update store_orders set manual_tracking_status = $2, updated_at = $3,
              retrack_requested_at = case when $4::boolean then $3 else retrack_requested_at end
        where id = $1`,
      [order.id, status, now, retrack],
    );
    if (order.manual_tracking_status !== status) {
      const cause = retrack ? 'retrack' : 'set_by_hand';
      await audit(tx, { merchantId, storeOrderId: order.id, field: 'tracking_status', from: order.manual_tracking_status, to: status, cause, at: now });
    }
  });
}

export const setManualTrackingStatus = (db: Database, merchantId: string, storeOrderId: string, status: TrackingStatus, now: Date) =>
  writeManualTrackingStatus(db, merchantId, storeOrderId, status, now);

/** "Re-track … pulls live carrier data and resumes automatic syncing": the watchlist asks for fresh events. */
export const retrack = (db: Database, merchantId: string, storeOrderId: string, now: Date) =>
  writeManualTrackingStatus(db, merchantId, storeOrderId, null, now);

interface AliRow {
  store_order_id: string;
  pk: string;
  ali_order_id: string;
  supplier: string | null;
  status: AliOrderStatus;
  paid_at: Date | null;
  last_seen_at: Date | null;
}
interface PackageRow {
  ali_order_pk: string;
  tracking_number: string;
  carrier: string | null;
  tracking_status: TrackingStatus;
  last_event_at: Date | null;
  first_event_at: Date | null;
  first_seen_at: Date | null;
  read_at: Date | null;
}

async function loadAliOrders(db: Queryable, storeOrderIds: string[]): Promise<{ ali: AliRow[]; packages: PackageRow[] }> {
  if (storeOrderIds.length === 0) return { ali: [], packages: [] };
  const ali = (
    await db.query<AliRow>(
      `select store_order_id::text as store_order_id, id::text as pk, ali_order_id, supplier, status, paid_at, last_seen_at
         from ali_orders where store_order_id = any($1::bigint[]) order by id`,
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

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

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

async function viewOf(db: Queryable, merchantId: string, storeOrderId: string, now: Date): Promise<OrderView> {
  const [view] = await viewsOf(db, [await storeOrder(db, merchantId, storeOrderId)], now);
  return view!;
}

/** One store order with its audit trail. */
export async function getStoreOrder(db: Queryable, merchantId: string, storeOrderId: string, now: Date): Promise<StoreOrderDetail> {
  const order = await viewOf(db, merchantId, storeOrderId, now);
  const { rows } = await db.query<{ field: AuditField; from_state: string | null; to_state: string | null; cause: string; at: Date }>(
    'select field, from_state, to_state, cause, at from state_changes where store_order_id = $1 order by id',
    [order.id],
  );
  const history = rows.map((r) => ({ field: r.field, from: r.from_state, to: r.to_state, cause: r.cause, at: iso(r.at)! }));
  return { ...order, history };
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
  // Flags come from unlocked, placed orders only (see orderFlags); the rest need not be scanned.
  if (options.flag) where.push(`s.fulfillment_mode = 'auto' and exists (select 1 from ali_orders a where a.store_order_id = s.id)`);
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
      where a.merchant_id = $1 and s.fulfillment_mode = 'auto' and a.status <> 'closed'
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

/**
 * A sync reads everything it needs under its locks, works out in memory what the reads change (the
 * same rules, applied read by read in capture order), then writes the outcome set-based: one
 * statement per table, whatever the batch size. Per-row statements made a 1,000-order sync ~2,600
 * round trips.
 */
interface SyncRead {
  order: AliOrder;
  capturedAt: string;
  captured: Date;
}

/** A package as the database holds it, then as the reads so far leave it. */
interface KnownPackage {
  tracking_status: TrackingStatus;
  last_event_at: Date | null;
  read_at: Date | null;
}

/** An AliExpress order of a locked store order, then as the reads so far leave it. */
interface KnownAli {
  pk: string;
  ali_order_id: string;
  store_order_id: string;
  status: AliOrderStatus;
  last_seen_at: Date | null;
  /** By tracking number. */
  packages: Map<string, KnownPackage>;
  /** Set once a read passes the staleness guard: what the update writes (nulls keep the stored value). */
  write?: {
    statusText: string | null;
    orderedAt: string | null;
    paidAt: string | null;
    totalAmount: string | null;
    totalCurrency: string | null;
  };
}

/** The row one upsert writes for a package, folded over every read of it that passed its guard. */
interface PackageWrite {
  aliPk: string;
  trackingNumber: string;
  /** Null keeps the stored carrier. */
  carrier: string | null;
  trackingStatus: TrackingStatus;
  events: Package['events'];
  lastEventAt: Date | null;
  /** Earliest of the reads (the upsert also keeps an earlier stored one). */
  firstEventAt: Date | null;
  firstSeenAt: Date;
  readAt: Date;
}

/**
 * Applies one read to the in-memory state and records what to write; answers whether anything it
 * knew changed. The rules the per-row writes had, unchanged.
 */
function foldRead(ali: KnownAli, read: AliOrder, captured: Date, packageWrites: Map<string, PackageWrite>): boolean {
  let changed = false;
  // A snapshot older than what was applied already (an outbox retry) must not roll the status back.
  if (!ali.last_seen_at || captured >= ali.last_seen_at) {
    const status = read.status === 'unknown' ? ali.status : read.status;
    changed = status !== ali.status;
    // Fields a page does not show keep what an earlier read (or the database) had.
    const w = ali.write;
    ali.write = {
      statusText: read.statusText ?? w?.statusText ?? null,
      orderedAt: read.orderedAt ?? w?.orderedAt ?? null,
      paidAt: paidInstant(read.paidAt) ?? w?.paidAt ?? null,
      totalAmount: read.total ? String(read.total.amount) : (w?.totalAmount ?? null),
      totalCurrency: read.total?.currency ?? w?.totalCurrency ?? null,
    };
    ali.status = status;
    ali.last_seen_at = captured;
  }
  // Packages are only ever added or refreshed: a page that shows none says nothing about them.
  for (const pkg of read.packages) {
    const times = pkg.events.map((e) => Date.parse(e.at));
    const lastEventAt = times.length ? new Date(Math.max(...times)) : null;
    const firstEventAt = times.length ? new Date(Math.min(...times)) : null;
    const before = ali.packages.get(pkg.trackingNumber);
    if (before?.read_at && before.read_at > captured) continue;
    if (!before || before.tracking_status !== pkg.trackingStatus || iso(before.last_event_at) !== iso(lastEventAt)) changed = true;
    ali.packages.set(pkg.trackingNumber, { tracking_status: pkg.trackingStatus, last_event_at: lastEventAt, read_at: captured });
    const key = `${ali.pk}/${pkg.trackingNumber}`;
    const w = packageWrites.get(key);
    // Map order is first-write order, so new packages get their ids in the order they were read.
    packageWrites.set(key, {
      aliPk: ali.pk,
      trackingNumber: pkg.trackingNumber,
      carrier: pkg.carrier ?? w?.carrier ?? null,
      trackingStatus: pkg.trackingStatus,
      events: pkg.events,
      lastEventAt,
      firstEventAt: !w?.firstEventAt || (firstEventAt && firstEventAt < w.firstEventAt) ? firstEventAt : w.firstEventAt,
      firstSeenAt: w?.firstSeenAt ?? captured,
      readAt: captured,
    });
  }
  return changed;
}

const UNIQUE_VIOLATION = '23505';

/** The body's fingerprint: a key replayed with another body is a client bug, not a retry. */
function requestHash(request: SyncRequest): string {
  return createHash('sha256').update(JSON.stringify(request.snapshots)).digest('hex');
}

/** Who a sync is for: a merchant already known, or the hash of the bearer token the request came with. */
export type SyncCaller = { merchantId: string } | { tokenHash: string };

/** A sync's outcome: whose it was, and its answer as the JSON text that was recorded (and is sent). */
export interface SyncOutcome {
  merchant: Merchant;
  response: SyncResponse;
  /** `response` as JSON. */
  json: string;
}

/** Applies a push from the extension, once per idempotency key. */
export async function applySync(db: Database, merchantId: string, request: SyncRequest, now: Date): Promise<SyncResponse> {
  const outcome = await syncAs(db, { merchantId }, request, now);
  if (!outcome) throw new NotFoundError(`no merchant ${merchantId}`);
  return outcome.response;
}

/**
 * Applies a push from the extension, once per idempotency key, for the merchant `caller` names;
 * undefined when no merchant has that token (nothing is written). Checking the token, looking up
 * the key and locking the store orders share the transaction's first statement: round trips were
 * most of what a small sync cost the server and the database.
 */
export async function syncAs(db: Database, caller: SyncCaller, request: SyncRequest, now: Date): Promise<SyncOutcome | undefined> {
  const hash = requestHash(request);
  const reads = syncReads(request);
  const ids = [...new Set(reads.map((r) => r.order.aliOrderId))];
  let merchant: Merchant | undefined;
  try {
    return await db.transaction(async (tx): Promise<SyncOutcome | undefined> => {
      const locked = await lockSync(tx, caller, request.idempotencyKey, ids);
      if (!locked) return undefined;
      merchant = locked.merchant;
      if (locked.previous) return replayed(merchant, locked.previous, hash);
      const plan = await planSync(tx, merchant.id, reads, locked.stores);
      const response: SyncResponse = { results: plan.results, syncedAt: now.toISOString() };
      const json = JSON.stringify(response);
      writeSync(tx, merchant.id, plan, { key: request.idempotencyKey, hash, json }, now);
      return { merchant, response, json };
    });
  } catch (error) {
    // The same key arrived twice at once: the other request won, answer what it answered.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION && merchant) {
      const { rows } = await db.query<{ response: SyncResponse; request_hash: string | null }>(
        'select response, request_hash from sync_requests where merchant_id = $1 and idempotency_key = $2',
        [merchant.id, request.idempotencyKey],
      );
      if (rows[0]) return replayed(merchant, rows[0], hash);
    }
    throw error;
  }
}

/** The answer recorded under a key, unless the key came with another body this time. */
function replayed(merchant: Merchant, previous: { response: SyncResponse; request_hash: string | null }, hash: string): SyncOutcome {
  if (previous.request_hash !== null && previous.request_hash !== hash) {
    throw new ConflictError('this idempotency key was used for a different request');
  }
  return { merchant, response: previous.response, json: JSON.stringify(previous.response) };
}

/** The reads of the snapshots that carry orders, in request order. */
function syncReads(request: SyncRequest): SyncRead[] {
  return request.snapshots
    .filter((s) => carriesOrders(s.kind))
    .flatMap((s) => s.orders.map((order) => ({ order, capturedAt: s.capturedAt, captured: new Date(s.capturedAt) })));
}

/**
 * The merchant, the answer already recorded under the key if there is one, and otherwise every
 * store order the reads touch, locked at once in id order (the lock is taken row by row above the
 * sort), so two syncs touching the same orders cannot deadlock. An AliExpress order never changes
 * store order, so finding them through the subquery before the lock is safe. A replay locks nothing.
 */
function lockSyncSql(merchantBy: 'token_hash' | 'id'): string {
  return prepared(`with m as (
       select id, name, timezone, token_hash from merchants where ${merchantBy === 'id' ? 'id = $1::bigint' : 'token_hash = $1'}
     ), prev as (
       select response, request_hash from sync_requests where merchant_id = (select id from m) and idempotency_key = $2
     ), s as (
       select id as n, ${STORE_ORDER_COLUMNS} from store_orders
        where merchant_id = (select id from m) and not exists (select 1 from prev)
          and id in (select store_order_id from ali_orders where merchant_id = (select id from m) and ali_order_id = any($3::text[]))
        order by id for update
     )
     select m.id::text as merchant_id, m.name as merchant_name, m.timezone as merchant_timezone, m.token_hash,
            prev.response as previous_response, prev.request_hash as previous_hash,
            s.id, s.store_order_number, s.paid, s.fulfillment_mode, s.placing_failed, s.placing_error, s.state,
            s.manual_tracking_status, s.retrack_requested_at
       from m left join prev on true left join s on true
      order by s.n`);
}

const LOCK_SYNC_BY_TOKEN = lockSyncSql('token_hash');
const LOCK_SYNC_BY_ID = lockSyncSql('id');

type LockRow = { [K in keyof StoreOrderRow]: StoreOrderRow[K] | null } & {
  merchant_id: string;
  merchant_name: string;
  merchant_timezone: string;
  token_hash: string;
  previous_response: SyncResponse | null;
  previous_hash: string | null;
};

async function lockSync(
  tx: Queryable,
  caller: SyncCaller,
  idempotencyKey: string,
  aliOrderIds: string[],
): Promise<{ merchant: Merchant; previous?: { response: SyncResponse; request_hash: string | null }; stores: Map<string, StoreOrderRow> } | undefined> {
  const byToken = 'tokenHash' in caller;
  const { rows } = await tx.query<LockRow>(byToken ? LOCK_SYNC_BY_TOKEN : LOCK_SYNC_BY_ID, [
    byToken ? caller.tokenHash : caller.merchantId,
    idempotencyKey,
    aliOrderIds,
  ]);
  const first = rows[0];
  if (!first || (byToken && !sameHash(first.token_hash, caller.tokenHash))) return undefined;
  const merchant: Merchant = { id: first.merchant_id, name: first.merchant_name, timezone: first.merchant_timezone };
  if (first.previous_response !== null) return { merchant, previous: { response: first.previous_response, request_hash: first.previous_hash }, stores: new Map() };
  const stores = new Map<string, StoreOrderRow>();
  for (const r of rows) {
    if (r.id === null) continue;
    stores.set(r.id, {
      id: r.id,
      store_order_number: r.store_order_number!,
      paid: r.paid!,
      fulfillment_mode: r.fulfillment_mode!,
      placing_failed: r.placing_failed!,
      placing_error: r.placing_error,
      state: r.state!,
      manual_tracking_status: r.manual_tracking_status,
      retrack_requested_at: r.retrack_requested_at,
    });
  }
  return { merchant, stores };
}

/** What a sync writes and answers, worked out under the store-order locks. */
interface SyncPlan {
  results: SyncResult[];
  aliWrites: KnownAli[];
  packageWrites: PackageWrite[];
  /** Store orders whose state moved, in id order, with the state they had. */
  moved: { store: StoreOrderRow; from: DsersState }[];
}

/** Reads the AliExpress orders of the locked store orders and works out the sync in memory. */
async function planSync(tx: Queryable, merchantId: string, reads: SyncRead[], stores: Map<string, StoreOrderRow>): Promise<SyncPlan> {
  // Read under the locks (every writer of an AliExpress order holds its store order's lock): every
  // AliExpress order of those store orders, with its packages, one row per package. Orders the
  // request does not name are there for the store orders' states.
  const rows = stores.size
    ? (
        await tx.query<Omit<KnownAli, 'packages' | 'write'> & { tracking_number: string | null } & Partial<KnownPackage>>(
          prepared(`select a.id::text as pk, a.ali_order_id, a.store_order_id::text as store_order_id, a.status, a.last_seen_at,
                  p.tracking_number, p.tracking_status, p.last_event_at, p.read_at
             from ali_orders a left join packages p on p.ali_order_pk = a.id
            where a.merchant_id = $1 and a.store_order_id = any($2::bigint[])
            order by a.id, p.id`),
          [merchantId, [...stores.keys()]],
        )
      ).rows
    : [];
  const known = new Map<string, KnownAli>();
  for (const r of rows) {
    let ali = known.get(r.ali_order_id);
    if (!ali) {
      ali = { pk: r.pk, ali_order_id: r.ali_order_id, store_order_id: r.store_order_id, status: r.status, last_seen_at: r.last_seen_at, packages: new Map() };
      known.set(r.ali_order_id, ali);
    }
    if (r.tracking_number !== null) {
      ali.packages.set(r.tracking_number, { tracking_status: r.tracking_status!, last_event_at: r.last_event_at ?? null, read_at: r.read_at ?? null });
    }
  }

  // Oldest capture first, so that the newest read of an order is the one that stays.
  const order = reads.map((_, i) => i).sort((a, b) => reads[a]!.captured.getTime() - reads[b]!.captured.getTime() || a - b);
  const changed: boolean[] = [];
  const packageWrites = new Map<string, PackageWrite>();
  for (const i of order) {
    const { order: read, captured } = reads[i]!;
    const ali = known.get(read.aliOrderId);
    const store = ali && stores.get(ali.store_order_id);
    if (!ali || !store || isLocked(store.fulfillment_mode)) continue;
    changed[i] = foldRead(ali, read, captured, packageWrites);
  }

  // Every open store order's state from all its AliExpress orders as they now are; in id order.
  const aliByStore = groupBy([...known.values()], (a) => a.store_order_id);
  const stateBefore = new Map([...stores.values()].map((s) => [s.id, s.state]));
  const moved: SyncPlan['moved'] = [];
  for (const store of stores.values()) {
    if (isLocked(store.fulfillment_mode)) continue;
    const state = deriveStoreOrderState({
      paid: store.paid,
      fulfillmentMode: store.fulfillment_mode,
      placingFailed: store.placing_failed,
      aliOrders: (aliByStore.get(store.id) ?? []).map((a) => ({ status: a.status, trackingNumbers: [...a.packages.keys()] })),
    });
    if (state !== store.state) {
      moved.push({ store, from: store.state });
      store.state = state;
    }
  }
  const results = reads.map(({ order: read }, i): SyncResult => {
    const ali = known.get(read.aliOrderId);
    const store = ali && stores.get(ali.store_order_id);
    if (!ali || !store) return { outcome: 'ignored', aliOrderId: read.aliOrderId, reason: 'unknown_order' };
    if (isLocked(store.fulfillment_mode)) return { outcome: 'ignored', aliOrderId: read.aliOrderId, reason: 'locked' };
    return {
      outcome: 'applied',
      aliOrderId: read.aliOrderId,
      storeOrderId: store.id,
      storeOrderNumber: store.store_order_number,
      state: store.state,
      changed: Boolean(changed[i]) || stateBefore.get(store.id) !== store.state,
    };
  });
  return { results, aliWrites: [...known.values()].filter((a) => a.write), packageWrites: [...packageWrites.values()], moved };
}

/**
 * Writes a planned sync and records its answer under its idempotency key, in one statement sent
 * with the commit: every round trip costs the server and the database more than the rows themselves. The parts touch
 * different tables and none reads another's result, so they can share one snapshot; an empty
 * array writes nothing. A key that another request recorded meanwhile fails the whole statement
 * with a unique violation, and nothing is written.
 */
function writeSync(
  tx: Transaction,
  merchantId: string,
  plan: SyncPlan,
  record: { key: string; hash: string; json: string },
  now: Date,
): void {
  // Rows go as JSON documents, one per table: node-postgres escapes array parameters element by
  // element in JavaScript, which cost more than JSON.stringify by an order of magnitude.
  const ali = plan.aliWrites.map((w) => ({
    id: w.pk,
    status: w.status,
    status_text: w.write!.statusText,
    ordered_at: w.write!.orderedAt,
    paid_at: w.write!.paidAt,
    total_amount: w.write!.totalAmount,
    total_currency: w.write!.totalCurrency,
    last_seen_at: w.last_seen_at,
  }));
  const packages = plan.packageWrites.map((w, n) => ({
    ali_order_pk: w.aliPk,
    tracking_number: w.trackingNumber,
    carrier: w.carrier,
    tracking_status: w.trackingStatus,
    events: w.events,
    last_event_at: w.lastEventAt,
    first_event_at: w.firstEventAt,
    first_seen_at: w.firstSeenAt,
    read_at: w.readAt,
    n,
  }));
  const moved = plan.moved.map((w, n) => ({ id: w.store.id, from_state: w.from, to_state: w.store.state, n }));
  tx.beforeCommit(
    prepared(`with ali as (
       update ali_orders a
          set status = v.status, status_text = coalesce(v.status_text, a.status_text), ordered_at = coalesce(v.ordered_at, a.ordered_at),
              paid_at = coalesce(v.paid_at, a.paid_at), total_amount = coalesce(v.total_amount, a.total_amount),
              total_currency = coalesce(v.total_currency, a.total_currency), last_seen_at = v.last_seen_at, updated_at = $1::timestamptz
         from json_to_recordset($3::json) as v(id bigint, status text, status_text text, ordered_at text, paid_at timestamptz,
                                                total_amount numeric, total_currency text, last_seen_at timestamptz)
        -- The ids again as an array, which the planner finds through the primary key: joined with
        -- the rows alone it read the whole table whenever that looked cheaper than 100 look-ups.
        where a.id = v.id and a.id = any($9::bigint[])
     ), pkg as (
       insert into packages (ali_order_pk, tracking_number, carrier, tracking_status, events, last_event_at, first_event_at,
                             first_seen_at, read_at, updated_at)
       select v.ali_order_pk, v.tracking_number, v.carrier, v.tracking_status, v.events, v.last_event_at, v.first_event_at,
              v.first_seen_at, v.read_at, $1::timestamptz
         from json_to_recordset($4::json) as v(ali_order_pk bigint, tracking_number text, carrier text, tracking_status text, events jsonb,
                                                last_event_at timestamptz, first_event_at timestamptz, first_seen_at timestamptz,
                                                read_at timestamptz, n int)
        -- New packages take their ids in the order they were read.
        order by v.n
       on conflict (ali_order_pk, tracking_number) do update
         set carrier = coalesce(excluded.carrier, packages.carrier), tracking_status = excluded.tracking_status,
             events = excluded.events, last_event_at = excluded.last_event_at,
             first_event_at = least(packages.first_event_at, excluded.first_event_at),
             first_seen_at = least(packages.first_seen_at, excluded.first_seen_at),
             read_at = excluded.read_at, updated_at = excluded.updated_at
     ), moved as (
       select * from json_to_recordset($5::json) as v(id bigint, from_state text, to_state text, n int)
     ), state as (
       update store_orders s set state = moved.to_state, updated_at = $1::timestamptz from moved
        where s.id = moved.id and s.id = any($10::bigint[])
     ), audit as (
       -- Every state change leaves its audit row, in store order id order.
       insert into state_changes (merchant_id, store_order_id, field, from_state, to_state, cause, at)
       select $2::bigint, moved.id, 'state', moved.from_state, moved.to_state, 'sync', $1::timestamptz from moved order by moved.n
     )
     insert into sync_requests (merchant_id, idempotency_key, response, request_hash, created_at) values ($2::bigint, $6, $7, $8, $1::timestamptz)`),
    [
      now,
      merchantId,
      JSON.stringify(ali),
      JSON.stringify(packages),
      JSON.stringify(moved),
      record.key,
      record.json,
      record.hash,
      ali.map((w) => w.id),
      moved.map((w) => w.id),
    ],
  );
}
