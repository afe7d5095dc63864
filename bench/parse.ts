/**
 * The order list parsers in a real headless Chromium: lib/aliexpress/order-list.ts bundled with
 * esbuild into the page, timed with performance.now over batches of many calls (the timer is
 * coarse in a page without cross-origin isolation, so one call is never timed alone). The 50-card
 * page is rendered at bench time from the real 10-order capture, each card repeated five times
 * under new order ids with statuses rotated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { isRecord } from '../lib/aliexpress/mtop';
import { orderListUrl } from '../lib/aliexpress/urls';
import { findChromium, INSTALL_HINT } from '../scripts/lib/chromium';
import { ENGLISH, renderOrderListPage } from '../tests/fixtures/tools/render-order-list-page';
import { bundleForPage, median, ROOT, round, underBudget, type Figure } from './lib';

export const REAL_LIST_JSON = join(ROOT, 'tests/fixtures/aliexpress-real/mtop-order-list-page1.json');
const ORDER_LIST_URL = orderListUrl();

type Json = Record<string, unknown>;

/** The real capture with every order card repeated `copies` times under new ids; statuses rotate between copies. */
export function repeatedOrderList(body: unknown, copies: number): Json {
  const clone = structuredClone(body) as { data: { data: Record<string, Json>; hierarchy: { structure: Record<string, string[]> } } };
  const byKey = clone.data.data;
  const orderKeys = Object.keys(byKey).filter((k) => byKey[k]!.tag === 'pc_om_list_order');
  const statuses = orderKeys.map((k) => (byKey[k]!.fields as Json).statusText);
  const bodyKey = Object.keys(clone.data.hierarchy.structure).find((k) => clone.data.hierarchy.structure[k]!.some((c) => orderKeys.includes(c)))!;
  const listed: string[] = [];
  for (let copy = 0; copy < copies; copy++) {
    orderKeys.forEach((key, i) => {
      const original = byKey[key]!;
      const fields = structuredClone(original.fields) as Json;
      const id = String(fields.orderId);
      const newId = copy === 0 ? id : `83${copy}${id.slice(3)}`;
      fields.orderId = newId;
      fields.statusText = statuses[(i + copy) % statuses.length];
      const newKey = `pc_om_list_order_${newId}`;
      byKey[newKey] = { ...original, id: newId, fields };
      listed.push(newKey);
    });
  }
  clone.data.hierarchy.structure[bodyKey] = listed;
  return clone as unknown as Json;
}

type Subject = 'json' | 'json-parsed-once' | 'dom';

/** Times a parser in the page: warm-up, then `batches` batches of `iterations` calls; answers ms per call, per batch. */
async function timeInPage(page: Page, subject: Subject, iterations: number, batches: number): Promise<{ perCall: number[]; sample: unknown }> {
  return page.evaluate(
    (args) => {
      type Parser = typeof import('../lib/aliexpress/order-list');
      const g = globalThis as unknown as { __aosParser: Parser; __benchJson: string };
      const parsed: unknown = JSON.parse(g.__benchJson);
      const fn =
        args.subject === 'json'
          ? () => g.__aosParser.readOrderListJson(JSON.parse(g.__benchJson))
          : args.subject === 'json-parsed-once'
            ? () => g.__aosParser.readOrderListJson(parsed)
            : () => g.__aosParser.readOrderListDom(document);
      let sample: unknown;
      for (let i = 0; i < Math.max(10, args.iterations); i++) sample = fn();
      const perCall: number[] = [];
      for (let b = 0; b < args.batches; b++) {
        const started = performance.now();
        for (let i = 0; i < args.iterations; i++) sample = fn();
        perCall.push((performance.now() - started) / args.iterations);
      }
      return { perCall, sample };
    },
    { subject, iterations, batches },
  );
}

const ms4 = (values: number[]) => values.map((v) => round(v, 4));

export async function measureParsers(): Promise<Figure[]> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  const parser = await bundleForPage(join(ROOT, 'lib/aliexpress/order-list.ts'), '__aosParser');
  const rawJson = readFileSync(REAL_LIST_JSON, 'utf8');
  const realBody: unknown = JSON.parse(rawJson);
  const fiftyCards = renderOrderListPage(repeatedOrderList(realBody, 5), ENGLISH);

  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.route(ORDER_LIST_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: fiftyCards }));
    // Scripts of the saved page (its inline init data) run; nothing else of AliExpress is asked for.
    await page.route(/^https?:\/\/(?!www\.aliexpress\.com\/p\/order\/index\.html)/, (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto(ORDER_LIST_URL);
    await page.evaluate(parser);
    await page.evaluate((text) => {
      (globalThis as unknown as { __benchJson: string }).__benchJson = text;
    }, rawJson);

    const json = await timeInPage(page, 'json', 200, 15);
    const jsonOnly = await timeInPage(page, 'json-parsed-once', 200, 15);
    const dom = await timeInPage(page, 'dom', 20, 15);

    const jsonOrders = isRecord(json.sample) && Array.isArray(json.sample.orders) ? json.sample.orders.length : 0;
    const domOrders = isRecord(dom.sample) && Array.isArray(dom.sample.orders) ? dom.sample.orders.length : 0;
    const domWarnings = isRecord(dom.sample) && Array.isArray(dom.sample.warnings) ? dom.sample.warnings.length : 0;
    const cards = await page.locator('.order-item').count();
    if (jsonOrders !== 10) throw new Error(`the JSON parser read ${jsonOrders} orders from the real capture, expected 10`);
    if (domOrders !== 50) throw new Error(`the DOM parser read ${domOrders} orders from the 50-card page, expected 50`);

    return [
      underBudget(
        {
          id: 'parse.list_json',
          figure: 'parse the real 10-order list JSON in Chromium (JSON.parse + readOrderListJson)',
          value: round(median(json.perCall), 4),
          unit: 'ms',
          details: {
            ordersRead: jsonOrders,
            bytes: rawJson.length,
            batchesMsPerCall: ms4(json.perCall),
            readOrderListJsonAloneMedianMs: round(median(jsonOnly.perCall), 4),
            method: '15 batches × 200 calls after warm-up; median of the per-call time of each batch',
          },
        },
        1,
        '< 1 ms median',
      ),
      underBudget(
        {
          id: 'parse.list_dom_50',
          figure: 'parse a saved 50-card order list DOM page in Chromium (readOrderListDom)',
          value: round(median(dom.perCall), 4),
          unit: 'ms',
          details: {
            cards,
            ordersRead: domOrders,
            warnings: domWarnings,
            pageBytes: fiftyCards.length,
            batchesMsPerCall: ms4(dom.perCall),
            method: '15 batches × 20 calls after warm-up; median of the per-call time of each batch',
          },
        },
        10,
        '< 10 ms median',
      ),
    ];
  } finally {
    await browser.close();
  }
}
