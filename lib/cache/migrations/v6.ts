import type { CachedAliOrder, SeenRead } from '../records';
import { seenLookup } from '../seen';
import type { CacheMigration } from './types';

/**
 * - Each cached package keeps when it was last read, so a late read of an older page cannot roll it
 *   back (lib/domain/ali-order-fold.ts). Packages cached before get the time their order was last
 *   seen, the best this cache knows.
 * - `parked`: outbox entries the backend refused too many times, kept aside with its reason.
 */
export const v6: CacheMigration = {
  version: 6,
  stores: { parked: '++id' },
  async upgrade(tx) {
    const seenAt = seenLookup(await tx.table<SeenRead>('seen').toArray());
    await tx
      .table('aliOrders')
      .filter((row: CachedAliOrder) => row.order.packages.length > 0)
      .modify((row: CachedAliOrder) => {
        const at = seenAt(row.aliOrderId);
        if (at) row.packageReadAt = Object.fromEntries(row.order.packages.map((p) => [p.trackingNumber, at]));
      });
  },
};
