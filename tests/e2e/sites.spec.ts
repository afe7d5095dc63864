/**
 * A merchant on www.aliexpress.us, or on AliExpress in Spanish: their order lists, served under
 * their real URLs, put the right statuses into IndexedDB and the backend; the popup's links follow
 * the merchant's site; a text no evidence decides stays unknown and is in the page report; a
 * returned parcel raises the Abnormal badge and a notification.
 */
import { readFileSync } from 'node:fs';
import type { OrdersResponse } from '../../lib/domain/api';
import { cachedAliOrders, configureExtension, expect, test, type Backend } from './fixtures';

async function place(backend: Backend, storeOrderNumber: string, aliOrderId: string, supplier: string) {
  const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber, paid: true } });
  await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier }] } });
}

const aliStatus = async (backend: Backend, storeOrderNumber: string) =>
  (await backend.api<OrdersResponse>('/v1/orders')).orders.find((o) => o.storeOrderNumber === storeOrderNumber)?.aliOrders[0]?.status;

const cachedOrder = async (extension: Parameters<typeof cachedAliOrders>[0], aliOrderId: string) => (await cachedAliOrders(extension)).find((c) => c.aliOrderId === aliOrderId)?.order;

test('an order list on www.aliexpress.us is read like any other, the 15-digit order of 2019 included', async ({ backend, extension }) => {
  await place(backend, '#4001', '8212611134562621', 'XENON Store');
  await place(backend, '#4002', '100426841571559', 'Old Store');
  await place(backend, '#4003', '8214398062177351', 'LIMA Store');
  await configureExtension(extension, backend);

  const page = await extension.context.newPage();
  await page.goto('https://www.aliexpress.us/p/order/index.html');
  await expect.poll(async () => (await cachedAliOrders(extension)).length).toBe(5);
  // DELETE alone and 9 leave completed or closed open; "Expired" says which.
  expect(await cachedOrder(extension, '8212611134562621')).toMatchObject({ status: 'closed', statusText: 'Expired', statusSource: 'text' });
  expect(await cachedOrder(extension, '8211781299384136')).toMatchObject({ status: 'closed', statusSource: 'text' });
  expect(await cachedOrder(extension, '100426841571559')).toMatchObject({ status: 'completed', total: { amount: 1.81, currency: 'USD' } });

  await expect.poll(() => aliStatus(backend, '#4001')).toBe('closed');
  await expect.poll(() => aliStatus(backend, '#4002')).toBe('completed');
  await expect.poll(() => aliStatus(backend, '#4003')).toBe('shipped');

  // The popup's links go to the merchant's own site.
  const popup = await extension.openPage('popup.html');
  await expect(popup.locator('[data-store-order="#4003"] a.ali-id')).toHaveAttribute('href', 'https://www.aliexpress.us/p/order/detail.html?orderId=8214398062177351');
});

test('a Spanish order list reads its statuses from buttons, and from the tab the page asks for; the texts nothing decided are in the page report', async ({ backend, extension }) => {
  await place(backend, '#5001', '8212313961591322', 'Vega Store');
  await place(backend, '#5002', '8214779947343229', 'LIMA Store');
  await configureExtension(extension, backend);

  const page = await extension.context.newPage();
  await page.goto('https://es.aliexpress.com/p/order/index.html');
  await expect.poll(async () => (await cachedAliOrders(extension)).length).toBe(5);
  // No Spanish status text is known: the buttons decide where they can; DELETE alone and 9 leave
  // completed or closed open, and no guess is made.
  expect(await cachedOrder(extension, '8212313961591322')).toMatchObject({ status: 'completed', statusSource: 'buttons' });
  expect(await cachedOrder(extension, '8214398062177351')).toMatchObject({ status: 'shipped', statusSource: 'buttons' });
  expect((await cachedOrder(extension, '8212611134562621'))?.status).toBe('unknown');
  expect((await cachedOrder(extension, '8211781299384136'))?.status).toBe('unknown');
  await expect.poll(() => aliStatus(backend, '#5001')).toBe('completed');

  // What no evidence decided stays unknown, and its text is in the page report, ready to send;
  // so are the texts the buttons decided for.
  const options = await extension.openPage('options.html');
  await expect(options.getByTestId('report-unread')).toContainText(': 4.');
  const report = options.getByRole('textbox', { name: 'Page report, personal data removed' });
  await expect(report).toHaveValue(/- status text "\[es\] other": order_list on es\.aliexpress\.com, order read as unknown;/);
  await expect(report).toHaveValue(/order 8211781299384136: unknown status text "\[es\] other"/);
  await expect(report).toHaveValue(/- status text "\[es\] completed": order_list on es\.aliexpress\.com, order read as completed from its buttons;/);

  // The page asks for its "shipped" tab, as its own code does when the merchant opens the tab.
  const request = readFileSync(new URL('../fixtures/pages/mtop-order-list-es-shipped.request.txt', import.meta.url), 'utf8').trim();
  await page.evaluate(
    (body) =>
      fetch('https://acs.aliexpress.com/h5/mtop.aliexpress.trade.buyer.order.list/1.0/?jsv=2.5.1&api=mtop.aliexpress.trade.buyer.order.list&v=1.0&type=originaljson&dataType=json', {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      }).then((r) => r.text()),
    request,
  );
  // Its only button (TRACKING) says nothing; the tab says shipped.
  await expect.poll(async () => (await cachedOrder(extension, '8214779947343229'))?.statusSource).toBe('tab');
  expect((await cachedOrder(extension, '8214779947343229'))?.status).toBe('shipped');
  await expect.poll(() => aliStatus(backend, '#5002')).toBe('shipped');
});

test('a returned parcel raises the Abnormal badge and a notification', async ({ backend, extension }) => {
  const id = '8214398062177351';
  await place(backend, '#6001', id, 'LIMA Store');
  await configureExtension(extension, backend);
  const badge = () => extension.worker.evaluate(() => chrome.action.getBadgeText({}));
  const shown = () => extension.worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()));
  // The first look only takes stock; the one after the parcel's return is news.
  await expect.poll(async () => (await extension.worker.evaluate(() => chrome.storage.local.get('alertedFlags'))).alertedFlags).not.toBeUndefined();

  extension.sandbox.override((u) =>
    u.hostname === 'acs.aliexpress.com' && u.pathname.includes('/mtop.ae.ld.querydetail/') ? { file: 'mtop-tracking-failure-return.json' } : undefined,
  );
  const page = await extension.context.newPage();
  await page.goto(`https://www.aliexpress.com/p/tracking/index.html?_addShare=no&_login=yes&tradeOrderId=${id}`);
  await expect.poll(async () => (await cachedOrder(extension, id))?.packages.map((p) => p.trackingStatus)).toEqual(['abnormal', 'abnormal', 'abnormal']);

  await expect.poll(badge).toBe('1');
  await expect.poll(shown).toEqual(['orders-need-action']);
  const popup = await extension.openPage('popup.html');
  await expect(popup.locator('[data-store-order="#6001"] .tchip.t-abnormal').first()).toHaveText('Abnormal');
});
