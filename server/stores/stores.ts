/** Connected stores: connecting (secrets sealed), listing (never a secret), disconnecting (secrets wiped). */
import type { StoreView } from '../../lib/domain/stores';
import type { Queryable } from '../db';
import { ConflictError, NotFoundError } from '../errors';
import type { SecretBox } from '../secrets';

export interface StoreRow {
  id: string;
  merchant_id: string;
  shop_domain: string;
  status: StoreView['status'];
  last_error: string | null;
  connected_at: Date;
  access_token_sealed: string | null;
  client_secret_sealed: string | null;
  reconcile_cursor: Date | null;
  webhook_callback_url: string | null;
  webhook_topics: string[] | null;
  webhook_error: string | null;
  missing_scopes: string[] | null;
}

export const STORE_COLUMNS = `id::text as id, merchant_id::text as merchant_id, shop_domain, status, last_error, connected_at,
  access_token_sealed, client_secret_sealed, reconcile_cursor, webhook_callback_url, webhook_topics, webhook_error, missing_scopes`;

export function storeView(row: StoreRow): StoreView {
  return {
    id: row.id,
    platform: 'shopify',
    shopDomain: row.shop_domain,
    connectedAt: row.connected_at.toISOString(),
    status: row.status,
    ...(row.last_error !== null && { lastError: row.last_error }),
    webhooks: {
      callbackUrl: row.webhook_callback_url,
      topics: row.webhook_topics ?? [],
      ...(row.webhook_error !== null && { error: row.webhook_error }),
    },
    missingScopes: row.missing_scopes ?? [],
  };
}

const UNIQUE_VIOLATION = '23505';

export async function connectStore(
  db: Queryable,
  box: SecretBox,
  merchantId: string,
  input: { shopDomain: string; accessToken: string; clientSecret: string },
  now: Date,
): Promise<StoreView> {
  try {
    const { rows } = await db.query<StoreRow>(
      `insert into stores (merchant_id, platform, shop_domain, access_token_sealed, client_secret_sealed, connected_at, reconcile_cursor, reconcile_due_at)
       values ($1, 'shopify', $2, $3, $4, $5, $5, $5) returning ${STORE_COLUMNS}`,
      [merchantId, input.shopDomain, box.seal(input.accessToken), box.seal(input.clientSecret), now],
    );
    return storeView(rows[0]!);
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError(`${input.shopDomain} is connected already; disconnect it first`);
    throw error;
  }
}

export async function listStores(db: Queryable, merchantId: string): Promise<StoreView[]> {
  const { rows } = await db.query<StoreRow>(
    `select ${STORE_COLUMNS} from stores where merchant_id = $1 and disconnected_at is null order by id`,
    [merchantId],
  );
  return rows.map(storeView);
}

/** The merchant's live store with that id, or not found (another merchant's store is not found either). */
export async function liveStore(db: Queryable, merchantId: string, storeId: string): Promise<StoreRow> {
  const { rows } = await db.query<StoreRow>(
    `select ${STORE_COLUMNS} from stores where id = $1 and merchant_id = $2 and disconnected_at is null`,
    [storeId, merchantId],
  );
  if (!rows[0]) throw new NotFoundError(`no store ${storeId}`);
  return rows[0];
}

/** Disconnects: the secrets are wiped, its queued fulfillments fail visibly, its orders stay. */
export async function disconnectStore(db: Queryable, merchantId: string, storeId: string, now: Date): Promise<void> {
  const { rows } = await db.query(
    `update stores set disconnected_at = $3, access_token_sealed = null, client_secret_sealed = null
      where id = $1 and merchant_id = $2 and disconnected_at is null returning id`,
    [storeId, merchantId, now],
  );
  if (!rows[0]) throw new NotFoundError(`no store ${storeId}`);
  await db.query(
    `update store_fulfillments set status = 'failed', error = 'the store was disconnected' where store_id = $1 and status = 'queued'`,
    [storeId],
  );
}

/** A store's answer that no retry will fix (token refused, app uninstalled): shown on the store. */
export async function markStore(db: Queryable, storeId: string, status: StoreView['status'], error: string | null): Promise<void> {
  await db.query('update stores set status = $2, last_error = $3 where id = $1', [storeId, status, error]);
}
