/**
 * Syncing without Chrome: connecting a merchant's AliExpress account (OAuth), keeping its token
 * fresh, reading the orders the backend watches through the Open Platform, and folding what it
 * read through the same sync pipeline as a page read. The scheduled pass runs here too.
 */
import { randomUUID } from 'node:crypto';
import type { AliexpressAccount, AliexpressProblemCode, AliexpressRead } from '../../lib/domain/aliexpress-account';
import { MAX_ORDERS_PER_SYNC, syncRequestSchema, type SyncResult } from '../../lib/domain/api';
import type { Snapshot } from '../../lib/domain/snapshot';
import type { Database } from '../db';
import type { StoreLeg } from '../jobs/runner';
import type { Logger } from '../log';
import { syncAs } from '../sync/pipeline';
import { watchlist } from '../views';
import {
  accountOf,
  claimDuePass,
  consumeOAuthState,
  deleteAccount,
  newOAuthState,
  openTokens,
  recordOutcome,
  saveTokens,
  updateTokens,
} from './accounts';
import { AliExpressApiError, OpenPlatformClient } from './client';
import type { AliExpressConfig } from './config';
import { snapshotsFromApi } from './mapping';

export const CALLBACK_PATH = '/v1/aliexpress-account/callback';
/** Orders read at once: AliExpress throttles per app, so a merchant's pass stays modest. */
const CONCURRENCY = 4;
/** The language tracking events are asked in: the sourced wording is English. */
const TRACKING_LANGUAGE = 'en_US';
/** A sync request carries at most MAX_ORDERS_PER_SYNC orders; each order read makes two snapshots. */
const ORDERS_PER_FOLD = Math.floor(MAX_ORDERS_PER_SYNC / 2);

/** A sync through the API that could not run, and what to tell the merchant. */
export class AliExpressSyncError extends Error {
  constructor(
    readonly code: AliexpressProblemCode,
    message: string,
    readonly retryAt?: Date,
  ) {
    super(message);
    this.name = 'AliExpressSyncError';
  }
}

export interface AliExpressServiceOptions {
  db: Database;
  log: Logger;
  /** Absent: the operator configured no AliExpress app. */
  config: AliExpressConfig | undefined;
  fetch?: typeof fetch;
  /** Told which store orders a pass changed, as a page read's sync tells it: their tracking goes to the store at once. */
  storeLeg?: Pick<StoreLeg, 'ordersChanged'>;
}

export class AliExpressService {
  private readonly client: OpenPlatformClient | undefined;

  constructor(private readonly options: AliExpressServiceOptions) {
    this.client = options.config && new OpenPlatformClient(options.config, options.fetch);
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  get database(): Database {
    return this.options.db;
  }

  private get db(): Database {
    return this.options.db;
  }

  private need(): { client: OpenPlatformClient; config: AliExpressConfig } {
    if (!this.client || !this.options.config) {
      throw new AliExpressSyncError('aliexpress_not_configured', 'this backend has no AliExpress app configured (the operator sets ALIEXPRESS_APP_KEY and ALIEXPRESS_APP_SECRET)');
    }
    return { client: this.client, config: this.options.config };
  }

  async account(merchantId: string): Promise<AliexpressAccount> {
    const row = this.configured ? await accountOf(this.db, merchantId) : undefined;
    if (!row) return { configured: this.configured, connected: false };
    return {
      configured: true,
      connected: true,
      ...(row.account && { account: row.account }),
      expiresAt: new Date(row.expires_at).toISOString(),
      ...(row.last_sync_at && { lastSync: new Date(row.last_sync_at).toISOString() }),
      ...(row.last_error && { lastError: row.last_error }),
      needsReconnect: row.needs_reconnect,
      ...(!row.needs_reconnect && { nextPassAt: new Date(row.next_pass_at).toISOString() }),
    };
  }

  /** The AliExpress page to send the merchant to; the state in it names this merchant, once. */
  async authorizeUrl(merchantId: string, requestOrigin: string, now: Date): Promise<string> {
    const { client } = this.need();
    const state = await newOAuthState(this.db, merchantId, now);
    return client.authorizeUrl(this.redirectUri(requestOrigin), state);
  }

  private redirectUri(requestOrigin: string): string {
    return this.options.config?.redirectUri ?? new URL(CALLBACK_PATH, requestOrigin).href;
  }

  /** AliExpress sent the merchant back: the state says who, the code becomes their tokens. */
  async completeAuthorize(code: string, state: string, now: Date): Promise<string> {
    const { client, config } = this.need();
    const merchantId = await consumeOAuthState(this.db, state, now);
    if (!merchantId) throw new AliExpressSyncError('aliexpress_reconnect', 'this sign-in link has expired or was used already: start connecting again from the settings');
    let tokens;
    try {
      tokens = await client.createToken(code, now);
    } catch (error) {
      throw this.problem(error);
    }
    await saveTokens(this.db, config.secrets, merchantId, tokens, now, config.passIntervalMs);
    this.options.log.info('aliexpress connected', { merchant: merchantId });
    return merchantId;
  }

  async disconnect(merchantId: string): Promise<boolean> {
    return this.configured ? deleteAccount(this.db, merchantId) : false;
  }

  /** Whether an API sync can start: configured, connected, authorised (checked before the quota is spent). */
  async ready(merchantId: string): Promise<void> {
    this.need();
    const row = await accountOf(this.db, merchantId);
    if (!row) throw new AliExpressSyncError('aliexpress_not_connected', 'no AliExpress account is connected: connect it in the settings first');
    if (row.needs_reconnect) throw new AliExpressSyncError('aliexpress_reconnect', `the AliExpress authorisation has expired or was revoked: connect the AliExpress account again${row.last_error ? ` (${row.last_error})` : ''}`);
  }

  /**
   * Reads the merchant's watched orders through the API and folds them in. Per-order refusals are
   * listed in `problems`; an account-wide one (authorisation, permission, throttling) stops the
   * pass, keeps what was read before it, and is thrown.
   */
  async syncMerchant(merchantId: string, now: Date): Promise<AliexpressRead> {
    const { client, config } = this.need();
    await this.ready(merchantId);
    let session: string;
    try {
      session = await this.freshSession(merchantId, now);
    } catch (error) {
      throw await this.recordProblem(merchantId, error, now);
    }
    const watched = await watchlist(this.db, merchantId, MAX_ORDERS_PER_SYNC, now);
    const snapshots = new Map<string, Snapshot[]>();
    const problems: AliexpressRead['problems'] = [];
    let stop: unknown;
    const queue = [...watched.aliOrders];
    const worker = async () => {
      for (let item = queue.shift(); item && stop === undefined; item = queue.shift()) {
        try {
          const order = await client.getOrder(session, item.aliOrderId, now);
          const tracking = wantsTracking(order, item.needs) ? await client.getTracking(session, item.aliOrderId, TRACKING_LANGUAGE, now) : undefined;
          snapshots.set(item.aliOrderId, snapshotsFromApi(config.apiOrigin, item.aliOrderId, order, tracking, now));
        } catch (error) {
          if (error instanceof AliExpressApiError && error.kind === 'order') {
            // What the refusal means is not documented: said as AliExpress said it, with what still works.
            problems.push({ aliOrderId: item.aliOrderId, message: `${error.message}: the API did not read this order; the Chrome sync (the Sync button) can still read it` });
          } else {
            stop ??= error;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const { results, warnings } = await this.fold(merchantId, [...snapshots.values()], now);
    const read: AliexpressRead = { asked: watched.aliOrders.length, read: snapshots.size, results, problems, warnings, syncedAt: now.toISOString() };
    if (stop !== undefined) throw await this.recordProblem(merchantId, stop, now, snapshots.size);
    await recordOutcome(this.db, merchantId, { syncedAt: now, error: problems.length ? `${problems.length} order(s) not read through the API; the Chrome sync can read them` : null });
    return read;
  }

  /** Through the server's sync pipeline, as a page read: one rule for how a read changes an order. */
  private async fold(merchantId: string, perOrder: Snapshot[][], now: Date): Promise<{ results: SyncResult[]; warnings: string[] }> {
    const results: SyncResult[] = [];
    const warnings: string[] = [];
    for (let i = 0; i < perOrder.length; i += ORDERS_PER_FOLD) {
      const snapshots = perOrder.slice(i, i + ORDERS_PER_FOLD).flat();
      warnings.push(...snapshots.flatMap((s) => s.warnings));
      const request = syncRequestSchema.parse({ idempotencyKey: `aliexpress-api:${randomUUID()}`, snapshots });
      const outcome = await syncAs(this.db, { merchantId }, request, now);
      if (!outcome) throw new Error(`no merchant ${merchantId}`);
      // Two snapshots an order: one result each; the merchant needs one line per order.
      const seen = new Set<string>();
      const changed = new Set<string>();
      for (const result of outcome.response.results) {
        if (result.outcome === 'applied' && result.changed) changed.add(result.storeOrderId);
        if (seen.has(result.aliOrderId)) continue;
        seen.add(result.aliOrderId);
        results.push(result);
      }
      // After the sync committed, as POST /v1/sync does; the store leg's sweep plans what a crash here leaves out.
      await this.options.storeLeg?.ordersChanged(merchantId, [...changed]);
    }
    return { results, warnings };
  }

  /**
   * The access token, refreshed first when it expires before the next scheduled pass would come.
   * Several processes may refresh at once: one whose refresh is refused looks again, and uses the
   * token another stored meanwhile.
   */
  private async freshSession(merchantId: string, now: Date): Promise<string> {
    const { client, config } = this.need();
    const row = (await accountOf(this.db, merchantId))!;
    const margin = config.passIntervalMs + 3_600_000;
    if (new Date(row.expires_at).getTime() - now.getTime() > margin) return openTokens(config.secrets, row).accessToken;
    const { refreshToken } = openTokens(config.secrets, row);
    if (!refreshToken || (row.refresh_expires_at && new Date(row.refresh_expires_at) <= now)) {
      if (new Date(row.expires_at) > now) return openTokens(config.secrets, row).accessToken;
      throw new AliExpressApiError('token', undefined, 'the AliExpress authorisation has expired and cannot be renewed: connect the AliExpress account again');
    }
    try {
      const tokens = await client.refreshToken(refreshToken, now);
      await updateTokens(this.db, config.secrets, merchantId, tokens);
      this.options.log.info('aliexpress token refreshed', { merchant: merchantId });
      return tokens.accessToken;
    } catch (error) {
      const again = await accountOf(this.db, merchantId);
      if (again && again.access_token_sealed !== row.access_token_sealed) return openTokens(config.secrets, again).accessToken;
      throw error;
    }
  }

  /** Records an account-wide problem on the account and turns it into what the merchant is told. */
  private async recordProblem(merchantId: string, error: unknown, now: Date, readBefore = 0): Promise<AliExpressSyncError> {
    const problem = this.problem(error, now);
    const before = readBefore > 0 ? ` (${readBefore} order(s) read before it were kept)` : '';
    await recordOutcome(this.db, merchantId, {
      ...(readBefore > 0 && { syncedAt: now }),
      error: problem.message,
      needsReconnect: problem.code === 'aliexpress_reconnect',
      ...(problem.retryAt && { retryAt: problem.retryAt }),
    });
    this.options.log.error('aliexpress sync stopped', { merchant: merchantId, code: problem.code });
    return new AliExpressSyncError(problem.code, problem.message + before, problem.retryAt);
  }

  private problem(error: unknown, now = new Date()): AliExpressSyncError {
    if (error instanceof AliExpressSyncError) return error;
    if (!(error instanceof AliExpressApiError)) throw error;
    switch (error.kind) {
      case 'token':
        return new AliExpressSyncError('aliexpress_reconnect', error.message);
      case 'permission':
        return new AliExpressSyncError('aliexpress_permission', error.message);
      case 'app':
        return new AliExpressSyncError('aliexpress_app', error.message);
      case 'throttled': {
        const retryAt = new Date(now.getTime() + (error.retryAfterMs ?? 60_000));
        return new AliExpressSyncError('aliexpress_throttled', `${error.message}; the backend backs off and retries at ${retryAt.toISOString()} (no quota spent)`, retryAt);
      }
      default:
        return new AliExpressSyncError('aliexpress_unavailable', error.message);
    }
  }

  /**
   * Runs every scheduled pass due at `now`, one merchant at a time, each claimed in the database
   * first (see claimDuePass): several processes share the work and none runs a pass twice. Costs
   * no quota.
   */
  async runDuePasses(now: Date, max = 1000): Promise<{ merchantId: string; read?: AliexpressRead; error?: AliExpressSyncError }[]> {
    const config = this.options.config;
    if (!config) return [];
    const done: { merchantId: string; read?: AliexpressRead; error?: AliExpressSyncError }[] = [];
    for (let n = 0; n < max; n++) {
      const merchantId = await claimDuePass(this.db, now, config.passIntervalMs);
      if (!merchantId) break;
      try {
        const read = await this.syncMerchant(merchantId, now);
        this.options.log.info('aliexpress scheduled pass', { merchant: merchantId, asked: read.asked, read: read.read, problems: read.problems.length });
        done.push({ merchantId, read });
      } catch (error) {
        if (!(error instanceof AliExpressSyncError)) throw error;
        done.push({ merchantId, error });
      }
    }
    return done;
  }
}

/** Only orders that can have parcels are worth the tracking call (an unpaid one answers 1001). */
function wantsTracking(order: Record<string, unknown>, needs: readonly string[]): boolean {
  const logistics = typeof order.logistics_status === 'string' ? order.logistics_status.toUpperCase() : '';
  if (['SELLER_SEND_GOODS', 'SELLER_SEND_PART_GOODS', 'BUYER_ACCEPT_GOODS'].includes(logistics)) return true;
  const status = typeof order.order_status === 'string' ? order.order_status.toUpperCase() : '';
  if (['SELLER_PART_SEND_GOODS', 'WAIT_BUYER_ACCEPT_GOODS', 'FINISH'].includes(status)) return true;
  return needs.includes('tracking_number') || needs.includes('fresh_events');
}

