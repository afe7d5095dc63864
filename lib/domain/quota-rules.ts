/**
 * The manual "Ali Order Syncing" quota: "You can only use this 10 times a day, give it 10 minutes
 * before you click on it again." A day is the merchant's calendar day in their own timezone.
 * Pure and zod-free: the backend decides with it under a row lock, the popup shows it before the
 * click without carrying the schemas (quota.ts has them, and re-exports this module).
 */

export const MANUAL_SYNC_DAILY_LIMIT = 10;
export const MANUAL_SYNC_COOLDOWN_MS = 10 * 60_000;

export const QUOTA_RULES = ['cooldown', 'daily_limit'] as const;
export type QuotaRule = (typeof QUOTA_RULES)[number];

/** The quota as the merchant sees it (the API carries it; quota.ts holds its schema). */
export interface QuotaState {
  limit: number;
  used: number;
  remaining: number;
  /** The merchant's calendar day the figures are for (YYYY-MM-DD) and its timezone. */
  day: string;
  timezone: string;
  lastSyncAt: string | null;
  /** Null when a manual sync may start now; otherwise when it may, and which rule holds it back. */
  nextAllowedAt: string | null;
  blockedBy: QuotaRule | null;
  resetsAt: string;
}

/** What is stored per merchant: the local day of the last accepted sync, how many that day, when. */
export interface ManualSyncUsage {
  day: string | null;
  used: number;
  lastAt: Date | null;
}

export const NO_USAGE: ManualSyncUsage = { day: null, used: 0, lastAt: null };

export function isValidTimeZone(timeZone: string): boolean {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone.length > 0;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: part('year'), m: part('month'), d: part('day'), h: part('hour'), min: part('minute'), s: part('second') };
}

/** The merchant's calendar day at `at`, as YYYY-MM-DD. */
export function localDay(at: Date, timeZone: string): string {
  const { y, m, d } = wallClock(at, timeZone);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The first instant of the merchant's next calendar day (when a full day's quota comes back). */
export function startOfNextLocalDay(at: Date, timeZone: string): Date {
  const { y, m, d } = wallClock(at, timeZone);
  const midnightAsUtc = Date.UTC(y, m - 1, d + 1);
  // The zone's offset can differ at midnight from now (DST); two corrections settle it, and where
  // midnight does not exist on the wall clock the day starts at the first instant after the gap.
  let guess = midnightAsUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(guess), timeZone);
    const offset = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - guess;
    guess = midnightAsUtc - offset;
  }
  const today = localDay(at, timeZone);
  while (localDay(new Date(guess), timeZone) === today) guess += 60_000;
  return new Date(guess);
}

export type ManualSyncDecision =
  | { allowed: true; usage: ManualSyncUsage }
  | { allowed: false; rule: QuotaRule; retryAt: Date };

/** Whether a manual sync may start at `now`, and the usage to store when it does. */
export function decideManualSync(usage: ManualSyncUsage, now: Date, timeZone: string): ManualSyncDecision {
  const today = localDay(now, timeZone);
  const usedToday = usage.day === today ? usage.used : 0;
  // "10 times a day" is checked first: when the day is used up, the cooldown is not the answer.
  if (usedToday >= MANUAL_SYNC_DAILY_LIMIT) return { allowed: false, rule: 'daily_limit', retryAt: startOfNextLocalDay(now, timeZone) };
  // "give it 10 minutes": measured in real time, so it also holds across midnight.
  if (usage.lastAt && now.getTime() < usage.lastAt.getTime() + MANUAL_SYNC_COOLDOWN_MS) {
    return { allowed: false, rule: 'cooldown', retryAt: new Date(usage.lastAt.getTime() + MANUAL_SYNC_COOLDOWN_MS) };
  }
  return { allowed: true, usage: { day: today, used: usedToday + 1, lastAt: now } };
}

/** The quota as the merchant sees it at `now`. */
export function quotaState(usage: ManualSyncUsage, now: Date, timeZone: string): QuotaState {
  const day = localDay(now, timeZone);
  const used = usage.day === day ? usage.used : 0;
  const decision = decideManualSync(usage, now, timeZone);
  return {
    limit: MANUAL_SYNC_DAILY_LIMIT,
    used,
    remaining: Math.max(0, MANUAL_SYNC_DAILY_LIMIT - used),
    day,
    timezone: timeZone,
    lastSyncAt: usage.lastAt?.toISOString() ?? null,
    nextAllowedAt: decision.allowed ? null : decision.retryAt.toISOString(),
    blockedBy: decision.allowed ? null : decision.rule,
    resetsAt: startOfNextLocalDay(now, timeZone).toISOString(),
  };
}

/** The usage behind a quota state, so the popup can recompute it offline from the last answer. */
export function usageOf(state: Pick<QuotaState, 'day' | 'used' | 'lastSyncAt'>): ManualSyncUsage {
  return { day: state.day, used: state.used, lastAt: state.lastSyncAt === null ? null : new Date(state.lastSyncAt) };
}
