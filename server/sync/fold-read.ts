/**
 * How one page read folds into an AliExpress order the sync knows: the shared rule
 * (lib/domain/ali-order-fold.ts: the newest capture decides the status and the order's fields;
 * packages are only ever added or refreshed, each by its own newest read), applied to the rows the
 * sync read. The pipeline applies reads oldest first and builds its write rows from what this leaves.
 */
import { foldAliOrderRead, type KnownAliOrder } from '../../lib/domain/ali-order-fold';
import type { StatusSource } from '../../lib/domain/ali-order';
import type { AliOrder, AliOrderStatus, Package, TrackingStatus } from '../../lib/domain/snapshot';
import { iso } from '../rows';

/** A package as the database holds it, then as the reads so far leave it. */
export interface KnownPackage {
  tracking_status: TrackingStatus;
  last_event_at: Date | null;
  read_at: Date | null;
}

/** An AliExpress order of a locked store order, then as the reads so far leave it. */
export interface KnownAli {
  pk: string;
  ali_order_id: string;
  store_order_id: string;
  status: AliOrderStatus;
  /** What decided `status` (null: no read said). */
  status_source: StatusSource | null;
  last_seen_at: Date | null;
  /** By tracking number. */
  packages: Map<string, KnownPackage>;
  /** Set once a read passes the staleness guard: what the update writes (nulls keep the stored value). */
  write?: {
    statusText: string | null;
    orderedAt: string | null;
    paidAt: string | null;
    totalAmount: string | null;
    totalCurrency: string | null;
    /** The site of the newest order page it was read on. */
    aliexpressOrigin: string | null;
  };
}

/** The row one upsert writes for a package, folded over every read of it that passed its guard. */
export interface PackageWrite {
  aliPk: string;
  trackingNumber: string;
  /** Null keeps the stored carrier. */
  carrier: string | null;
  trackingStatus: TrackingStatus;
  events: Package['events'];
  lastEventAt: Date | null;
  /** Earliest of the reads (the upsert also keeps an earlier stored one). */
  firstEventAt: Date | null;
  firstSeenAt: Date;
  readAt: Date;
}


/** A paid day without a time of day counts from the start of that day (UTC), for the 7-day rule. */
function paidInstant(paidAt: string | undefined): string | null {
  if (!paidAt) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(paidAt) ? `${paidAt}T00:00:00Z` : paidAt;
}

/** What the sync knows of an AliExpress order, in the shape the shared fold takes. */
function knownOrder(ali: KnownAli): KnownAliOrder {
  const packages = [...ali.packages];
  return {
    // The rows keep each package's status and newest event time, not its events: the fold compares those.
    order: { aliOrderId: ali.ali_order_id, status: ali.status, packages: packages.map(([trackingNumber, p]) => ({ trackingNumber, trackingStatus: p.tracking_status, events: [] })) },
    readAt: iso(ali.last_seen_at),
    packageReadAt: Object.fromEntries(packages.flatMap(([trackingNumber, p]) => (p.read_at ? [[trackingNumber, p.read_at.toISOString()]] : []))),
    packageLastEventAt: Object.fromEntries(packages.map(([trackingNumber, p]) => [trackingNumber, iso(p.last_event_at)])),
  };
}

const dateOrNull = (at: string | null) => (at === null ? null : new Date(at));

/**
 * Applies one read to the in-memory state through the shared fold (lib/domain/ali-order-fold.ts,
 * the rule the extension's cache applies too) and records the rows to write from its result;
 * answers whether anything the merchant would notice changed.
 */
export function foldRead(ali: KnownAli, read: AliOrder, captured: Date, packageWrites: Map<string, PackageWrite>, origin?: string): boolean {
  const fold = foldAliOrderRead(knownOrder(ali), read, captured.toISOString());
  if (fold.tookOrder) {
    // Fields a page does not show keep what an earlier read (or the database: null) had.
    const w = ali.write;
    ali.write = {
      statusText: read.statusText ?? w?.statusText ?? null,
      orderedAt: read.orderedAt ?? w?.orderedAt ?? null,
      paidAt: paidInstant(read.paidAt) ?? w?.paidAt ?? null,
      totalAmount: read.total ? String(read.total.amount) : (w?.totalAmount ?? null),
      totalCurrency: read.total?.currency ?? w?.totalCurrency ?? null,
      aliexpressOrigin: origin ?? w?.aliexpressOrigin ?? null,
    };
    // The evidence goes with the status it decided: a read whose own status was unknown (the known
    // one stays) leaves that status's evidence, and one that says none keeps it only for the same status.
    if (fold.status === read.status) ali.status_source = read.statusSource ?? (fold.status === ali.status ? ali.status_source : null);
    ali.status = fold.status;
    ali.last_seen_at = captured;
  }
  for (const { pkg, lastEventAt, firstEventAt } of fold.packages) {
    const last = dateOrNull(lastEventAt);
    const first = dateOrNull(firstEventAt);
    ali.packages.set(pkg.trackingNumber, { tracking_status: pkg.trackingStatus, last_event_at: last, read_at: captured });
    const key = `${ali.pk}/${pkg.trackingNumber}`;
    const w = packageWrites.get(key);
    // Map order is first-write order, so new packages get their ids in the order they were read.
    packageWrites.set(key, {
      aliPk: ali.pk,
      trackingNumber: pkg.trackingNumber,
      carrier: pkg.carrier ?? w?.carrier ?? null,
      trackingStatus: pkg.trackingStatus,
      events: pkg.events,
      lastEventAt: last,
      firstEventAt: !w?.firstEventAt || (first && first < w.firstEventAt) ? first : w.firstEventAt,
      firstSeenAt: w?.firstSeenAt ?? captured,
      readAt: captured,
    });
  }
  return fold.changed;
}
