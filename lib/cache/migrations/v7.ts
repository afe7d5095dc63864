import type { AliExpressOrigin, OutboxEntry } from '../records';
import { originAfterRead } from '../site';
import { recordUnread } from '../unread';
import type { CacheMigration } from './types';

/**
 * - `unread`: the status texts and codes the readers could not read, for the page report (unread.ts).
 *   The reads still in the outbox are collected at once, oldest first.
 * - `aliexpressOrigin` (meta): the merchant's site, from the newest read still in the outbox; the
 *   next read on a site says it otherwise.
 */
export const v7: CacheMigration = {
  version: 7,
  stores: { unread: 'key, lastAt' },
  async upgrade(tx) {
    const entries = await tx.table<OutboxEntry, number>('outbox').orderBy('id').toArray();
    const snapshots = entries.map((e) => e.snapshot).sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
    let origin: AliExpressOrigin | undefined;
    for (const snapshot of snapshots) {
      await recordUnread(tx.table('unread'), snapshot);
      origin = originAfterRead(origin, snapshot) ?? origin;
    }
    if (origin) await tx.table('meta').put({ key: 'aliexpressOrigin', value: origin });
  },
};
