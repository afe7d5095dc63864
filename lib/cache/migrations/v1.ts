import type { CacheMigration } from './types';

export const v1: CacheMigration = {
  version: 1,
  stores: {
    aliOrders: 'aliOrderId, seenAt',
    storeOrders: 'id, state, storeOrderNumber, *aliOrderIds',
    outbox: '++id, createdAt',
    meta: 'key',
  },
};
