/** `/v1/sync`: what the extension read, applied by the sync pipeline. */
import { lookupHash } from '../../auth';
import { rememberUnlinked } from '../../dashboard/unlinked';
import type { Deps } from '../../http/env';
import { newRouter } from '../../http/router';
import { syncAs } from '../../sync/pipeline';
import { postSync } from './routes';

export function syncRouter({ db, now, storeLeg }: Deps) {
  return newRouter().openapi(postSync, async (c) => {
    // The token was checked before the body was read; the sync checks it again in its own first
    // statement, so a token rotated in between writes nothing.
    const request = c.req.valid('json');
    const outcome = await syncAs(db, { tokenHash: lookupHash(c.get('token'))! }, request, now());
    if (!outcome) return c.json({ error: { code: 'unauthorized' as const, message: 'the API token is not valid' } }, 401);
    c.set('merchant', outcome.merchant);
    // What no store order links to is kept for the dashboard (one statement, only when there is some).
    await rememberUnlinked(db, outcome.merchant.id, request, outcome.response.results);
    if (storeLeg) {
      const changed = outcome.response.results.flatMap((r) => (r.outcome === 'applied' && r.changed ? [r.storeOrderId] : []));
      // Planned after the sync committed; the runner's sweep plans whatever a crash here leaves out.
      await storeLeg.ordersChanged(outcome.merchant.id, [...new Set(changed)]);
    }
    // The answer's JSON was made once, for the idempotency record; it is sent as it is.
    return c.body(outcome.json, 200, { 'content-type': 'application/json' }) as never;
  });
}
