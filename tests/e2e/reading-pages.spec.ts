/** The merchant's AliExpress pages, read in a real Chromium under their real URLs. */
import { readFileSync } from 'node:fs';
import { cachedAliOrders, expect, test } from './fixtures';

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
