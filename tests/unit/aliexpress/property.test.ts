/**
 * Mutilated input (truncated, random deletions, shuffled keys, garbage): the readers never throw,
 * every snapshot passes the contract, and no order id appears that the input did not contain.
 * Codes no source names never make a parcel "in transit".
 */
import { readFileSync } from 'node:fs';
import * as fc from 'fast-check';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { readApiResponse, readPageDom } from '../../../lib/aliexpress/read-page';
import { toSnapshot } from '../../../lib/aliexpress/to-snapshot';
import { parseJsonOrJsonp } from '../../../lib/aliexpress/mtop';
import { statusOfCode, statusOfText } from '../../../lib/aliexpress/tracking-status';
import { snapshotSchema } from '../../../lib/domain/snapshot';

const REAL = 'tests/fixtures/aliexpress-real/';
const PAGES = 'tests/fixtures/pages/';
const jsons = [
  ...['mtop-order-list-page1.json', 'mtop-order-detail.json', 'mtop-tracking-querydetail.json', 'cainiao-detail-delivered.json'].map((f) => readFileSync(REAL + f, 'utf8')),
  ...['mtop-order-list-es-all.json', 'mtop-order-list-us.json', 'mtop-tracking-failure-return.json', 'mtop-tracking-pickup.json'].map((f) => readFileSync(PAGES + f, 'utf8')),
];
const htmls = ['order-list-pt.html', 'order-list-narrow-en.html', 'order-list-link-cards-us.html', 'order-detail-8212313961591322.html', 'tracking-page-en.html', 'old-tracking-en.html', 'bot-check-punish.html'].map((f) =>
  readFileSync(PAGES + f, 'utf8'),
);
const URLS = [
  'https://www.aliexpress.com/p/order/index.html',
  'https://www.aliexpress.us/p/order/index.html',
  'https://www.aliexpress.com/p/order/detail.html?orderId=8212313961591322',
  'https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=8212313961591322',
  'https://track.aliexpress.com/logisticsdetail.htm?tradeId=8211781299384136',
];
const AT = '2026-09-07T12:00:00.000Z';

/** Truncation, deletion of a slice, and insertion of garbage, chosen by fast-check. */
const mutilated = (sources: string[]) =>
  fc
    .tuple(fc.constantFrom(...sources), fc.nat(), fc.nat(), fc.nat({ max: 400 }), fc.string({ maxLength: 40 }), fc.constantFrom('truncate', 'delete', 'insert', 'all'))
    .map(([text, a, b, len, garbage, how]) => {
      const i = a % (text.length + 1);
      const j = b % (text.length + 1);
      if (how === 'truncate') return text.slice(0, i);
      if (how === 'delete') return text.slice(0, i) + text.slice(i + len);
      if (how === 'insert') return text.slice(0, i) + garbage + text.slice(i);
      return (text.slice(0, Math.min(i, j)) + garbage + text.slice(Math.max(i, j))).slice(0, Math.max(i, j) + 50);
    });

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, k) => shuffleKeys(v, seed + k));
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v], n) => [k, shuffleKeys(v, seed + n)] as const);
    entries.sort((x, y) => ((x[0].length * 31 + seed) % 7) - ((y[0].length * 31 + seed) % 7));
    return Object.fromEntries(entries);
  }
  return value;
}

function expectHonest(input: string, snapshotIds: string[]): void {
  for (const id of snapshotIds) expect(input).toContain(id);
}

describe('mutilated input', () => {
  it('JSON: never throws, never invents an order id', () => {
    fc.assert(
      fc.property(mutilated(jsons), fc.constantFrom(...URLS), (text, url) => {
        const body = parseJsonOrJsonp(text);
        const snapshot = toSnapshot(readApiResponse(url, body), url, AT);
        expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
        expectHonest(text + url, snapshot.orders.map((o) => o.aliOrderId));
      }),
      { numRuns: 300 },
    );
  });
  it('JSON with shuffled keys reads the same orders', () => {
    fc.assert(
      fc.property(fc.constantFrom(...jsons), fc.nat({ max: 1000 }), (text, seed) => {
        const body = JSON.parse(text);
        const url = URLS[3]!;
        const a = readApiResponse(url, body);
        const b = readApiResponse(url, shuffleKeys(body, seed));
        expect(b.orders.map((o) => o.aliOrderId)).toEqual(a.orders.map((o) => o.aliOrderId));
      }),
      { numRuns: 50 },
    );
  });
  it('HTML: never throws, never invents an order id', () => {
    fc.assert(
      fc.property(mutilated(htmls), fc.constantFrom(...URLS), (text, url) => {
        const document = parseHTML(text).document as unknown as Document;
        const snapshot = toSnapshot(readPageDom(url, document), url, AT);
        expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
        expectHonest(text + url, snapshot.orders.map((o) => o.aliOrderId));
      }),
      { numRuns: 200 },
    );
  });
  it('garbage of any kind is unknown or a reading, never an exception', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), (body, url) => {
        const snapshot = toSnapshot(readApiResponse(url, body), 'https://www.aliexpress.com/', AT);
        expect(snapshotSchema.safeParse(snapshot).success).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

/** A code no source names: any word in code shape that the classification does not know. */
const unknownCode = fc
  .stringMatching(/^(?:AE_)?(?:GTMS|CC|LH|SC|GWMS|PICK_UP|GROUP|CUS)_[A-Z_]{1,20}$/)
  .filter((code) => statusOfCode(code) === undefined);
const silentText = fc.string({ maxLength: 30 }).filter((text) => statusOfText(text) === undefined);

describe('unknown tracking codes', () => {
  const real = JSON.parse(readFileSync(REAL + 'mtop-tracking-querydetail.json', 'utf8')) as { data: { module: { trackingDetailLineList: { detailList: Record<string, unknown>[] }[] } } };
  it('never read as in transit, whatever their family prefix', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(unknownCode, fc.option(unknownCode), silentText), { minLength: 1, maxLength: 12 }), (events) => {
        const body = structuredClone(real);
        const line = body.data.module.trackingDetailLineList[0]!;
        line.detailList = events.map(([primary, second, text], i) => ({
          time: 1785512111654 - i * 3_600_000,
          trackingPrimaryCode: primary,
          ...(second && { trackingSecondCode: second }),
          trackingName: text,
          trackingDetailDesc: text,
        }));
        const reading = readApiResponse(URLS[3]!, body);
        for (const pkg of reading.orders.flatMap((o) => o.packages)) expect(pkg.trackingStatus).not.toBe('in_transit');
        expect(reading.warnings.some((w) => w.includes('unknown tracking code'))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
