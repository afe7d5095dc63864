/**
 * Live updates for the dashboard: each open event stream asks the database every few seconds
 * for the newest change of the merchant's orders (a sync received, an order changed) and tells
 * the page when it moved. Asking the database, not listening in this process, means a sync
 * handled by any backend process on the same PostgreSQL reaches every dashboard.
 */
import type { Queryable } from '../db';

export const POLL_MS = 2000;
export const MAX_STREAMS_PER_MERCHANT = 10;

/** A mark that changes whenever the merchant's orders do: two index-only maxima. */
export async function changeMark(db: Queryable, merchantId: string): Promise<string> {
  const { rows } = await db.query<{ orders: Date | null; syncs: Date | null; unlinked: Date | null }>(
    `select (select max(updated_at) from store_orders where merchant_id = $1) as orders,
            (select max(created_at) from sync_requests where merchant_id = $1) as syncs,
            (select max(last_seen_at) from unlinked_ali_orders where merchant_id = $1) as unlinked`,
    [merchantId],
  );
  const r = rows[0];
  return [r?.orders, r?.syncs, r?.unlinked].map((d) => d?.toISOString() ?? '-').join('|');
}

/** How many streams each merchant has open in this process, so one cannot open them without end. */
export class StreamCounter {
  private readonly open = new Map<string, number>();
  tryOpen(merchantId: string): boolean {
    const n = this.open.get(merchantId) ?? 0;
    if (n >= MAX_STREAMS_PER_MERCHANT) return false;
    this.open.set(merchantId, n + 1);
    return true;
  }
  close(merchantId: string): void {
    const n = (this.open.get(merchantId) ?? 1) - 1;
    if (n <= 0) this.open.delete(merchantId);
    else this.open.set(merchantId, n);
  }
}
