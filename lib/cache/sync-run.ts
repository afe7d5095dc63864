/**
 * A manual sync ("Ali Order Syncing") as the extension records it: its plan, its progress and how
 * it ended. Kept in IndexedDB so the popup can show it live and a restarted worker can resume it.
 */
import { z } from 'zod';
import { quotaRuleSchema } from '../domain/quota';
import { isoDateTimeSchema, listTabSchema } from '../domain/snapshot';

export const syncRunStatusSchema = z.enum(['running', 'done', 'failed', 'canceled', 'interrupted', 'refused']);
export type SyncRunStatus = z.infer<typeof syncRunStatusSchema>;

export const syncStepSchema = z.enum([
  'requesting_slot',
  'fetching_watchlist',
  'reading_order_list',
  'reading_tracking',
  'pushing',
  'finished',
]);
export type SyncStep = z.infer<typeof syncStepSchema>;

/** Why a run stopped early, in terms of what the merchant has to do. */
export const syncProblemSchema = z.discriminatedUnion('kind', [
  /** AliExpress showed its login page: log in, then sync again. */
  z.object({ kind: z.literal('login'), message: z.string(), url: z.string() }),
  /** AliExpress showed its slider check: open the tab and slide to verify. */
  z.object({ kind: z.literal('bot_check'), message: z.string(), url: z.string() }),
  /** The backend refused the slot: which rule, and when the next sync is allowed. */
  z.object({ kind: z.literal('quota'), message: z.string(), rule: quotaRuleSchema, nextAllowedAt: isoDateTimeSchema }),
  z.object({ kind: z.literal('backend_unreachable'), message: z.string() }),
  z.object({ kind: z.literal('token_rejected'), message: z.string() }),
  z.object({ kind: z.literal('not_configured'), message: z.string() }),
  /** A page the readers did not recognise, or a tab that was closed or never loaded. */
  z.object({ kind: z.literal('page_failed'), message: z.string(), url: z.string() }),
]);
export type SyncProblem = z.infer<typeof syncProblemSchema>;

/**
 * How a run read differently from its plan: a list tab (`code`, as the page titled it) it could
 * not find, or that did not show its list in time, so the all-tab read those orders instead.
 */
export const syncWarningSchema = listTabSchema.extend({ kind: z.literal('tab_not_found') });
export type SyncWarning = z.infer<typeof syncWarningSchema>;

export const syncRunSchema = z.object({
  id: z.string(),
  status: syncRunStatusSchema,
  step: syncStepSchema,
  startedAt: isoDateTimeSchema,
  finishedAt: isoDateTimeSchema.optional(),
  /** Page loads made so far, and how many the plan expects at most (list pages are open-ended). */
  pagesLoaded: z.number().int().nonnegative(),
  /** Requests to Cainiao's public tracking (no page load): every known number, in batches. */
  cainiaoRequests: z.number().int().nonnegative().optional(),
  /** Orders the backend asked about, and of those how many a page has shown so far. */
  watched: z.number().int().nonnegative(),
  ordersSeen: z.number().int().nonnegative(),
  /** Orders whose status or packages changed, and tracking numbers seen for the first time. */
  changed: z.number().int().nonnegative(),
  newTrackingNumbers: z.number().int().nonnegative(),
  problem: syncProblemSchema.optional(),
  /** How the run read differently from its plan, for the merchant (shown in their language). */
  warnings: z.array(syncWarningSchema).max(20).optional(),
  /** The background tab the run works in, so a restarted worker can close it. */
  tabId: z.number().int().optional(),
});
export type SyncRun = z.infer<typeof syncRunSchema>;
