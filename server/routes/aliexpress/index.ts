/**
 * `/v1/aliexpress-account` (connect, look, disconnect) and `/v1/aliexpress-sync` (a sync through
 * the AliExpress API, on the manual-sync quota). The OAuth callback is a browser redirect from
 * AliExpress: it carries no API token, so it is mounted before the token check and trusts only
 * its `state`.
 */
import type { Context } from 'hono';
import type { AliexpressProblem } from '../../../lib/domain/aliexpress-account';
import type { ManualSyncRefused } from '../../../lib/domain/api';
import type { QuotaState } from '../../../lib/domain/quota';
import { AliExpressSyncError, type AliExpressService } from '../../aliexpress-api/service';
import type { Deps } from '../../http/env';
import { newRouter } from '../../http/router';
import { refundManualSync, refusalOf, takeManualSync } from '../../quota';
import { callbackQuerySchema, deleteAccount, getAccount, getCallback, postAliexpressSync, postAuthorize } from './routes';

export interface AliExpressDeps extends Deps {
  aliexpress: AliExpressService;
}

/** Where the merchant lands after AliExpress: the dashboard's settings, with the outcome. */
export const SETTINGS_PAGE = '/#/settings';

const settingsWith = (outcome: Record<string, string>) => `${SETTINGS_PAGE}?${new URLSearchParams(outcome).toString()}`;

/** AliExpress held the sync back (throttled, unreachable): nothing the merchant did, so it costs no sync of the day. */
const heldBackByAliExpress = (error: AliExpressSyncError) => error.code === 'aliexpress_throttled' || error.code === 'aliexpress_unavailable';

function problemAnswer(c: Context, error: AliExpressSyncError, now: Date, quota?: QuotaState): Response {
  const body: AliexpressProblem = {
    error: { code: error.code, message: error.message, ...(error.retryAt && { retryAt: error.retryAt.toISOString() }) },
    ...(quota && { quota }),
  };
  if (heldBackByAliExpress(error)) {
    const seconds = error.retryAt ? Math.max(1, Math.ceil((error.retryAt.getTime() - now.getTime()) / 1000)) : 60;
    return c.json(body, 503, { 'Retry-After': String(seconds) });
  }
  return c.json(body, 409);
}

/** Runs a route's work; a problem with the AliExpress side is answered in its own shape. */
async function answering(c: Context, now: Date, work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AliExpressSyncError) return problemAnswer(c, error, now);
    throw error;
  }
}

/** The callback, mounted before the API token check (see app.ts). */
export function aliexpressCallbackRouter({ aliexpress, now }: AliExpressDeps) {
  return newRouter().openapi(getCallback, async (c) => {
    const parsed = callbackQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return c.redirect(settingsWith({ aliexpress: 'error', message: 'AliExpress sent back a malformed answer: connect again' }), 302);
    const { code, state, error } = parsed.data;
    if (!code) {
      const message = error === 'access_denied' ? 'the authorisation was declined on AliExpress' : 'AliExpress sent back no authorisation code: connect again';
      return c.redirect(settingsWith({ aliexpress: 'error', message }), 302);
    }
    try {
      await aliexpress.completeAuthorize(code, state, now());
    } catch (caught) {
      if (!(caught instanceof AliExpressSyncError)) throw caught;
      return c.redirect(settingsWith({ aliexpress: 'error', message: caught.message }), 302);
    }
    return c.redirect(settingsWith({ aliexpress: 'connected' }), 302);
  });
}

/** The authenticated routes, under `/v1`. */
export function aliexpressRouter({ aliexpress, db, now }: AliExpressDeps) {
  return newRouter()
    .openapi(getAccount, async (c) => c.json(await aliexpress.account(c.get('merchant').id), 200))
    .openapi(postAuthorize, async (c) => {
      const at = now();
      return answering(c, at, async () => c.json({ url: await aliexpress.authorizeUrl(c.get('merchant').id, new URL(c.req.url).origin, at) }, 200));
    })
    .openapi(deleteAccount, async (c) => {
      await aliexpress.disconnect(c.get('merchant').id);
      return c.json(await aliexpress.account(c.get('merchant').id), 200);
    })
    .openapi(postAliexpressSync, async (c) => {
      const merchant = c.get('merchant');
      const at = now();
      return answering(c, at, async () => {
        // Not connected (or to reconnect) is said before a sync of the day is spent.
        await aliexpress.ready(merchant.id);
        const outcome = await takeManualSync(db, merchant, at);
        if (!outcome.accepted) {
          const { message, retryAfterSeconds } = refusalOf(outcome, at);
          const body: ManualSyncRefused = { error: { code: 'rate_limited', message, rule: outcome.rule }, quota: outcome.quota };
          return c.json(body, 429, { 'Retry-After': String(retryAfterSeconds) });
        }
        try {
          return c.json({ quota: outcome.quota, read: await aliexpress.syncMerchant(merchant.id, at) }, 200);
        } catch (error) {
          if (!(error instanceof AliExpressSyncError) || !heldBackByAliExpress(error)) throw error;
          return problemAnswer(c, error, at, await refundManualSync(db, merchant, outcome.taken, at));
        }
      });
    });
}
