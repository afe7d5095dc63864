/**
 * The store leg's background work in one loop per backend process: push due store fulfillments,
 * deliver due outgoing webhooks, run the reconciling pass of a store that is due, and sweep for
 * store orders whose changes were never planned (a process that died between a sync and its
 * planning). Every job is claimed in the database, so any number of processes can run the loop.
 * A change in this process wakes it at once; other processes' changes are found by polling.
 */
import type { Database } from '../db';
import type { Logger } from '../log';
import type { SecretBox } from '../secrets';
import { reconcileDueStore } from '../shopify/reconcile';
import { ordersToPlan, planStoreFulfillments } from '../stores/fulfillments';
import { deliverDueWebhooks } from '../webhooks-out/deliver';
import { emitOrderEvents } from '../webhooks-out/events';
import { pushDueFulfillments, StoreClients, type PushOutcome } from './store-push';

export interface StoreLegOptions {
  db: Database;
  log: Logger;
  box: SecretBox;
  /** SHOPIFY_ADMIN_ORIGIN. */
  adminOrigin?: string;
  /** Where a customer follows a tracking number; `{number}` is replaced. */
  trackingUrlTemplate?: string;
  /** ALLOW_PRIVATE_WEBHOOK_URLS: outgoing webhooks may go to private addresses and plain http. */
  allowPrivateWebhookUrls?: boolean;
  now?: () => Date;
  pollMs?: number;
  sweepMs?: number;
}

export interface StoreLeg {
  /** Plans the store fulfillments and outgoing events of store orders that changed, then wakes the loop. */
  ordersChanged(merchantId: string, storeOrderIds: readonly string[]): Promise<void>;
  /** One round of every job kind; answers what the pushes came to. */
  runOnce(): Promise<PushOutcome & { deliveries: number; reconciled: boolean }>;
  start(): void;
  stop(): Promise<void>;
  readonly clients: StoreClients;
}

/** Cainiao's public tracking page for a number (`TRACKING_URL_TEMPLATE` replaces it). */
export const DEFAULT_TRACKING_URL = 'https://global.cainiao.com/newDetail.htm?mailNoList={number}';

export function createStoreLeg(options: StoreLegOptions): StoreLeg {
  const { db, log, box } = options;
  const now = options.now ?? (() => new Date());
  const template = options.trackingUrlTemplate ?? DEFAULT_TRACKING_URL;
  const trackingUrl = (number: string) => template.replace('{number}', encodeURIComponent(number));
  const clients = new StoreClients({ db, box, adminOrigin: options.adminOrigin });
  const pollMs = options.pollMs ?? 1000;
  const sweepMs = options.sweepMs ?? 30_000;
  const state = { running: false };
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  let lastSweep = new Date(now().getTime() - 10 * 60_000);

  const wake = () => {
    woken = true;
    wakeUp?.();
  };

  const runOnce = async () => {
    const pushed = await pushDueFulfillments({ db, log, box, adminOrigin: options.adminOrigin, trackingUrl, now }, clients);
    const deliveries = await deliverDueWebhooks({ db, log, box, now, allowPrivate: options.allowPrivateWebhookUrls ?? false });
    const reconciled = await reconcileDueStore(db, clients, now());
    return { ...pushed, deliveries, reconciled };
  };

  const sweep = async () => {
    const at = now();
    if (at.getTime() - lastSweep.getTime() < sweepMs) return;
    // A little overlap: a change committed just before the last sweep's read is not missed.
    const since = new Date(lastSweep.getTime() - 60_000);
    lastSweep = at;
    const found = await ordersToPlan(db, since);
    const byMerchant = new Map<string, string[]>();
    for (const f of found) byMerchant.set(f.merchantId, [...(byMerchant.get(f.merchantId) ?? []), f.storeOrderId]);
    for (const [merchantId, ids] of byMerchant) {
      await planStoreFulfillments(db, merchantId, ids, at);
      await emitOrderEvents(db, merchantId, ids, at);
    }
  };

  return {
    clients,
    async ordersChanged(merchantId, storeOrderIds) {
      if (storeOrderIds.length === 0) return;
      const at = now();
      const queued = (await planStoreFulfillments(db, merchantId, storeOrderIds, at)) + (await emitOrderEvents(db, merchantId, storeOrderIds, at));
      if (queued > 0) wake();
    },
    runOnce,
    start() {
      if (state.running) return;
      state.running = true;
      loop = (async () => {
        while (state.running) {
          woken = false;
          let busy = false;
          try {
            await sweep();
            const round = await runOnce();
            busy = round.sent + round.retried + round.failed + round.deliveries > 0 || round.reconciled;
          } catch (error) {
            log.error('store leg round failed', { error: String((error as Error).stack ?? error) });
          }
          if (!state.running || busy || woken) continue;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollMs);
            wakeUp = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wakeUp = undefined;
        }
      })();
    },
    async stop() {
      state.running = false;
      wakeUp?.();
      await loop;
    },
  };
}
