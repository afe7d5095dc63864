/**
 * What a sync changes, worked out in memory under the store-order locks: the reads folded into the
 * AliExpress orders they name, oldest capture first, then every touched store order's state.
 */
import type { SyncResult } from '../../lib/domain/api';
import type { AliOrder } from '../../lib/domain/snapshot';
import { deriveStoreOrderState, isLocked, type DsersState } from '../../lib/domain/store-order';
import type { SplitFulfillment } from '../../lib/domain/stores';
import { prepared, type Queryable } from '../db';
import { groupBy, type StoreOrderRow } from '../rows';
import { foldRead, type KnownAli, type KnownPackage, type PackageWrite } from './fold-read';

/** One order as one snapshot read it. */
export interface SyncRead {
  order: AliOrder;
  /** The snapshot's capture time, as the sync believes it. */
  captured: Date;
  /** The AliExpress site of the order page it was read on (`https://www.aliexpress.us`); none for an API read. */
  origin?: string;
}

/** What a sync writes and answers, worked out under the store-order locks. */
export interface SyncPlan {
  results: SyncResult[];
  aliWrites: KnownAli[];
  packageWrites: PackageWrite[];
  /** Store orders whose state moved, in id order, with the state they had. */
  moved: { store: StoreOrderRow; from: DsersState }[];
}

/** Reads the AliExpress orders of the locked store orders and works out the sync in memory. */
export async function planSync(
  tx: Queryable,
  merchantId: string,
  reads: SyncRead[],
  stores: Map<string, StoreOrderRow>,
  split: SplitFulfillment = 'wait_for_all',
): Promise<SyncPlan> {
  // Read under the locks (every writer of an AliExpress order holds its store order's lock): every
  // AliExpress order of those store orders, with its packages, one row per package. Orders the
  // request does not name are there for the store orders' states.
  const rows = stores.size
    ? (
        await tx.query<Omit<KnownAli, 'packages' | 'write'> & { tracking_number: string | null; replaced: boolean } & Partial<KnownPackage>>(
          prepared(`select a.id::text as pk, a.ali_order_id, a.store_order_id::text as store_order_id, a.status, a.status_source, a.last_seen_at,
                  a.replaced_at is not null as replaced,
                  p.tracking_number, p.tracking_status, p.last_event_at, p.read_at
             from ali_orders a left join packages p on p.ali_order_pk = a.id
            where a.merchant_id = $1 and a.store_order_id = any($2::bigint[])
            order by a.id, p.id`),
          [merchantId, [...stores.keys()]],
        )
      ).rows
    : [];
  const known = new Map<string, KnownAli>();
  // Replaced by a new placing: still read (their history stays right), no longer deciding the state.
  const replaced = new Set(rows.filter((r) => r.replaced).map((r) => r.ali_order_id));
  for (const r of rows) {
    let ali = known.get(r.ali_order_id);
    if (!ali) {
      ali = { pk: r.pk, ali_order_id: r.ali_order_id, store_order_id: r.store_order_id, status: r.status, status_source: r.status_source, last_seen_at: r.last_seen_at, packages: new Map() };
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
    const { order: read, captured, origin } = reads[i]!;
    const ali = known.get(read.aliOrderId);
    const store = ali && stores.get(ali.store_order_id);
    if (!ali || !store || isLocked(store.fulfillment_mode)) continue;
    changed[i] = foldRead(ali, read, captured, packageWrites, origin);
  }

  // Every open store order's state from all its AliExpress orders as they now are; in id order.
  const aliByStore = groupBy([...known.values()].filter((a) => !replaced.has(a.ali_order_id)), (a) => a.store_order_id);
  const stateBefore = new Map([...stores.values()].map((s) => [s.id, s.state]));
  const moved: SyncPlan['moved'] = [];
  for (const store of stores.values()) {
    if (isLocked(store.fulfillment_mode)) continue;
    const state = deriveStoreOrderState({
      paid: store.paid,
      fulfillmentMode: store.fulfillment_mode,
      placingFailed: store.placing_failed,
      canceledOnStore: store.canceled_on_store,
      splitFulfillment: split,
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

