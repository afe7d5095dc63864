/** `/v1/manual-sync` and `/v1/quota`: the manual-sync quota, decided by the backend. */
import type { ManualSyncRefused } from '../../../lib/domain/api';
import type { Deps } from '../../http/env';
import { newRouter } from '../../http/router';
import { readQuota, refusalOf, takeManualSync } from '../../quota';
import { getQuota, postManualSync } from './routes';

export function quotaRouter({ db, now }: Deps) {
  return newRouter()
    .openapi(postManualSync, async (c) => {
      const at = now();
      const outcome = await takeManualSync(db, c.get('merchant'), at);
      if (outcome.accepted) return c.json({ quota: outcome.quota }, 200);
      const { message, retryAfterSeconds } = refusalOf(outcome, at);
      const body: ManualSyncRefused = { error: { code: 'rate_limited', message, rule: outcome.rule }, quota: outcome.quota };
      return c.json(body, 429, { 'Retry-After': String(retryAfterSeconds) });
    })
    .openapi(getQuota, async (c) => c.json({ quota: await readQuota(db, c.get('merchant'), now()) }, 200));
}
