/**
 * How one page read folds into an AliExpress order the sync knows: the sync pipeline's one rule
 * for it. The newest capture decides the status and the order's fields; packages are only ever
 * added or refreshed, each by its own newest read. The pipeline applies reads oldest first and
 * builds its write rows from what this leaves.
 */
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

/**
 * Applies one read to the in-memory state and records what to write; answers whether anything it
 * knew changed. The rules the per-row writes had, unchanged.
 */
export function foldRead(ali: KnownAli, read: AliOrder, captured: Date, packageWrites: Map<string, PackageWrite>): boolean {
  let changed = false;
  // A snapshot older than what was applied already (an outbox retry) must not roll the status back.
  if (!ali.last_seen_at || captured >= ali.last_seen_at) {
    const status = read.status === 'unknown' ? ali.status : read.status;
    changed = status !== ali.status;
    // Fields a page does not show keep what an earlier read (or the database) had.
    const w = ali.write;
    ali.write = {
      statusText: read.statusText ?? w?.statusText ?? null,
      orderedAt: read.orderedAt ?? w?.orderedAt ?? null,
      paidAt: paidInstant(read.paidAt) ?? w?.paidAt ?? null,
      totalAmount: read.total ? String(read.total.amount) : (w?.totalAmount ?? null),
      totalCurrency: read.total?.currency ?? w?.totalCurrency ?? null,
    };
    ali.status = status;
    ali.last_seen_at = captured;
  }
  // Packages are only ever added or refreshed: a page that shows none says nothing about them.
  for (const pkg of read.packages) {
    const times = pkg.events.map((e) => Date.parse(e.at));
    const lastEventAt = times.length ? new Date(Math.max(...times)) : null;
    const firstEventAt = times.length ? new Date(Math.min(...times)) : null;
    const before = ali.packages.get(pkg.trackingNumber);
    if (before?.read_at && before.read_at > captured) continue;
    if (!before || before.tracking_status !== pkg.trackingStatus || iso(before.last_event_at) !== iso(lastEventAt)) changed = true;
    ali.packages.set(pkg.trackingNumber, { tracking_status: pkg.trackingStatus, last_event_at: lastEventAt, read_at: captured });
    const key = `${ali.pk}/${pkg.trackingNumber}`;
    const w = packageWrites.get(key);
    // Map order is first-write order, so new packages get their ids in the order they were read.
    packageWrites.set(key, {
      aliPk: ali.pk,
      trackingNumber: pkg.trackingNumber,
      carrier: pkg.carrier ?? w?.carrier ?? null,
      trackingStatus: pkg.trackingStatus,
      events: pkg.events,
      lastEventAt,
      firstEventAt: !w?.firstEventAt || (firstEventAt && firstEventAt < w.firstEventAt) ? firstEventAt : w.firstEventAt,
      firstSeenAt: w?.firstSeenAt ?? captured,
      readAt: captured,
    });
  }
  return changed;
}

