import { carriesOrders, type OrderPageKind } from '../../domain/page-kinds';
import type { CachedAliOrder, OutboxEntry } from '../records';
import type { CacheMigration } from './types';

/** A cached order's row as versions 1-4 kept it. */
export type RowUpToV4 = CachedAliOrder & { seenAt?: string; queued?: Partial<Record<OrderPageKind, number[]>> };

/**
 * Writes cost what they index. The outbox's multi-entry index (1,000 keys for a page of 1,000
 * orders, and a 1,000-key anyOf to coalesce) made a read cost ~12 times writing its orders; the
 * orders' rows pointed at the entries that queue them instead (until v5). The store orders are only
 * ever listed by number; state and AliExpress ids are filtered in memory.
 */
export const v4: CacheMigration = {
  version: 4,
  stores: { outbox: '++id, createdAt', storeOrders: 'id, storeOrderNumber' },
  async upgrade(tx) {
    const queued = new Map<string, Partial<Record<OrderPageKind, number[]>>>();
    await tx
      .table('outbox')
      .orderBy('id')
      .modify((entry: OutboxEntry & { aliOrderIds?: string[] }) => {
        delete entry.aliOrderIds;
        const kind = entry.snapshot.kind;
        if (!carriesOrders(kind)) return;
        for (const { aliOrderId } of entry.snapshot.orders) {
          const byKind = queued.get(aliOrderId) ?? {};
          (byKind[kind] ??= []).push(entry.id!);
          queued.set(aliOrderId, byKind);
        }
      });
    if (queued.size === 0) return;
    const rows: (RowUpToV4 | undefined)[] = await tx.table('aliOrders').bulkGet([...queued.keys()]);
    await tx.table('aliOrders').bulkPut(rows.filter((row) => row !== undefined).map((row) => ({ ...row, queued: queued.get(row.aliOrderId) })));
  },
};
