/** The merchant's AliExpress pages, read in a real Chromium under their real URLs. */
import { readFileSync } from 'node:fs';
import type { PageProblem } from '../../lib/cache/db';
import { cachedAliOrders, expect, readStore, test, type Extension } from './fixtures';

const PAGE2 = new URL('../fixtures/pages/order-list-page2.json', import.meta.url);
const PAGE1 = new URL('../fixtures/aliexpress-real/mtop-order-list-page1.json', import.meta.url);

test('the order list with a second page loaded by "View orders" puts every order into IndexedDB, and the page gets its own answers untouched', async ({ extension }) => {
  const page = await extension.context.newPage();
  await page.goto('https://www.aliexpress.com/p/order/index.html');
  await expect.poll(async () => (await cachedAliOrders(extension)).length).toBe(10);

  await page.getByRole('button', { name: 'View orders' }).click();
  await expect(page.locator('.order-item')).toHaveCount(18);
  await expect.poll(async () => (await cachedAliOrders(extension)).length).toBe(18);

  const byId = new Map((await cachedAliOrders(extension)).map((c) => [c.aliOrderId, c.order]));
  // Page 1 from the inline init data (real capture), page 2 from the API answer.
  expect(byId.get('8214398062177351')).toMatchObject({ status: 'shipped', statusText: 'Awaiting delivery', storeName: 'LIMA Store', orderedAt: '2026-09-01', total: { amount: 31.93, currency: 'BRL' } });
  expect(byId.get('8209871234560012')).toMatchObject({ status: 'awaiting_payment', storeName: 'Echo Store' });
  expect(byId.get('8209871234560013')).toMatchObject({ status: 'shipped', total: { amount: 1204, currency: 'BRL' } });
  expect(byId.get('8209871234560014')?.status).toBe('closed');

  // Byte for byte what the sandbox served: the hook observes copies and changes nothing.
  const received = await page.evaluate(() => (window as unknown as { __sandboxResponses: string[] }).__sandboxResponses);
  expect(received).toEqual([readFileSync(PAGE2, 'utf8')]);
  const initData = await page.evaluate(() => (window as unknown as { __sandboxInitData: unknown }).__sandboxInitData);
  expect(initData).toEqual({ data: JSON.parse(readFileSync(PAGE1, 'utf8')).data });
});

const pageProblem = async (extension: Extension) =>
  (await readStore<{ value: PageProblem } | undefined>(extension, 'meta', { key: 'lastPageProblem' }))?.value;

test('a detail page and a tracking page add what they show; a login page and a bot check are reported and change no cached order', async ({ extension }) => {
  const id = '8212313961591322';
  const page = await extension.context.newPage();
  await page.goto('https://www.aliexpress.com/p/order/index.html');
  await expect.poll(async () => (await cachedAliOrders(extension)).length).toBe(10);

  await page.goto(`https://www.aliexpress.com/p/order/detail.html?orderId=${id}`);
  await expect.poll(async () => (await cachedAliOrders(extension)).find((c) => c.aliOrderId === id)?.order.paidAt).toBe('2026-07-15');

  await page.goto(`https://www.aliexpress.com/p/tracking/index.html?_addShare=no&_login=yes&tradeOrderId=${id}`);
  await expect.poll(async () => (await cachedAliOrders(extension)).find((c) => c.aliOrderId === id)?.order.packages.map((p) => p.trackingNumber)).toEqual(['LP961591322BR']);
  const tracked = (await cachedAliOrders(extension)).find((c) => c.aliOrderId === id)!.order;
  expect(tracked.packages[0]).toMatchObject({ carrier: 'J&T Express', trackingStatus: 'delivered' });
  expect(tracked.packages[0]!.events.length).toBeGreaterThan(0);
  // The tracking page's own API answer reached it byte for byte.
  const received = await page.evaluate(() => (window as unknown as { __sandboxResponses: string[] }).__sandboxResponses);
  expect(received).toEqual([readFileSync(new URL(`../fixtures/pages/tracking/querydetail-${id}.json`, import.meta.url), 'utf8')]);

  const before = await cachedAliOrders(extension);
  await page.goto('https://login.aliexpress.com/?return_url=https%3A%2F%2Fwww.aliexpress.com%2Fp%2Forder%2Findex.html');
  await expect.poll(async () => (await pageProblem(extension))?.kind).toBe('login');
  await page.goto('https://www.aliexpress.com/_____tmd_____/punish?x5secdata=xd8f1c2a0b7e94d3a&x5step=1');
  await expect.poll(async () => (await pageProblem(extension))?.kind).toBe('bot_check');
  expect(await cachedAliOrders(extension)).toEqual(before);
});

test('an order list read from its markup is read even while its product pictures never arrive', async ({ extension }) => {
  // No page code: nothing hands over init data, so the cards on the page are all there is.
  extension.sandbox.override((url) => (url.pathname === '/p/order/index.html' ? { file: 'order-list-en.html' } : undefined));
  const page = await extension.context.newPage();
  // A closed network can leave image requests hanging; the page's load event never comes.
  await page.route(/aliexpress-media\.com/, () => new Promise<void>(() => undefined));
  await page.goto('https://www.aliexpress.com/p/order/index.html', { waitUntil: 'domcontentloaded' });
  expect(await page.evaluate(() => document.readyState)).not.toBe('complete');
  await expect.poll(async () => (await cachedAliOrders(extension)).length, { timeout: 20_000 }).toBe(10);
  const first = (await cachedAliOrders(extension)).find((c) => c.aliOrderId === '8214398062177351')?.order;
  expect(first).toMatchObject({ status: 'shipped', storeName: 'LIMA Store' });
});
