import { browser } from 'wxt/browser';
import { readMeta, type CacheDb, type CachedAliOrder, type CachedStoreOrder } from '@/lib/cache/db';
import type { Message } from '@/lib/domain/messages';
import { DSERS_STATE_LABELS } from '@/lib/domain/store-order';
import { ALI_STATUS_LABELS } from '@/lib/domain/labels';
import { formatAge } from '@/lib/domain/time';
import { useLiveQuery } from './use-live-query';

function StoreOrderRow({ order }: { order: CachedStoreOrder }) {
  return (
    <li class="order" data-store-order={order.storeOrderNumber}>
      <div class="order-head">
        <span class="order-number">{order.storeOrderNumber}</span>
        <span class={`chip state-${order.state}`}>{DSERS_STATE_LABELS[order.state]}</span>
      </div>
      {order.aliOrders.map((ali) => (
        <div class="ali-order" key={ali.aliOrderId}>
          <span class="ali-id">{ali.aliOrderId}</span>
          {ali.supplier && <span class="supplier">{ali.supplier}</span>}
          <span class="ali-status">{ALI_STATUS_LABELS[ali.status]}</span>
          {ali.packages.map((p) => (
            <span class="tracking" key={p.trackingNumber}>
              {p.trackingNumber}
              {p.carrier ? ` · ${p.carrier}` : ''}
            </span>
          ))}
        </div>
      ))}
    </li>
  );
}

function CapturedRow({ entry }: { entry: CachedAliOrder }) {
  return (
    <li class="order" data-ali-order={entry.aliOrderId}>
      <div class="order-head">
        <span class="ali-id">{entry.aliOrderId}</span>
        <span class="chip state-unlinked">Not linked</span>
      </div>
      <div class="ali-order">
        {entry.order.storeName && <span class="supplier">{entry.order.storeName}</span>}
        <span class="ali-status">{ALI_STATUS_LABELS[entry.order.status]}</span>
      </div>
    </li>
  );
}

const refresh = () => void browser.runtime.sendMessage({ type: 'sync-now' } satisfies Message);

export function Popup({ cache, now = () => new Date() }: { cache: CacheDb; now?: () => Date }) {
  const storeOrders = useLiveQuery(() => cache.storeOrders.orderBy('id').reverse().toArray(), []);
  const unsynced = useLiveQuery(async () => {
    const known = new Set((await cache.storeOrders.toArray()).flatMap((o) => o.aliOrderIds));
    return (await cache.aliOrders.orderBy('seenAt').reverse().toArray()).filter((a) => !known.has(a.aliOrderId));
  }, []);
  const status = useLiveQuery(() => readMeta(cache, 'syncStatus'), []);
  const queued = useLiveQuery(() => cache.outbox.count(), []);

  return (
    <main class="popup">
      <header>
        <h1>Ali Order Sync</h1>
        <button type="button" onClick={refresh}>
          Refresh
        </button>
      </header>
      <p class="sync-status" data-testid="sync-status">
        {status?.lastSyncAt ? `Last sync ${formatAge(status.lastSyncAt, now())}` : 'Not synced yet'}
        {queued ? ` · ${queued} waiting to send` : ''}
      </p>
      {status?.lastError && (!status.lastSyncAt || (status.lastErrorAt ?? '') > status.lastSyncAt) && (
        <p class="banner error" role="alert">
          {status.lastError}
        </p>
      )}
      {storeOrders && unsynced && storeOrders.length === 0 && unsynced.length === 0 && (
        <p class="empty">No orders yet. Open your AliExpress orders page and they appear here.</p>
      )}
      <ul class="orders">
        {storeOrders?.map((order) => <StoreOrderRow key={order.id} order={order} />)}
      </ul>
      {unsynced && unsynced.length > 0 && (
        <section aria-labelledby="unlinked-title">
          <h2 id="unlinked-title">AliExpress orders not linked to a store order</h2>
          <ul class="orders">
            {unsynced.map((entry) => (
              <CapturedRow key={entry.aliOrderId} entry={entry} />
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
