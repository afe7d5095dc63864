/**
 * The extension's side of the backend API. Every answer is checked against the shared schemas;
 * every failure becomes a BackendError that says what the merchant should do.
 */
import type { z } from 'zod';
import {
  errorResponseSchema,
  manualSyncRefusedSchema,
  ordersResponseSchema,
  quotaResponseSchema,
  syncResponseSchema,
  watchlistResponseSchema,
  type OrdersResponse,
  type SyncRequest,
  type SyncResponse,
  type WatchlistResponse,
} from '../domain/api';
import type { QuotaRule, QuotaState } from '../domain/quota';
import type { BackendErrorKind } from '../cache/db';
import { aliexpressProblemSchema, aliexpressSyncResponseSchema, type AliexpressRead } from '../domain/aliexpress-account';

export type { BackendErrorKind };

export class BackendError extends Error {
  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly status?: number,
    /** Seconds, from a Retry-After header. */
    readonly retryAfter?: number,
    /** The parsed error body, for answers that carry more than a message (a refused manual sync). */
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** The backend took the request but gave no answer in time: it may still be working on it. */
export class BackendTimeoutError extends BackendError {
  constructor(message: string) {
    super('unreachable', message);
    this.name = 'BackendTimeoutError';
  }
}

export interface BackendConfig {
  backendUrl: string;
  apiToken: string;
}

export type ManualSyncSlot =
  | { granted: true; quota: QuotaState }
  | { granted: false; rule: QuotaRule; message: string; quota: QuotaState };

/** What a sync through the AliExpress API came to: what it read, the quota refusing it, or why it could not run. */
export type AliexpressSyncOutcome =
  | { kind: 'synced'; quota: QuotaState; read: AliexpressRead }
  | { kind: 'refused'; rule: QuotaRule; message: string; quota: QuotaState }
  | { kind: 'problem'; code: string; message: string };

export interface BackendClient {
  sync(request: SyncRequest): Promise<SyncResponse>;
  orders(cursor?: string): Promise<OrdersResponse>;
  /** Takes one of the day's manual syncs, or says which rule refused it. */
  manualSync(): Promise<ManualSyncSlot>;
  quota(): Promise<QuotaState>;
  /** "Sync through the AliExpress API": one of the same manual syncs, read by the backend through the Open Platform. */
  aliexpressSync(): Promise<AliexpressSyncOutcome>;
  watchlist(): Promise<WatchlistResponse>;
}

/**
 * How long the backend may take to answer. Chrome stops an extension's service worker whose
 * fetch() gets no response for 30 seconds, which would cut a manual sync short as "interrupted";
 * a backend that hangs (a process half shut down, a proxy holding the connection) is reported as
 * unreachable before that, and what was read stays queued.
 */
export const BACKEND_TIMEOUT_MS = 25_000;

export function createBackendClient(config: BackendConfig, fetchImpl: typeof fetch = fetch, timeoutMs = BACKEND_TIMEOUT_MS): BackendClient {
  const base = config.backendUrl.replace(/\/+$/, '');

  async function call<T>(path: string, schema: z.ZodType<T>, init: RequestInit = {}): Promise<T> {
    if (!config.backendUrl || !config.apiToken) throw new BackendError('not_configured', 'Set the backend URL and API token in the options page.');
    const deadline = AbortSignal.timeout(timeoutMs);
    const unreachable = (error: unknown) =>
      deadline.aborted
        ? new BackendTimeoutError(`The backend at ${base} did not answer within ${Math.round(timeoutMs / 1000)} s.`)
        : new BackendError('unreachable', `The backend at ${base} cannot be reached (${(error as Error).message}).`);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(`${base}${path}`, {
        ...init,
        signal: deadline,
        headers: { authorization: `Bearer ${config.apiToken}`, 'content-type': 'application/json', ...init.headers },
      });
      // The body is part of the answer: a connection that stalls halfway is as good as none.
      text = await response.text();
    } catch (error) {
      throw unreachable(error);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const message = errorResponseSchema.safeParse(body).data?.error.message ?? `HTTP ${response.status}`;
      const retryAfter = Number(response.headers.get('retry-after')) || undefined;
      if (response.status === 401) throw new BackendError('unauthorized', `The backend refused the API token: ${message}`, 401);
      if (response.status === 429 || response.status >= 500) throw new BackendError('unavailable', `The backend is busy or failing: ${message}`, response.status, retryAfter, body);
      throw new BackendError('rejected', `The backend refused the request: ${message}`, response.status, undefined, body);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new BackendError('unavailable', `The backend answered in an unexpected format (${path}).`, response.status);
    return parsed.data;
  }

  return {
    sync: (request) => call('/v1/sync', syncResponseSchema, { method: 'POST', body: JSON.stringify(request) }),
    orders: (cursor) => call(`/v1/orders?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, ordersResponseSchema),
    async manualSync() {
      try {
        const { quota } = await call('/v1/manual-sync', quotaResponseSchema, { method: 'POST' });
        return { granted: true, quota };
      } catch (error) {
        const refused = error instanceof BackendError && error.status === 429 ? manualSyncRefusedSchema.safeParse(error.body) : undefined;
        if (!refused?.success) throw error;
        return { granted: false, rule: refused.data.error.rule, message: refused.data.error.message, quota: refused.data.quota };
      }
    },
    quota: async () => (await call('/v1/quota', quotaResponseSchema)).quota,
    async aliexpressSync() {
      try {
        const { quota, read } = await call('/v1/aliexpress-sync', aliexpressSyncResponseSchema, { method: 'POST' });
        return { kind: 'synced', quota, read };
      } catch (error) {
        if (!(error instanceof BackendError)) throw error;
        const refused = error.status === 429 ? manualSyncRefusedSchema.safeParse(error.body) : undefined;
        if (refused?.success) return { kind: 'refused', rule: refused.data.error.rule, message: refused.data.error.message, quota: refused.data.quota };
        // The AliExpress side's own answer says what to do (reconnect, the app's permission, when it retries).
        const problem = aliexpressProblemSchema.safeParse(error.body);
        if (problem.success) return { kind: 'problem', code: problem.data.error.code, message: problem.data.error.message };
        throw error;
      }
    },
    watchlist: () => call('/v1/watchlist', watchlistResponseSchema),
  };
}
