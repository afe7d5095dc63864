/**
 * A list of AliExpress order ids as the cache's bookkeeping records keep it (the outbox's index,
 * the log of reads): one comma-separated string, which IndexedDB copies at once where an array of
 * 1,000 ids is copied item by item, with its lowest and highest id. Order ids grow with time and a
 * page shows orders of about the same time, so two pages' ranges rarely meet: a record whose range
 * misses a read's is passed over without splitting its ids.
 */
export interface IdList {
  /** Comma-separated. */
  aliOrderIds: string;
  low: string;
  high: string;
}

/** Numeric order for digit strings of any length. */
export const compareIds = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export function idList(ids: Iterable<string>): IdList {
  const all = [...ids];
  let low = all[0] ?? '';
  let high = low;
  for (const id of all) {
    if (compareIds(id, low) < 0) low = id;
    if (compareIds(id, high) > 0) high = id;
  }
  return { aliOrderIds: all.join(), low, high };
}

export const idsOf = (list: IdList): string[] => (list.aliOrderIds === '' ? [] : list.aliOrderIds.split(','));

/** Whether the two lists may have ids in common (their ranges meet). */
export const rangesMeet = (a: Pick<IdList, 'low' | 'high'>, b: Pick<IdList, 'low' | 'high'>): boolean =>
  compareIds(a.low, b.high) <= 0 && compareIds(b.low, a.high) <= 0;

/**
 * The ids of `list` left once `shown` (the ids of a newer read, within `range`) are taken out; undefined
 * when it holds none of them. A list whose range misses `range` is passed over without splitting.
 */
export function idsLeft(list: IdList, shown: ReadonlySet<string>, range: Pick<IdList, 'low' | 'high'>): string[] | undefined {
  if (!rangesMeet(list, range)) return undefined;
  const before = idsOf(list);
  const kept = before.filter((id) => !shown.has(id));
  return kept.length === before.length ? undefined : kept;
}
