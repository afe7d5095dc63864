/** What an observed answer is about comes from the tab that saw it and the answer's own body. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readObservedInTab } from '../../../lib/capture/observed-answer';

const TRACKED = '8212313961591322';
const OTHER = '8209871234560013';
const trackingTab = (id: string) => `https://www.aliexpress.com/p/tracking/index.html?_addShare=no&tradeOrderId=${id}`;
const answer = readFileSync(new URL(`../../fixtures/pages/tracking/querydetail-${TRACKED}.json`, import.meta.url), 'utf8');
const tracking = { api: 'mtop.ae.ld.querydetail', text: answer };

describe("reading an observed answer as its tab's", () => {
  it("reads a tracking answer as the order its tab and its own links name", () => {
    const reading = readObservedInTab(tracking, trackingTab(TRACKED));
    expect(reading.kind).toBe('tracking');
    expect(reading.orders.map((o) => [o.aliOrderId, o.packages?.map((p) => p.trackingNumber)])).toEqual([[TRACKED, ['LP961591322BR']]]);
  });

  it("refuses a tracking answer in a tab whose URL names another order than the answer's links", () => {
    const reading = readObservedInTab(tracking, trackingTab(OTHER));
    expect(reading).toMatchObject({ kind: 'unknown', orders: [] });
    expect(reading.warnings.at(-1)).toContain(`names order ${TRACKED}, the tab's URL ${OTHER}`);
  });

  it('reads init data on the order list only: on any other page a script could have passed it', () => {
    const init = JSON.stringify(JSON.parse(answer));
    expect(readObservedInTab({ api: 'init', text: init }, trackingTab(TRACKED))).toMatchObject({ kind: 'unknown', orders: [] });
    const list = readFileSync(new URL('../../fixtures/aliexpress-real/mtop-order-list-page1.json', import.meta.url), 'utf8');
    expect(readObservedInTab({ api: 'init', text: JSON.stringify({ data: JSON.parse(list).data }) }, 'https://www.aliexpress.com/p/order/index.html').kind).toBe('order_list');
  });
});
