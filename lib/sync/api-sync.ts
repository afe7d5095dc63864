/**
 * "Sync through the AliExpress API", from the extension: the backend reads the watched orders
 * through the AliExpress Open Platform (no page loads here), on the same quota as the Sync button.
 * The quota it answers is kept where the popup shows it. Pure of browser APIs.
 */
import { writeMeta, type CacheDb } from '../cache/db';
import { summarizeApiRead, type ApiSyncSummary } from '../domain/api-sync-summary';
import type { BackendClient } from './backend-client';
import { BackendError, BackendTimeoutError } from './backend-client';

/** How long after an API sync that outlasted the wait the extension pulls the backend's view. */
export const PULL_AFTER_API_SYNC_MINUTES = 2;

export type ApiSyncResult =
  | { ok: true; read: ApiSyncSummary }
  /** `stillRunning`: the backend took the sync and is still at it when the wait for its answer ended. */
  | { ok: false; error: string; stillRunning?: true };

export async function runApiSync({ cache, client, now }: { cache: CacheDb; client: BackendClient | undefined; now: () => Date }): Promise<ApiSyncResult> {
  if (!client) return { ok: false, error: 'Set the backend URL and API token in the options page.' };
  let outcome;
  try {
    outcome = await client.aliexpressSync();
  } catch (error) {
    // A long pass (hundreds of watched orders) outlasts the wait, not the backend: it goes on there.
    if (error instanceof BackendTimeoutError) {
      return { ok: false, stillRunning: true, error: `The backend is still reading your orders through the AliExpress API: the extension asks it again in ${PULL_AFTER_API_SYNC_MINUTES} minutes, and they show here then.` };
    }
    if (error instanceof BackendError) return { ok: false, error: error.message };
    throw error;
  }
  if (outcome.kind === 'problem') return { ok: false, error: outcome.message };
  await writeMeta(cache, 'quota', { quota: outcome.quota, receivedAt: now().toISOString() });
  if (outcome.kind === 'refused') return { ok: false, error: outcome.message };
  return { ok: true, read: summarizeApiRead(outcome.read) };
}
