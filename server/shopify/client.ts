/**
 * Talking to one shop's GraphQL Admin API through @shopify/admin-api-client, with the cost-based
 * throttle honoured: each call waits until the shop's bucket (as its last answer described it)
 * holds what the call will cost, and a THROTTLED answer (HTTP 429) waits for the refill and
 * retries, so a throttle never fails a job. SHOPIFY_ADMIN_ORIGIN sends the calls to another origin
 * (the contract server) instead of https://{shop}.
 */
import { createAdminApiClient } from '@shopify/admin-api-client';

/** One stable version, pinned: fields and behaviour do not move under us. */
export const SHOPIFY_API_VERSION = '2026-10';

/** How a failed call should be treated by whoever made it. */
export type ShopifyFailure =
  /** Worth retrying later (network, 5xx). */
  | 'transient'
  /** The token was refused or the app is gone: nothing will work until the merchant reconnects. */
  | 'revoked'
  /** This call will never succeed as it is (an error in what was asked). */
  | 'permanent';

export class ShopifyError extends Error {
  constructor(
    readonly failure: ShopifyFailure,
    message: string,
  ) {
    super(message);
  }
}

interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** The shop's bucket as this process last saw it, less what its calls in flight have reserved. */
export class ShopThrottle {
  private available: number;
  private restoreRate: number;
  private maximum: number;
  private at = performance.now();
  private inFlight = 0;
  /** Requested cost by operation, learnt from answers (the first call of each guesses). */
  private readonly costs = new Map<string, number>();
  /** Calls answered THROTTLED (each was retried). */
  throttled = 0;

  // Until a shop's first answer, the Standard plan's figures: the lowest a shop can have.
  constructor(status: ThrottleStatus = { maximumAvailable: 2000, currentlyAvailable: 2000, restoreRate: 100 }) {
    this.available = status.currentlyAvailable;
    this.restoreRate = status.restoreRate;
    this.maximum = status.maximumAvailable;
  }

  private refill(): void {
    const now = performance.now();
    this.available = Math.min(this.maximum, this.available + ((now - this.at) / 1000) * this.restoreRate);
    this.at = now;
  }

  costOf(operation: string): number {
    return this.costs.get(operation) ?? 50;
  }

  /** Waits until the bucket holds `cost` (a full bucket at most: the shop has the last word), then reserves it. */
  async reserve(wanted: number): Promise<void> {
    const cost = Math.min(wanted, this.maximum);
    for (;;) {
      this.refill();
      if (this.available >= cost) {
        this.available -= cost;
        this.inFlight += cost;
        return;
      }
      await sleep(Math.ceil(((cost - this.available) / this.restoreRate) * 1000));
    }
  }

  /** An answer's cost figures: the shop's own count wins over ours, less the other calls still in flight. */
  observe(operation: string, reserved: number, cost: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } | undefined): void {
    this.inFlight -= reserved;
    if (!cost?.throttleStatus) return;
    if (cost.requestedQueryCost) this.costs.set(operation, cost.requestedQueryCost);
    const s = cost.throttleStatus;
    this.maximum = s.maximumAvailable;
    this.restoreRate = s.restoreRate;
    this.available = Math.min(this.maximum, s.currentlyAvailable) - this.inFlight;
    this.at = performance.now();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ShopifyClientOptions {
  shopDomain: string;
  accessToken: string;
  /** SHOPIFY_ADMIN_ORIGIN. */
  adminOrigin?: string;
  throttle: ShopThrottle;
  /** Per call (default 30 s). */
  timeoutMs?: number;
}

export interface ShopifyClient {
  request<T>(operation: string, query: string, variables?: Record<string, unknown>): Promise<T>;
}

interface GraphQLAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[] | string | Record<string, unknown>;
  extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } };
}

/** Retries of one call answered THROTTLED before it gives up (each waits for the bucket to refill). */
const MAX_THROTTLED_RETRIES = 20;

export function shopifyClient({ shopDomain, accessToken, adminOrigin, throttle, timeoutMs = 30_000 }: ShopifyClientOptions): ShopifyClient {
  const client = createAdminApiClient({
    storeDomain: shopDomain,
    apiVersion: SHOPIFY_API_VERSION,
    accessToken,
    retries: 0,
    customFetchApi: (url, init) => {
      if (!adminOrigin) return fetch(url, init);
      // The contract server serves every shop at one origin; the header names the shop there.
      const target = new URL(new URL(url).pathname, adminOrigin);
      return fetch(target, { ...init, headers: { ...(init?.headers as Record<string, string>), 'X-Shopify-Shop-Domain': shopDomain } });
    },
  });

  return {
    async request<T>(operation: string, query: string, variables?: Record<string, unknown>): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const reserved = throttle.costOf(operation);
        await throttle.reserve(reserved);
        let response: Response;
        let answer: GraphQLAnswer;
        try {
          response = await client.fetch(query, { variables, signal: AbortSignal.timeout(timeoutMs) });
          const text = await response.text();
          answer = text ? (JSON.parse(text) as GraphQLAnswer) : {};
        } catch (error) {
          throttle.observe(operation, reserved, undefined);
          throw new ShopifyError('transient', `Shopify could not be reached: ${(error as Error).message}`.slice(0, 300));
        }
        throttle.observe(operation, reserved, answer.extensions?.cost);
        const codes = Array.isArray(answer.errors) ? answer.errors.map((e) => e.extensions?.code) : [];
        if (response.status === 429 || codes.includes('THROTTLED')) {
          throttle.throttled++;
          if (attempt >= MAX_THROTTLED_RETRIES) throw new ShopifyError('transient', 'Shopify kept answering THROTTLED');
          const status = answer.extensions?.cost?.throttleStatus;
          const requested = answer.extensions?.cost?.requestedQueryCost ?? reserved;
          // No refill will ever hold it: waiting would be for ever.
          if (status && requested > status.maximumAvailable) {
            throw new ShopifyError('permanent', `${operation} costs ${requested} points, more than this shop's bucket holds (${status.maximumAvailable})`);
          }
          const retryAfter = Number(response.headers.get('retry-after'));
          const waitMs = status ? ((requested - status.currentlyAvailable) / status.restoreRate) * 1000 : Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000;
          await sleep(Math.max(50, Math.ceil(waitMs)));
          continue;
        }
        if (response.status === 401 || response.status === 403) throw new ShopifyError('revoked', `Shopify refused the access token (HTTP ${response.status}): reconnect the store`);
        // 402: the shop is frozen (unpaid); 404: no such shop (or the app is gone); 423: the shop is locked.
        if (response.status === 402 || response.status === 404 || response.status === 423) throw new ShopifyError('revoked', `Shopify answered HTTP ${response.status} for ${shopDomain}`);
        if (response.status >= 500) throw new ShopifyError('transient', `Shopify answered HTTP ${response.status}`);
        if (!response.ok) throw new ShopifyError('permanent', `Shopify answered HTTP ${response.status}`);
        if (answer.errors) {
          const message = Array.isArray(answer.errors) ? answer.errors.map((e) => e.message).join('; ') : JSON.stringify(answer.errors);
          if (codes.includes('ACCESS_DENIED')) throw new ShopifyError('revoked', `Shopify denied access (a scope is missing?): ${message}`.slice(0, 500));
          if (codes.includes('INTERNAL_SERVER_ERROR')) throw new ShopifyError('transient', `Shopify: ${message}`.slice(0, 500));
          throw new ShopifyError('permanent', `Shopify: ${message}`.slice(0, 500));
        }
        return answer.data as T;
      }
    },
  };
}
