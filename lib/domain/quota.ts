/**
 * The manual-sync quota as the API carries it. The rules (limits, the merchant's day, the
 * decision) are in quota-rules.ts, zod-free for the popup, and re-exported here.
 */
import { z } from 'zod';
import { QUOTA_RULES } from './quota-rules';

export * from './quota-rules';

export const quotaRuleSchema = z.enum(QUOTA_RULES);

export const quotaStateSchema = z.object({
  limit: z.number().int(),
  used: z.number().int(),
  remaining: z.number().int(),
  /** The merchant's calendar day the figures are for (YYYY-MM-DD) and its timezone. */
  day: z.iso.date(),
  timezone: z.string(),
  lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
  /** Null when a manual sync may start now; otherwise when it may, and which rule holds it back. */
  nextAllowedAt: z.iso.datetime({ offset: true }).nullable(),
  blockedBy: quotaRuleSchema.nullable(),
  resetsAt: z.iso.datetime({ offset: true }),
});
export type QuotaState = z.infer<typeof quotaStateSchema>;
