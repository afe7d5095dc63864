/**
 * Ordinary reads of recognised pages keep what they could not read for the page report (bounded,
 * one entry per text or code, in IndexedDB so a dead worker loses nothing), and say which
 * AliExpress site the merchant uses.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache, readMeta, type CacheDb } from '../../../lib/cache/db';
import { MAX_UNREAD, UNREAD_KEPT_DAYS } from '../../../lib/cache/unread';
import type { Snapshot } from '../../../lib/domain/snapshot';
import { recordSnapshot } from '../../../lib/sync/engine';

const expected = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/pages/${name}.expected.json`, import.meta.url), 'utf8')) as Snapshot;
const spanish = expected('mtop-order-list-es-all');
const at = (snapshot: Snapshot, capturedAt: string, url = snapshot.url): Snapshot => ({ ...snapshot, capturedAt, url });

/** An order whose status text no dictionary knows, one text per `i`. */
const unreadOrder = (i: number) => ({ aliOrderId: `82143980621${String(i).padStart(5, '0')}`, status: 'unknown' as const, statusText: `[es] text ${'x'.repeat(i % 7)}${i}`, packages: [] });

/** A read of `count` such orders, as the readers report them. */
function many(from: number, count: number, capturedAt: string): Snapshot {
  const orders = Array.from({ length: count }, (_, k) => unreadOrder(from + k));
  return { ...spanish, capturedAt, orders, warnings: orders.map((o) => `order ${o.aliOrderId}: unknown status text "${o.statusText}"`) };
}

let cache: CacheDb;
let keys = 0;
const newKey = () => `key-${++keys}`;
beforeEach(() => {
  cache = openCache(`unread-${Math.random()}`);
});
afterEach(() => cache.delete());

describe('what reads could not read, kept for the page report', () => {
  it('a Spanish list keeps its unsourced texts once each, where and how they were read; reading it again counts, and adds nothing', async () => {
    await recordSnapshot(cache, at(spanish, '2026-11-22T09:00:00.000Z'), newKey);
    await recordSnapshot(cache, at(spanish, '2026-11-22T09:10:00.000Z'), newKey);
    const entries = await cache.unread.toArray();
    expect(entries.map((e) => e.value).sort()).toEqual(['[es] awaiting delivery', '[es] completed', '[es] expired', '[es] other']);
    expect(entries.find((e) => e.value === '[es] other')).toMatchObject({
      what: 'status_text',
      kind: 'order_list',
      site: 'es.aliexpress.com',
      status: 'unknown',
      aliOrderId: '8211781299384136',
      warning: 'order 8211781299384136: unknown status text "[es] other"',
      firstAt: '2026-11-22T09:00:00.000Z',
      lastAt: '2026-11-22T09:10:00.000Z',
      reads: 2,
    });
    // A worker that dies loses nothing: a new connection reads the same entries.
    const again = openCache(cache.name);
    expect(await again.unread.count()).toBe(4);
    again.close();
  });

  it('a late read of an older page counts, without changing where the text was read last', async () => {
    await recordSnapshot(cache, at(spanish, '2026-11-22T09:10:00.000Z'), newKey);
    await recordSnapshot(cache, at(spanish, '2026-11-22T09:00:00.000Z', 'https://www.aliexpress.com/p/order/index.html'), newKey);
    expect(await cache.unread.get('status_text [es] other')).toMatchObject({ site: 'es.aliexpress.com', firstAt: '2026-11-22T09:00:00.000Z', lastAt: '2026-11-22T09:10:00.000Z', reads: 2 });
  });

  it('a tracking code never seen is kept from a tracking page, and from a page whose order is unknown', async () => {
    const pickup = expected('mtop-tracking-pickup');
    await recordSnapshot(cache, { ...at(pickup, '2026-11-22T09:00:00.000Z'), orders: [] }, newKey);
    expect(await cache.unread.get('tracking_code AE_GTMS_NOT_A_SOURCED_CODE')).toMatchObject({ kind: 'tracking', trackingNumber: 'UC0000000001BR', reads: 1 });
    await recordSnapshot(cache, at(pickup, '2026-11-22T09:05:00.000Z'), newKey);
    expect(await cache.unread.get('tracking_code AE_GTMS_NOT_A_SOURCED_CODE')).toMatchObject({ aliOrderId: '100426841571559', reads: 2 });
  });

  it(`keeps at most ${MAX_UNREAD}, the ones seen last, and none not seen for ${UNREAD_KEPT_DAYS} days`, async () => {
    await recordSnapshot(cache, many(0, 60, '2026-11-01T09:00:00.000Z'), newKey);
    await recordSnapshot(cache, many(60, 60, '2026-11-02T09:00:00.000Z'), newKey);
    expect(await cache.unread.count()).toBe(MAX_UNREAD);
    // The oldest read's texts went first.
    expect((await cache.unread.orderBy('lastAt').first())?.lastAt).toBe('2026-11-01T09:00:00.000Z');
    expect(await cache.unread.where('lastAt').equals('2026-11-01T09:00:00.000Z').count()).toBe(40);
    await recordSnapshot(cache, many(200, 1, '2026-12-02T10:00:00.000Z'), newKey);
    expect((await cache.unread.toArray()).map((e) => e.lastAt)).toEqual(['2026-12-02T10:00:00.000Z']);
  });

  it('pages the readers did not recognise, and pages read fine, add nothing', async () => {
    await recordSnapshot(cache, { kind: 'unknown', url: 'https://es.aliexpress.com/p/order/index.html', capturedAt: '2026-11-22T09:00:00.000Z', orders: [], warnings: ['order 8211781299384136: unknown status text "x"'] }, newKey);
    await recordSnapshot(cache, at(expected('order-list-en'), '2026-11-22T09:01:00.000Z'), newKey);
    expect(await cache.unread.count()).toBe(0);
  });
});

describe("the merchant's AliExpress site", () => {
  it('is where their latest order page was read: not Cainiao, not the login host, not an older read', async () => {
    expect(await readMeta(cache, 'aliexpressOrigin')).toBeUndefined();
    const us = expected('mtop-order-list-us');
    await recordSnapshot(cache, at(us, '2026-11-22T09:00:00.000Z'), newKey);
    expect(await readMeta(cache, 'aliexpressOrigin')).toEqual({ origin: 'https://www.aliexpress.us', at: '2026-11-22T09:00:00.000Z' });
    const cainiao = { ...at(us, '2026-11-22T09:05:00.000Z', 'https://global.cainiao.com/global/detail.json?mailNos=LP1&lang=en-US'), kind: 'tracking' as const };
    await recordSnapshot(cache, cainiao, newKey);
    await recordSnapshot(cache, at(spanish, '2026-11-22T08:00:00.000Z'), newKey);
    expect((await readMeta(cache, 'aliexpressOrigin'))?.origin).toBe('https://www.aliexpress.us');
    await recordSnapshot(cache, { ...at(spanish, '2026-11-22T10:00:00.000Z'), orders: [] }, newKey);
    expect(await readMeta(cache, 'aliexpressOrigin')).toEqual({ origin: 'https://es.aliexpress.com', at: '2026-11-22T10:00:00.000Z' });
  });
});
