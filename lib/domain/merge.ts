import type { AliOrder, Package } from './snapshot';

/**
 * What is known of an AliExpress order after one more page read. Newer reads win field by field;
 * a read that does not show a field (the list shows no packages, no paid time) keeps the old
 * value, and an `unknown` status never replaces a known one.
 */
export function mergeAliOrder(previous: AliOrder | undefined, next: AliOrder): AliOrder {
  if (!previous) return next;
  const packages = new Map<string, Package>(previous.packages.map((p) => [p.trackingNumber, p]));
  for (const pkg of next.packages) packages.set(pkg.trackingNumber, { ...packages.get(pkg.trackingNumber), ...pkg });
  const known = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined));
  return {
    ...previous,
    ...known,
    status: next.status === 'unknown' ? previous.status : next.status,
    packages: [...packages.values()],
  } as AliOrder;
}
