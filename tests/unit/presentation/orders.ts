/** Store orders for the tests, relative to a fixed now. */
import type { CachedStoreOrder } from '../../../lib/cache/db';
import type { OrderView } from '../../../lib/domain/api';

export const NOW = new Date('2026-07-20T12:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

type Ali = OrderView['aliOrders'][number];
type Pkg = Ali['packages'][number];

export const pkg = (over: Partial<Pkg> = {}): Pkg => ({
  trackingNumber: 'LP001',
  carrier: 'Cainiao',
  trackingStatus: 'in_transit',
  lastEventAt: ago(HOUR),
  firstEventAt: ago(2 * DAY),
  firstSeenAt: ago(2 * DAY),
  ...over,
});

export const ali = (over: Partial<Ali> = {}): Ali => ({
  aliOrderId: '8200000000000001',
  supplier: 'LIMA Store',
  status: 'shipped',
  paidAt: ago(3 * DAY),
  lastSeenAt: ago(HOUR),
  packages: [],
  ...over,
});

/** A store order as the backend describes it. */
export const orderView = (over: Partial<OrderView> = {}): OrderView => ({
  id: '1',
  storeOrderNumber: '#1001',
  state: 'fulfilled',
  flags: [],
  paid: true,
  fulfillmentMode: 'auto',
  locked: false,
  placingError: null,
  trackingStatus: null,
  manualTrackingStatus: null,
  aliOrders: [],
  ...over,
});

/** The same as the cache keeps it. */
export const order = (over: Partial<CachedStoreOrder> = {}): CachedStoreOrder => {
  const view = orderView(over);
  return { ...view, pulledAt: over.pulledAt ?? ago(0), aliOrderIds: view.aliOrders.map((a) => a.aliOrderId) };
};
