import type { OutboxEntry } from '../records';
import type { CacheMigration } from './types';

/** The outbox indexed by the orders it carries (latest-wins coalescing looked them up; until v4). */
export const v3: CacheMigration = {
  version: 3,
  stores: { outbox: '++id, createdAt, *aliOrderIds' },
  upgrade: (tx) =>
    tx
      .table('outbox')
      .toCollection()
      .modify((entry: OutboxEntry & { aliOrderIds?: string[] }) => {
        entry.aliOrderIds = entry.snapshot.orders.map((o) => o.aliOrderId);
      }),
};
