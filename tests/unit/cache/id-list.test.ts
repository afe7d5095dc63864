import { describe, expect, it } from 'vitest';
import { compareIds, idList, idsLeft, idsOf, rangesMeet } from '../../../lib/cache/id-list';

/** What idsLeft takes of a newer read: its ids and their range. */
const read = (ids: string[]) => [new Set(ids), idList(ids)] as const;

describe('id lists of the cache bookkeeping', () => {
  it('keeps the ids and their lowest and highest, numerically', () => {
    const list = idList(['8214398062177351', '999', '8210505692320516']);
    expect(list).toEqual({ aliOrderIds: '8214398062177351,999,8210505692320516', low: '999', high: '8214398062177351' });
    expect(idsOf(list)).toEqual(['8214398062177351', '999', '8210505692320516']);
    expect(idsOf(idList([]))).toEqual([]);
    expect(compareIds('10', '9')).toBeGreaterThan(0);
  });

  it('tells lists whose ranges cannot share an id', () => {
    const page1 = idList(['8214000000000010', '8214000000000020']);
    const page2 = idList(['8213000000000010', '8213000000000020']);
    const across = idList(['8213000000000015', '8214000000000015']);
    expect(rangesMeet(page1, page2)).toBe(false);
    expect(rangesMeet(page1, across)).toBe(true);
    expect(rangesMeet(across, page2)).toBe(true);
    expect(rangesMeet(page1, idList(['8214000000000020']))).toBe(true);
  });

  it('says which ids a list keeps once a newer read shows some of them, and passes over one it does not touch', () => {
    const older = idList(['8214000000000010', '8214000000000020', '8214000000000030']);
    expect(idsLeft(older, ...read(['8214000000000020', '8214000000000040']))).toEqual(['8214000000000010', '8214000000000030']);
    expect(idsLeft(older, ...read(['8214000000000010', '8214000000000020', '8214000000000030']))).toEqual([]);
    expect(idsLeft(older, ...read(['8214000000000015', '8214000000000025']))).toBeUndefined();
    expect(idsLeft(older, ...read(['8213000000000010']))).toBeUndefined();
  });
});
