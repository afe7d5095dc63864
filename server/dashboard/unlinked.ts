/**
 * AliExpress orders the extension read that no store order links to: the sync answers them
 * `unknown_order` and folds nothing, so their latest read is kept here, for the dashboard's
 * "Not linked" tab and for placing a store order with them.
 */
import { randomUUID } from 'node:crypto';
import { orderDetailUrl } from '../../lib/aliexpress/urls';
import type { SyncRequest, SyncResult } from '../../lib/domain/api';
import type { UnlinkedAliOrder, UnlinkedResponse } from '../../lib/domain/dashboard';
import { carriesOrders, type AliOrder } from '../../lib/domain/snapshot';
import type { Database, Queryable } from '../db';
import { applySync } from '../sync/pipeline';

/** Keeps the newest read of every order a sync answered `unknown_order`; one statement, only when there are some. */
export async function rememberUnlinked(db: Queryable, merchantId: string, request: SyncRequest, results: readonly SyncResult[]): Promise<void> {
  const unknown = new Set(results.filter((r) => r.outcome === 'ignored' && r.reason === 'unknown_order').map((r) => r.aliOrderId));
  if (unknown.size === 0) return;
  const newest = new Map<string, { order: AliOrder; capturedAt: string }>();
  for (const snapshot of request.snapshots) {
    if (!carriesOrders(snapshot.kind)) continue;
    for (const order of snapshot.orders) {
      if (!unknown.has(order.aliOrderId)) continue;
      const known = newest.get(order.aliOrderId);
      if (!known || known.capturedAt < snapshot.capturedAt) newest.set(order.aliOrderId, { order, capturedAt: snapshot.capturedAt });
    }
  }
  const rows = [...newest.values()].map(({ order, capturedAt }) => ({
    ali_order_id: order.aliOrderId,
    supplier: order.storeName ?? null,
    status: order.status,
    read: order,
    last_seen_at: capturedAt,
  }));
  // An older read never replaces a newer one; a read that shows no packages (the order list) keeps those known.
  await db.query(
    `insert into unlinked_ali_orders (merchant_id, ali_order_id, supplier, status, read, last_seen_at)
     select $1, v.ali_order_id, v.supplier, v.status, v.read, v.last_seen_at
       from json_to_recordset($2::json) as v(ali_order_id text, supplier text, status text, read jsonb, last_seen_at timestamptz)
     on conflict (merchant_id, ali_order_id) do update set
       supplier = coalesce(excluded.supplier, unlinked_ali_orders.supplier),
       status = excluded.status,
       read = case when jsonb_array_length(coalesce(excluded.read->'packages', '[]'::jsonb)) = 0
                   then jsonb_set(excluded.read, '{packages}', coalesce(unlinked_ali_orders.read->'packages', '[]'::jsonb))
                   else excluded.read end,
       last_seen_at = excluded.last_seen_at
     where excluded.last_seen_at >= unlinked_ali_orders.last_seen_at`,
    [merchantId, JSON.stringify(rows)],
  );
}

/** Not linked means: no AliExpress order of any of the merchant's store orders has this id. */
const NOT_LINKED = `not exists (select 1 from ali_orders a where a.merchant_id = u.merchant_id and a.ali_order_id = u.ali_order_id)`;

export async function countUnlinked(db: Queryable, merchantId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from unlinked_ali_orders u where u.merchant_id = $1 and ${NOT_LINKED}`, [
    merchantId,
  ]);
  return rows[0]?.n ?? 0;
}

/** Newest id first; `q` matches an AliExpress order id or a tracking number exactly. */
export async function listUnlinked(
  db: Queryable,
  merchantId: string,
  options: { q?: string; cursor?: string; limit: number },
): Promise<UnlinkedResponse> {
  const { rows } = await db.query<{ ali_order_id: string; supplier: string | null; status: UnlinkedAliOrder['status']; read: AliOrder; last_seen_at: Date }>(
    `select u.ali_order_id, u.supplier, u.status, u.read, u.last_seen_at from unlinked_ali_orders u
      where u.merchant_id = $1 and ${NOT_LINKED}
        and ($2::text is null or u.ali_order_id = $2 or exists (select 1 from jsonb_array_elements(u.read->'packages') p where p->>'trackingNumber' = $2))
        and ($3::text is null or u.ali_order_id < $3)
      order by u.ali_order_id desc limit $4`,
    [merchantId, options.q ?? null, options.cursor ?? null, options.limit + 1],
  );
  const page = rows.slice(0, options.limit);
  return {
    aliOrders: page.map((r) => ({
      aliOrderId: r.ali_order_id,
      supplier: r.supplier,
      status: r.status,
      statusText: r.read.statusText ?? null,
      orderedAt: r.read.orderedAt ?? null,
      total: r.read.total ?? null,
      trackingNumbers: (r.read.packages ?? []).map((p) => p.trackingNumber),
      lastSeenAt: r.last_seen_at.toISOString(),
    })),
    nextCursor: rows.length > options.limit ? (page.at(-1)?.ali_order_id ?? null) : null,
  };
}

/**
 * Once a store order is placed with AliExpress orders the extension had already read, their last
 * reads are folded in at once (through the sync pipeline, as if the extension sent them again),
 * so the order shows what AliExpress said instead of waiting for the next sync.
 */
/** Whether there were any. */
export async function applyRememberedReads(db: Database, merchantId: string, aliOrderIds: readonly string[], now: Date): Promise<boolean> {
  const { rows } = await db.query<{ read: AliOrder; last_seen_at: Date }>(
    'select read, last_seen_at from unlinked_ali_orders where merchant_id = $1 and ali_order_id = any($2::text[])',
    [merchantId, aliOrderIds],
  );
  if (rows.length === 0) return false;
  await applySync(
    db,
    merchantId,
    {
      idempotencyKey: `placed-${randomUUID()}`,
      snapshots: rows.map((r) => ({
        kind: 'order_detail' as const,
        url: orderDetailUrl(r.read.aliOrderId),
        capturedAt: r.last_seen_at.toISOString(),
        orders: [r.read],
        warnings: [],
      })),
    },
    now,
  );
  return true;
}
