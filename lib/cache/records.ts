/**
 * What the cache's stores hold, as plain types: the worker writes them through Dexie (db.ts), the
 * extension pages read them with plain IndexedDB (reader.ts), the migrations upgrade them. Dexie-free.
 */
import type { Unread } from '../aliexpress/unread';
import type { TrackingRefreshState } from '../cainiao/refresh-plan';
import type { OrderView } from '../domain/api';
import type { OrderPageKind } from '../domain/page-kinds';
import type { QuotaState } from '../domain/quota';
import type { AliOrder, Snapshot, SnapshotKind } from '../domain/snapshot';
import type { IdList } from './id-list';

export type { OrderPageKind } from '../domain/page-kinds';

/** Why a pass could not reach or use the backend (lib/sync/backend-client.ts raises them). */
export type BackendErrorKind =
  /** Network failure, DNS, connection refused, CORS: the backend could not be reached. */
  | 'unreachable'
  /** 401: the token is missing, wrong or revoked. */
  | 'unauthorized'
  /** 4xx other than 401: the request itself was refused; retrying it unchanged will not help. */
  | 'rejected'
  /** 429 or 5xx, or an answer that does not match the API: try again later. */
  | 'unavailable'
  /** No backend URL or token configured. */
  | 'not_configured';

/**
 * An AliExpress order as last read from the merchant's pages. A read that shows it unchanged
 * leaves its row alone: when pages showed it is kept in `seen`, and which unsent snapshots carry
 * it in the outbox's index (`MetaRecords.queuedOrders`), because one IndexedDB record costs about
 * as much to write whatever its size, and rewriting every order's row on every read was most of
 * what reading a big order list cost.
 */
export interface CachedAliOrder {
  aliOrderId: string;
  order: AliOrder;
  /**
   * When each package (by tracking number) was last read, so a late read of an older page cannot
   * roll it back (lib/domain/ali-order-fold.ts). When the status was read is the order's time in
   * `seen`. Absent while no page showed a package.
   */
  packageReadAt?: Record<string, string>;
}

/** One page read in the log of when pages last showed each order (seen.ts): the orders it showed that no newer read has shown since. */
export interface SeenRead extends IdList {
  id?: number;
  /** When the page was read (ISO). */
  at: string;
}

/** An unsent outbox entry of an order page, with the orders it carries (for latest-wins coalescing). */
export interface QueuedEntry extends IdList {
  id: number;
  kind: OrderPageKind;
  capturedAt: string;
}

/** A store order as the backend last described it. */
export interface CachedStoreOrder extends OrderView {
  /** Its AliExpress orders' ids, for the popup's links between the two. */
  aliOrderIds: string[];
  /** When the backend sent this view of it; a pull that finds it unchanged leaves the row as it is. */
  pulledAt: string;
}

/** A snapshot waiting to reach the backend. */
export interface OutboxEntry {
  id?: number;
  /** Names this exact snapshot: an entry whose orders change gets a new one. */
  idempotencyKey: string;
  snapshot: Snapshot;
  createdAt: string;
  /** Tries the backend did not take (refused, or failed while the rest of the pass went through). */
  attempts: number;
  lastError?: string;
  /** Of those, the times the backend answered and did not take it (4xx, or 5xx while the rest went through): MAX_ENTRY_REFUSALS parks it. */
  refusals?: number;
  /** The HTTP status of the last refusal. */
  lastStatus?: number;
  /** This entry waits until then (its own backoff), while the rest of the outbox keeps flowing. */
  nextAttemptAt?: string;
}

/**
 * An outbox entry the backend refused MAX_ENTRY_REFUSALS times (lib/sync/engine.ts), moved aside so it stops blocking
 * and being retried: kept whole, with the backend's reason, for the popup and the page report.
 */
export interface ParkedEntry {
  id?: number;
  entry: OutboxEntry;
  /** The backend's last words about it. */
  reason: string;
  status?: number;
  parkedAt: string;
}

export interface PageProblem {
  kind: Exclude<SnapshotKind, OrderPageKind>;
  url: string;
  at: string;
  warnings: string[];
  /** A bounded copy of the page the readers did not recognise, for the page report. */
  sample?: string;
}

/**
 * A status text or code the readers could not read on a page they recognised, kept for the page
 * report: one entry per text or code (`key`, from unreadKey), however often pages show it, with
 * where it was read last. Bounded (lib/sync/engine.ts: MAX_UNREAD).
 */
export interface UnreadEntry extends Unread {
  key: string;
  kind: OrderPageKind;
  /** The host of the page (es.aliexpress.com, www.aliexpress.us, global.cainiao.com): the site and, on a language subdomain, its language. */
  site: string;
  firstAt: string;
  lastAt: string;
  /** How many reads showed it. */
  reads: number;
}

/** Where the merchant's AliExpress is: the origin of the latest order page read on one of its sites. */
export interface AliExpressOrigin {
  origin: string;
  /** When that read was captured; an older read from elsewhere does not move it back. */
  at: string;
}

export interface SyncStatus {
  lastSyncAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  /** Failed passes in a row. */
  failures?: number;
  /** Passes started by page reads wait until then (exponential backoff after failures). */
  retryAt?: string;
  /** No automatic pass before then: the backend asked for it (Retry-After). */
  retryAfterAt?: string;
  /** The token was refused or is missing: automatic passes wait for the merchant to fix it. */
  needsToken?: boolean;
  /** What kind of failure the last one was, so the popup can say what to do. */
  lastErrorKind?: BackendErrorKind;
  /** The last pass went through, but the backend refuses some of what was read. */
  refused?: RefusedChanges;
}

/** Outbox entries the backend refuses: still retried on their own backoff, or parked; and its last words. */
export interface RefusedChanges {
  retrying: number;
  parked: number;
  reason: string;
}

/** The backend's last word on the manual-sync quota, so the popup can show it before the click. */
export interface QuotaMirror {
  quota: QuotaState;
  /** When the backend said it. */
  receivedAt: string;
}

/** The last "refresh this order" from the popup: its progress and how it ended, for the order's row. */
export interface OrderRefreshRecord {
  storeOrderId: string;
  status: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt?: string;
  /** Requests to Cainiao's public tracking, and AliExpress pages loaded. */
  cainiaoRequests: number;
  pagesLoaded: number;
  /** What went wrong, in words for the merchant. */
  problem?: string;
}

export interface MetaRecords {
  syncStatus: SyncStatus;
  /** The login page, bot check or unreadable page seen last; cleared by the next good read (banners). */
  lastPageProblem: PageProblem;
  /**
   * When an order page last read fine, with or without orders (an empty list shows none, so the
   * `seen` log cannot tell): page problems seen before it are over.
   */
  lastGoodReadAt: string;
  /** The same, kept until the next problem: what the options page's page report is made from. */
  pageReport: PageProblem;
  quota: QuotaMirror;
  /** Every unsent entry of an order page and its orders; entries sent since are pruned on the next read. */
  queuedOrders: QueuedEntry[];
  /** Cainiao's batched refresh: when each number was refreshed, which it cannot serve, its backoff. */
  trackingRefresh: TrackingRefreshState;
  orderRefresh: OrderRefreshRecord;
  /** The links the popup shows and the pages a sync opens go to this site (default www.aliexpress.com). */
  aliexpressOrigin: AliExpressOrigin;
}

export interface MetaEntry<K extends keyof MetaRecords = keyof MetaRecords> {
  key: K;
  value: MetaRecords[K];
}
