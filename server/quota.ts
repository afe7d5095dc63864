/** The manual-sync quota in the database. The rule itself is lib/domain/quota.ts. */
import {
  MANUAL_SYNC_COOLDOWN_MS,
  MANUAL_SYNC_DAILY_LIMIT,
  NO_USAGE,
  decideManualSync,
  quotaState,
  type ManualSyncUsage,
  type QuotaRule,
  type QuotaState,
} from '../lib/domain/quota';
import type { Merchant } from './auth';
import type { Database, Queryable } from './db';

export type ManualSyncOutcome =
  | { accepted: true; quota: QuotaState; taken: TakenSync }
  | { accepted: false; rule: QuotaRule; retryAt: Date; quota: QuotaState };

/** What taking a sync changed, so it can be given back (refundManualSync). */
export interface TakenSync {
  before: ManualSyncUsage;
  after: ManualSyncUsage;
}

interface UsageRow {
  day: string | null;
  used: number;
  last_at: Date | null;
}

const toUsage = (row: UsageRow | undefined): ManualSyncUsage =>
  row ? { day: row.day, used: row.used, lastAt: row.last_at && new Date(row.last_at) } : NO_USAGE;

async function usageOf(db: Queryable, merchantId: string, lock: boolean): Promise<ManualSyncUsage> {
  const { rows } = await db.query<UsageRow>(
    `select day, used, last_at from manual_sync_quota where merchant_id = $1${lock ? ' for update' : ''}`,
    [merchantId],
  );
  return toUsage(rows[0]);
}

/**
 * Takes one manual sync if the rule allows it. The merchant's quota row is locked for the decision,
 * so concurrent requests, here or in another backend process, queue behind each other and each
 * sees what the previous one wrote.
 */
export async function takeManualSync(db: Database, merchant: Merchant, now: Date): Promise<ManualSyncOutcome> {
  return db.transaction(async (tx) => {
    // The row must exist to be locked; the first request of a merchant's life creates it.
    await tx.query('insert into manual_sync_quota (merchant_id) values ($1) on conflict (merchant_id) do nothing', [merchant.id]);
    const usage = await usageOf(tx, merchant.id, true);
    const decision = decideManualSync(usage, now, merchant.timezone);
    if (!decision.allowed) {
      return { accepted: false, rule: decision.rule, retryAt: decision.retryAt, quota: quotaState(usage, now, merchant.timezone) };
    }
    const next = decision.usage;
    await tx.query('update manual_sync_quota set day = $2, used = $3, last_at = $4 where merchant_id = $1', [
      merchant.id,
      next.day,
      next.used,
      next.lastAt,
    ]);
    await tx.query('insert into manual_syncs (merchant_id, local_day, at) values ($1, $2, $3)', [merchant.id, next.day, now]);
    return { accepted: true, quota: quotaState(next, now, merchant.timezone), taken: { before: usage, after: next } };
  });
}

/**
 * Gives back a sync that did no work through no fault of the merchant (AliExpress throttled or
 * could not be reached): the usage goes back to what it was before, cooldown included. Only while
 * the row still holds what the take wrote: a later sync taken meanwhile is never undone.
 */
export async function refundManualSync(db: Database, merchant: Merchant, taken: TakenSync, now: Date): Promise<QuotaState> {
  return db.transaction(async (tx) => {
    const usage = await usageOf(tx, merchant.id, true);
    const unchanged = usage.day === taken.after.day && usage.used === taken.after.used && usage.lastAt?.getTime() === taken.after.lastAt?.getTime();
    if (!unchanged) return quotaState(usage, now, merchant.timezone);
    await tx.query('update manual_sync_quota set day = $2, used = $3, last_at = $4 where merchant_id = $1', [
      merchant.id,
      taken.before.day,
      taken.before.used,
      taken.before.lastAt,
    ]);
    await tx.query('delete from manual_syncs where merchant_id = $1 and at = $2', [merchant.id, taken.after.lastAt]);
    return quotaState(taken.before, now, merchant.timezone);
  });
}

export async function readQuota(db: Queryable, merchant: Merchant, now: Date): Promise<QuotaState> {
  return quotaState(await usageOf(db, merchant.id, false), now, merchant.timezone);
}

/** What a refused manual sync is told: when to try again and, in words, which rule said no. */
export function refusalOf(outcome: Extract<ManualSyncOutcome, { accepted: false }>, now: Date): { message: string; retryAfterSeconds: number } {
  const seconds = Math.max(1, Math.ceil((outcome.retryAt.getTime() - now.getTime()) / 1000));
  const message =
    outcome.rule === 'daily_limit'
      ? `all ${outcome.quota.limit} manual syncs of ${outcome.quota.day} are used; the next day starts in ${seconds} s`
      : `a manual sync ran less than ${MANUAL_SYNC_COOLDOWN_MS / 60_000} minutes ago; try again in ${seconds} s`;
  return { message, retryAfterSeconds: seconds };
}

/** The rule in words, for the API's description. */
export const QUOTA_SUMMARY = `Takes one of the day's ${MANUAL_SYNC_DAILY_LIMIT} manual syncs (at least ${MANUAL_SYNC_COOLDOWN_MS / 60_000} minutes apart, days in the merchant's timezone).`;
