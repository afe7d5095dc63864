/** Synthetic but realistic orders for the cache and backend figures. */
import type { CachedStoreOrder } from '../lib/cache/db';
import type { OrderView } from '../lib/domain/api';
import type { AliOrder, AliOrderStatus, TrackingStatus } from '../lib/domain/snapshot';

/** A 16-digit AliExpress order id from a small number. */
export const aliId = (n: number): string => String(8_400_000_000_000_000 + n);

const STATUSES: AliOrderStatus[] = ['awaiting_payment', 'awaiting_shipment', 'shipped', 'shipped', 'shipped', 'completed', 'partially_shipped', 'dispute'];
const STATES: OrderView['state'][] = ['awaiting_shipment', 'awaiting_fulfillment', 'fulfilled', 'fulfilled', 'awaiting_payment', 'awaiting_order', 'canceled', 'failed'];
const TRACKING: TrackingStatus[] = ['pending', 'in_transit', 'in_transit', 'delivered', 'abnormal'];

/** The status an order shows in sync round `round`: rounds move orders along, as days do. */
export function statusAt(n: number, round: number): AliOrderStatus {
  return STATUSES[(n + round) % STATUSES.length]!;
}

/** An AliExpress order as the order list shows it (no packages there). */
export function listOrder(n: number, round = 0, at = Date.UTC(2026, 10, 20)): AliOrder {
  return {
    aliOrderId: aliId(n),
    status: statusAt(n, round),
    statusText: 'Awaiting delivery',
    storeName: `Supplier store ${n % 97}`,
    orderedAt: new Date(at - (n % 120) * 86_400_000).toISOString().slice(0, 10),
    total: { amount: 10 + (n % 50) + 0.99, currency: 'USD' },
    items: [{ title: `Wireless earbuds model ${n % 31} with charging case, black`, quantity: 1 + (n % 3), productId: String(1_005_000_000_000_000 + n), sku: 'Black, EU plug' }],
    packages: [],
  };
}

/** A store order as the backend describes it, with one or two AliExpress orders and their packages. */
export function storeOrderView(n: number, pulledAt = '2026-11-20T12:00:00.000Z'): CachedStoreOrder {
  const split = n % 5 === 0;
  const aliOrders = [0, ...(split ? [1] : [])].map((k) => {
    const id = aliId(n * 2 + k);
    const status = statusAt(n + k, 0);
    const shipped = status === 'shipped' || status === 'completed' || status === 'partially_shipped';
    return {
      aliOrderId: id,
      supplier: `Supplier store ${(n + k) % 97}`,
      status,
      paidAt: '2026-11-10T08:00:00.000Z',
      lastSeenAt: pulledAt,
      packages: shipped
        ? [
            {
              trackingNumber: `LP00${id}`,
              carrier: 'Cainiao',
              trackingStatus: TRACKING[n % TRACKING.length]!,
              lastEventAt: '2026-11-19T10:00:00.000Z',
              firstEventAt: '2026-11-12T10:00:00.000Z',
              firstSeenAt: '2026-11-12T11:00:00.000Z',
            },
          ]
        : [],
    };
  });
  return cachedStoreOrder(
    { id: String(100_000 + n), storeOrderNumber: `#${10_000 + n}`, state: STATES[n % STATES.length]!, flags: n % 7 === 0 ? ['attention'] : [] },
    aliOrders,
    pulledAt,
  );
}

/** A paid store order fulfilled automatically, as the worker caches it after a pull at `pulledAt`. */
export function cachedStoreOrder(
  order: Pick<CachedStoreOrder, 'id' | 'storeOrderNumber' | 'state' | 'flags'>,
  aliOrders: CachedStoreOrder['aliOrders'],
  pulledAt: string,
): CachedStoreOrder {
  return {
    ...order,
    paid: true,
    fulfillmentMode: 'auto',
    locked: false,
    placingError: null,
    trackingStatus: aliOrders[0]?.packages[0]?.trackingStatus ?? null,
    manualTrackingStatus: null,
    aliOrders,
    aliOrderIds: aliOrders.map((a) => a.aliOrderId),
    pulledAt,
  };
}
