/**
 * The manual-sync quota as the API carries it. The rules (limits, the merchant's day, the
 * decision) are in quota-rules.ts, zod-free for the popup, and re-exported here.
 */
import { z } from 'zod';
import { QUOTA_RULES, type QuotaState } from './quota-rules';

export * from './quota-rules';

export const quotaRuleSchema = z.enum(QUOTA_RULES);

export const quotaStateSchema = z.object({
  limit: z.number().int(),
  used: z.number().int(),
  remaining: z.number().int(),
  day: z.iso.date(),
  timezone: z.string(),
  lastSyncAt: z.iso.datetime({ offset: true }).nullable(),
  nextAllowedAt: z.iso.datetime({ offset: true }).nullable(),
  blockedBy: quotaRuleSchema.nullable(),
  resetsAt: z.iso.datetime({ offset: true }),
}) satisfies z.ZodType<QuotaState>;
