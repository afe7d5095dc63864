import { carriesOrders } from '../../domain/page-kinds';
import type { OutboxEntry, QueuedEntry, SeenRead } from '../records';
import { idList } from '../id-list';
import type { CacheMigration } from './types';
import type { RowUpToV4 } from './v4';

/**
 * A read writes only the orders it changed. When each order was last seen moves to a log of reads
 * (`seen`), and which entries queue it to one index record (see CachedAliOrder).
 */
export const v5: CacheMigration = {
  version: 5,
  stores: { aliOrders: 'aliOrderId', seen: '++id' },
  async upgrade(tx) {
    const byTime = new Map<string, string[]>();
    await tx
      .table('aliOrders')
      .toCollection()
      .modify((row: RowUpToV4) => {
        if (row.seenAt) {
          const ids = byTime.get(row.seenAt);
          if (ids) ids.push(row.aliOrderId);
          else byTime.set(row.seenAt, [row.aliOrderId]);
        }
        delete row.seenAt;
        delete row.queued;
      });
    const reads = [...byTime].sort(([a], [b]) => a.localeCompare(b)).map(([at, ids]): SeenRead => ({ at, ...idList(ids) }));
    await tx.table('seen').bulkAdd(reads);
    const queued: QueuedEntry[] = [];
    await tx
      .table('outbox')
      .orderBy('id')
      .each((entry: OutboxEntry) => {
        const kind = entry.snapshot.kind;
        if (carriesOrders(kind)) queued.push({ id: entry.id!, kind, capturedAt: entry.snapshot.capturedAt, ...idList(entry.snapshot.orders.map((o) => o.aliOrderId)) });
      });
    if (queued.length > 0) await tx.table('meta').put({ key: 'queuedOrders', value: queued });
  },
};
