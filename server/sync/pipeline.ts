/**
 * The sync pipeline: a push from the extension, applied once per idempotency key. A sync reads
 * everything it needs under its locks, works out in memory what the reads change (plan.ts, the
 * same rules applied read by read in capture order: fold-read.ts), then writes the outcome
 * set-based (write.ts): one statement per table, whatever the batch size. Per-row statements made
 * a 1,000-order sync ~2,600 round trips.
 */
import { createHash } from 'node:crypto';
import type { SyncRequest, SyncResponse } from '../../lib/domain/api';
import { carriesOrders } from '../../lib/domain/snapshot';
import { orderPageOriginOf } from '../../lib/aliexpress/urls';
import { DEFAULT_SETTINGS, type SplitFulfillment } from '../../lib/domain/stores';
import { sameHash, type Merchant } from '../auth';
import { prepared, type Database, type Queryable } from '../db';
import { NotFoundError, ConflictError } from '../errors';
import { STORE_ORDER_COLUMNS, type StoreOrderRow } from '../rows';
import { planSync, type SyncRead } from './plan';
import { writeSync } from './write';

const UNIQUE_VIOLATION = '23505';

/** The body's fingerprint: a key replayed with another body is a client bug, not a retry. */
function requestHash(request: SyncRequest): string {
  return createHash('sha256').update(JSON.stringify(request.snapshots)).digest('hex');
}

/** Who a sync is for: a merchant already known, or the hash of the bearer token the request came with. */
export type SyncCaller = { merchantId: string } | { tokenHash: string };

/** A sync's outcome: whose it was, and its answer as the JSON text that was recorded (and is sent). */
export interface SyncOutcome {
  merchant: Merchant;
  response: SyncResponse;
  /** `response` as JSON. */
  json: string;
}

/** Applies a push from the extension, once per idempotency key. */
export async function applySync(db: Database, merchantId: string, request: SyncRequest, now: Date): Promise<SyncResponse> {
  const outcome = await syncAs(db, { merchantId }, request, now);
  if (!outcome) throw new NotFoundError(`no merchant ${merchantId}`);
  return outcome.response;
}

/**
 * Applies a push from the extension, once per idempotency key, for the merchant `caller` names;
 * undefined when no merchant has that token (nothing is written). Checking the token, looking up
 * the key and locking the store orders share the transaction's first statement: round trips were
 * most of what a small sync cost the server and the database.
 */
export async function syncAs(db: Database, caller: SyncCaller, request: SyncRequest, now: Date): Promise<SyncOutcome | undefined> {
  const hash = requestHash(request);
  const reads = syncReads(request, now);
  const ids = [...new Set(reads.map((r) => r.order.aliOrderId))];
  let merchant: Merchant | undefined;
  try {
    return await db.transaction(async (tx): Promise<SyncOutcome | undefined> => {
      const locked = await lockSync(tx, caller, request.idempotencyKey, ids);
      if (!locked) return undefined;
      merchant = locked.merchant;
      if (locked.previous) return replayed(merchant, locked.previous, hash);
      const plan = await planSync(tx, merchant.id, reads, locked.stores, locked.split);
      const response: SyncResponse = { results: plan.results, syncedAt: now.toISOString() };
      const json = JSON.stringify(response);
      writeSync(tx, merchant.id, plan, { key: request.idempotencyKey, hash, json }, now);
      return { merchant, response, json };
    });
  } catch (error) {
    // The same key arrived twice at once: the other request won, answer what it answered.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION && merchant) {
      const { rows } = await db.query<{ response: SyncResponse; request_hash: string | null }>(
        'select response, request_hash from sync_requests where merchant_id = $1 and idempotency_key = $2',
        [merchant.id, request.idempotencyKey],
      );
      if (rows[0]) return replayed(merchant, rows[0], hash);
    }
    throw error;
  }
}

/** The answer recorded under a key, unless the key came with another body this time. */
function replayed(merchant: Merchant, previous: { response: SyncResponse; request_hash: string | null }, hash: string): SyncOutcome {
  if (previous.request_hash !== null && previous.request_hash !== hash) {
    throw new ConflictError('this idempotency key was used for a different request');
  }
  return { merchant, response: previous.response, json: JSON.stringify(previous.response) };
}

/** How far ahead of the server's clock a browser's clock may be before its capture times are not believed. */
export const CAPTURE_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The reads of the snapshots that carry orders, in request order. A capture time further ahead
 * than the allowed skew counts as captured now: the page was read (a browser with a wrong clock
 * still reads real pages, so the read is kept), but a time in the future would win over every
 * later real read and freeze the order until then.
 */
function syncReads(request: SyncRequest, now: Date): SyncRead[] {
  const latest = now.getTime() + CAPTURE_CLOCK_SKEW_MS;
  return request.snapshots
    .filter((s) => carriesOrders(s.kind))
    .flatMap((s) => {
      const at = Date.parse(s.capturedAt);
      const captured = new Date(at > latest ? now.getTime() : at);
      const origin = orderPageOriginOf(s.url);
      return s.orders.map((order) => ({ order, captured, ...(origin && { origin }) }));
    });
}

/**
 * The merchant, the answer already recorded under the key if there is one, and otherwise every
 * store order the reads touch, locked at once in id order (the lock is taken row by row above the
 * sort), so two syncs touching the same orders cannot deadlock. An AliExpress order never changes
 * store order, so finding them through the subquery before the lock is safe. A replay locks nothing.
 */
function lockSyncSql(merchantBy: 'token_hash' | 'id'): string {
  return prepared(`with m as (
       ${
         merchantBy === 'id'
           ? 'select id, name, timezone, null::text as token_hash from merchants where id = $1::bigint'
           : `select m.id, m.name, m.timezone, t.token_hash from api_tokens t join merchants m on m.id = t.merchant_id
               where t.token_hash = $1 and t.revoked_at is null`
       }
     ), prev as (
       select response, request_hash from sync_requests where merchant_id = (select id from m) and idempotency_key = $2
     ), s as (
       select id as n, ${STORE_ORDER_COLUMNS} from store_orders
        where merchant_id = (select id from m) and not exists (select 1 from prev)
          and id in (select store_order_id from ali_orders where merchant_id = (select id from m) and ali_order_id = any($3::text[]))
        order by id for update
     )
     select m.id::text as merchant_id, m.name as merchant_name, m.timezone as merchant_timezone, m.token_hash,
            prev.response as previous_response, prev.request_hash as previous_hash,
            s.id, s.store_order_number, s.paid, s.fulfillment_mode, s.placing_failed, s.placing_error, s.state,
            s.manual_tracking_status, s.retrack_requested_at, s.canceled_on_store,
            (select split_fulfillment from merchant_settings where merchant_id = m.id) as split_fulfillment
       from m left join prev on true left join s on true
      order by s.n`);
}

const LOCK_SYNC_BY_TOKEN = lockSyncSql('token_hash');
const LOCK_SYNC_BY_ID = lockSyncSql('id');

type LockRow = { [K in keyof StoreOrderRow]: StoreOrderRow[K] | null } & {
  merchant_id: string;
  merchant_name: string;
  merchant_timezone: string;
  token_hash: string;
  previous_response: SyncResponse | null;
  previous_hash: string | null;
  split_fulfillment: SplitFulfillment | null;
};

async function lockSync(
  tx: Queryable,
  caller: SyncCaller,
  idempotencyKey: string,
  aliOrderIds: string[],
): Promise<
  { merchant: Merchant; previous?: { response: SyncResponse; request_hash: string | null }; stores: Map<string, StoreOrderRow>; split?: SplitFulfillment } | undefined
> {
  const byToken = 'tokenHash' in caller;
  const { rows } = await tx.query<LockRow>(byToken ? LOCK_SYNC_BY_TOKEN : LOCK_SYNC_BY_ID, [
    byToken ? caller.tokenHash : caller.merchantId,
    idempotencyKey,
    aliOrderIds,
  ]);
  const first = rows[0];
  if (!first || (byToken && !sameHash(first.token_hash, caller.tokenHash))) return undefined;
  const merchant: Merchant = { id: first.merchant_id, name: first.merchant_name, timezone: first.merchant_timezone };
  if (first.previous_response !== null) return { merchant, previous: { response: first.previous_response, request_hash: first.previous_hash }, stores: new Map() };
  const stores = new Map<string, StoreOrderRow>();
  for (const r of rows) {
    if (r.id === null) continue;
    stores.set(r.id, {
      id: r.id,
      store_order_number: r.store_order_number!,
      paid: r.paid!,
      fulfillment_mode: r.fulfillment_mode!,
      placing_failed: r.placing_failed!,
      placing_error: r.placing_error,
      state: r.state!,
      manual_tracking_status: r.manual_tracking_status,
      retrack_requested_at: r.retrack_requested_at,
      canceled_on_store: r.canceled_on_store!,
    });
  }
  return { merchant, stores, split: first.split_fulfillment ?? DEFAULT_SETTINGS.splitFulfillment };
}

