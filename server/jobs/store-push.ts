/** The tracking leg's jobs: claimed store fulfillments pushed to their store, each outcome written under its lease. */
import type { CoveredLine } from '../../lib/domain/stores';
import type { Database } from '../db';
import type { Logger } from '../log';
import type { SecretBox } from '../secrets';
import { readSettings } from '../settings/settings';
import { shopifyClient, ShopifyError, ShopThrottle, type ShopifyClient } from '../shopify/client';
import { pushFulfillment } from '../shopify/push';
import { markStore } from '../stores/stores';
import { claim, failForGood, retryLater, type Claimed } from './outbox';

interface FulfillmentJob extends Claimed {
  merchant_id: string;
  store_id: string;
  store_order_id: string;
  ali_order_ids: string[];
  tracking_numbers: string[];
  line_items: CoveredLine[] | null;
  store_fulfillment_id: string | null;
}

export interface StorePushOptions {
  db: Database;
  log: Logger;
  box: SecretBox;
  adminOrigin?: string;
  trackingUrl: (number: string) => string;
  now: () => Date;
}

export interface PushOutcome {
  sent: number;
  retried: number;
  failed: number;
}

/** One process's Shopify clients, one per store, sharing one throttle per shop. */
export class StoreClients {
  private readonly throttles = new Map<string, ShopThrottle>();
  private readonly clients = new Map<string, { sealed: string; client: ShopifyClient }>();
  constructor(private readonly options: Pick<StorePushOptions, 'db' | 'box' | 'adminOrigin'>) {}

  throttleOf(shopDomain: string): ShopThrottle {
    let t = this.throttles.get(shopDomain);
    if (!t) this.throttles.set(shopDomain, (t = new ShopThrottle()));
    return t;
  }

  /** The store's client; undefined for a disconnected store. A reconnected store (new token) gets a new one. */
  async forStore(storeId: string): Promise<{ client: ShopifyClient; shopDomain: string } | undefined> {
    const { rows } = await this.options.db.query<{ shop_domain: string; access_token_sealed: string | null }>(
      'select shop_domain, access_token_sealed from stores where id = $1 and disconnected_at is null',
      [storeId],
    );
    const row = rows[0];
    if (!row?.access_token_sealed) return undefined;
    const cached = this.clients.get(storeId);
    if (cached?.sealed === row.access_token_sealed) return { client: cached.client, shopDomain: row.shop_domain };
    const client = shopifyClient({
      shopDomain: row.shop_domain,
      accessToken: this.options.box.open(row.access_token_sealed),
      adminOrigin: this.options.adminOrigin,
      throttle: this.throttleOf(row.shop_domain),
    });
    this.clients.set(storeId, { sealed: row.access_token_sealed, client });
    return { client, shopDomain: row.shop_domain };
  }
}

const JOB_COLUMNS = `j.merchant_id::text as merchant_id, j.store_id::text as store_id, j.store_order_id::text as store_order_id,
  j.ali_order_ids, j.tracking_numbers, j.line_items, j.store_fulfillment_id`;

/** Claims due store fulfillments and pushes them, `concurrency` at a time; answers what became of them. */
export async function pushDueFulfillments(options: StorePushOptions, clients: StoreClients, limit = 50, concurrency = 8): Promise<PushOutcome> {
  const { db, now } = options;
  const jobs = await claim<FulfillmentJob>(db, 'store_fulfillments', JOB_COLUMNS, limit, now());
  const outcome: PushOutcome = { sent: 0, retried: 0, failed: 0 };
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const result = await pushOne(options, clients, job);
      outcome[result]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return outcome;
}

async function pushOne(options: StorePushOptions, clients: StoreClients, job: FulfillmentJob): Promise<keyof PushOutcome> {
  const { db, log, now } = options;
  try {
    const store = await clients.forStore(job.store_id);
    if (!store) {
      await failForGood(db, 'store_fulfillments', job, 'the store was disconnected');
      return 'failed';
    }
    const [order, packages, settings] = await Promise.all([
      db.query<{ external_id: string | null }>('select external_id from store_orders where id = $1', [job.store_order_id]),
      db.query<{ tracking_number: string; carrier: string | null }>(
        `select p.tracking_number, p.carrier from ali_orders a join packages p on p.ali_order_pk = a.id
          where a.store_order_id = $1 and a.ali_order_id = any($2::text[])`,
        [job.store_order_id, job.ali_order_ids],
      ),
      readSettings(db, job.merchant_id),
    ]);
    const externalId = order.rows[0]?.external_id;
    if (!externalId) {
      await failForGood(db, 'store_fulfillments', job, 'the order did not come from the store');
      return 'failed';
    }
    const pushed = [...job.tracking_numbers];
    const fulfillmentId = await pushFulfillment(store.client, {
      orderId: externalId,
      trackingNumbers: pushed,
      carriers: new Map(packages.rows.map((p) => [p.tracking_number, p.carrier])),
      lineItems: job.line_items,
      storeFulfillmentId: job.store_fulfillment_id,
      notifyCustomer: settings.shippingConfirmationEmail,
      trackingUrl: options.trackingUrl,
    });
    // Numbers that changed while it was pushed leave it queued for another round.
    await db.query(
      `update store_fulfillments set status = case when tracking_numbers = $3::text[] then 'sent' else 'queued' end,
              sent_tracking_numbers = $3, store_fulfillment_id = $4, sent_at = $5, error = null, lease_until = null, attempts = 0, next_attempt_at = $5
        where id = $1 and lease_until = $2`,
      [job.id, job.lease, pushed, fulfillmentId, now()],
    );
    await db.query(`update stores set status = 'connected', last_error = null where id = $1 and status = 'failing'`, [job.store_id]);
    return 'sent';
  } catch (error) {
    const failure = error instanceof ShopifyError ? error.failure : 'transient';
    const message = (error as Error).message.slice(0, 500);
    log.error('store fulfillment failed', { fulfillment: job.id, store: job.store_id, failure, error: message });
    if (failure === 'transient') {
      await markStore(db, job.store_id, 'failing', message);
      return (await retryLater(db, 'store_fulfillments', job, message, now())) === 'failed' ? 'failed' : 'retried';
    }
    if (failure === 'revoked') await markStore(db, job.store_id, 'revoked', message);
    await failForGood(db, 'store_fulfillments', job, message);
    return 'failed';
  }
}
