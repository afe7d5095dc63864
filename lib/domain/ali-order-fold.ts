/**
 * How one page read folds into what is known of an AliExpress order. The extension's cache and the
 * backend both apply it, so a late read cannot roll one back while the other keeps the newer one:
 *
 * - The capture time decides. A read captured before the read that set the status and fields
 *   (an outbox retry, a tab that reported late) leaves them alone; a read at the same time or later
 *   takes them. An `unknown` status never replaces a known one; a field the page does not show
 *   (the list shows no paid time) keeps what an earlier read had.
 * - Packages are only ever added or refreshed: a page that shows none says nothing about them. A
 *   package read older than the package's own last read is ignored.
 *
 * Pure and zod-free; the types are only the snapshot's (type imports, erased from bundles).
 */
import type { AliOrder, AliOrderStatus, Package } from './ali-order';

/** What is known of an AliExpress order, and when the reads behind it were captured (ISO). */
export interface KnownAliOrder {
  order: AliOrder;
  /** When the read that set the status and fields was captured; null when no read has. */
  readAt: string | null;
  /** When each package (by tracking number) was last read; a package without one counts as never read. */
  packageReadAt: Readonly<Record<string, string>>;
  /**
   * Each package's newest event time (ISO), where the holder keeps that rather than the events
   * (the backend's rows); packages not named here are compared by their events.
   */
  packageLastEventAt?: Readonly<Record<string, string | null>>;
}

/** A package this read wrote, as it now stands: one row to write. */
export interface PackageFold {
  pkg: Package;
  /** Not known before this read. */
  added: boolean;
  /** The newest and the oldest of the read's carrier events (ISO); null without events. */
  lastEventAt: string | null;
  firstEventAt: string | null;
}

export interface AliOrderFold {
  /** What is known after the read. */
  known: KnownAliOrder;
  /** Something the merchant would notice moved: the status, a new package, or a package's status or newest event. */
  changed: boolean;
  /** The read was not older than the known status and fields, and they were taken from it. */
  tookOrder: boolean;
  /** The status the read leaves (an `unknown` read keeps the known one). */
  status: AliOrderStatus;
  /** The packages the read wrote, in the order it showed them; packages it did not show, or showed older than their last read, are not here. */
  packages: PackageFold[];
}

/** The newest and oldest event times of a package (ISO), null without events. */
export function eventSpan(events: Package['events']): { lastEventAt: string | null; firstEventAt: string | null } {
  let last: number | undefined;
  let first: number | undefined;
  for (const event of events) {
    const t = Date.parse(event.at);
    if (last === undefined || t > last) last = t;
    if (first === undefined || t < first) first = t;
  }
  return { lastEventAt: last === undefined ? null : new Date(last).toISOString(), firstEventAt: first === undefined ? null : new Date(first).toISOString() };
}

/** Folds `read`, captured at `capturedAt` (ISO), into `known` (undefined: never read before). */
export function foldAliOrderRead(known: KnownAliOrder | undefined, read: AliOrder, capturedAt: string): AliOrderFold {
  const at = Date.parse(capturedAt);
  const previous = known?.order;
  const tookOrder = !known || known.readAt === null || at >= Date.parse(known.readAt);
  const status = !previous ? read.status : tookOrder && read.status !== 'unknown' ? read.status : previous.status;
  let changed = !previous || status !== previous.status;

  const packages = new Map<string, Package>((previous?.packages ?? []).map((p) => [p.trackingNumber, p]));
  const packageReadAt: Record<string, string> = { ...known?.packageReadAt };
  const written: PackageFold[] = [];
  for (const pkg of read.packages) {
    const before = packages.get(pkg.trackingNumber);
    const readBefore = packageReadAt[pkg.trackingNumber];
    if (before && readBefore !== undefined && Date.parse(readBefore) > at) continue;
    const span = eventSpan(pkg.events);
    const lastEventBefore = known?.packageLastEventAt?.[pkg.trackingNumber] ?? (before ? eventSpan(before.events).lastEventAt : null);
    if (!before || before.trackingStatus !== pkg.trackingStatus || lastEventBefore !== span.lastEventAt) changed = true;
    // A carrier the page does not name keeps the one an earlier read named.
    const merged = { ...before, ...withoutUndefined(pkg) } as Package;
    packages.set(pkg.trackingNumber, merged);
    packageReadAt[pkg.trackingNumber] = capturedAt;
    written.push({ pkg: merged, added: !before, ...span });
  }

  const fields = !previous ? read : tookOrder ? { ...previous, ...withoutUndefined(read) } : previous;
  const order = { ...fields, status, packages: [...packages.values()] } as AliOrder;
  const readAt = tookOrder ? capturedAt : known!.readAt;
  const packageLastEventAt = known?.packageLastEventAt && { ...known.packageLastEventAt, ...Object.fromEntries(written.map((w) => [w.pkg.trackingNumber, w.lastEventAt])) };
  return { known: { order, readAt, packageReadAt, ...(packageLastEventAt && { packageLastEventAt }) }, changed, tookOrder, status, packages: written };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
