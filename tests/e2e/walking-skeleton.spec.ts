/**
 * The whole path once: an AliExpress order list page under its real URL → content script →
 * service worker → IndexedDB → a real backend process on a real database → the popup.
 */
import type { OrdersResponse } from '../../lib/domain/api';
import { cachedAliOrders, configureExtension, expect, test, type Backend } from './fixtures';

async function seedStoreOrders(backend: Backend) {
  const placed = async (storeOrderNumber: string, aliOrders: { aliOrderId: string; supplier: string }[]) => {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber, paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders } });
  };
  // Both are "Awaiting delivery" on the saved page (real capture), placed as one order each…
  await placed('#1001', [{ aliOrderId: '8214398062177351', supplier: 'LIMA Store' }]);
  // …and one store order split over two suppliers, one of them already "Completed".
  await placed('#1002', [
    { aliOrderId: '8214779947343229', supplier: 'LIMA Store' },
    { aliOrderId: '8212313961591322', supplier: 'Vega Store' },
  ]);
  await backend.api('/v1/store-orders', { body: { storeOrderNumber: '#1003', paid: false } });
}

const stateOf = async (backend: Backend, storeOrderNumber: string) =>
  (await backend.api<OrdersResponse>('/v1/orders')).orders.find((o) => o.storeOrderNumber === storeOrderNumber);

test('an order list page read in the browser updates the backend and the popup shows its states', async ({ backend, extension }, testInfo) => {
  await seedStoreOrders(backend);
  expect((await stateOf(backend, '#1001'))?.state).toBe('awaiting_payment');
  await configureExtension(extension, backend);

  const aliexpress = await extension.context.newPage();
  await aliexpress.goto('https://www.aliexpress.com/p/order/index.html');
  await expect(aliexpress.locator('.order-item')).toHaveCount(10);

  // The backend heard of the AliExpress statuses: paid and shipped, tracking numbers not yet read.
  await expect.poll(async () => (await stateOf(backend, '#1001'))?.aliOrders[0]?.status).toBe('shipped');
  expect((await stateOf(backend, '#1001'))?.state).toBe('awaiting_shipment');
  expect((await stateOf(backend, '#1002'))?.state).toBe('awaiting_fulfillment');
  expect((await stateOf(backend, '#1002'))?.aliOrders.map((a) => a.status)).toEqual(['shipped', 'completed']);

  const popup = await extension.openPage('popup.html');
  await popup.setViewportSize({ width: 400, height: 600 });
  const order1001 = popup.locator('[data-store-order="#1001"]');
  await expect(order1001.locator('.chip')).toHaveText('Awaiting shipment');
  await expect(order1001).toContainText('8214398062177351');
  await expect(popup.locator('[data-store-order="#1002"] .chip')).toHaveText('Awaiting fulfillment');
  await expect(popup.locator('[data-store-order="#1003"] .chip')).toHaveText('Pending');
  // The other AliExpress orders on the page are cached, shown as not linked to a store order.
  await expect(popup.locator('[data-ali-order]')).toHaveCount(7);
  await expect(popup.getByTestId('sync-status')).toContainText('updated just now');

  // What the content script read is in the extension's IndexedDB.
  const cached = (await cachedAliOrders(extension)).map((c) => c.aliOrderId);
  expect(cached).toHaveLength(10);
  expect(cached).toContain('8214398062177351');

  await testInfo.attach('popup', { body: await popup.screenshot(), contentType: 'image/png' });
  await popup.screenshot({ path: testInfo.outputPath('popup.png') });
});

test('the 10-minute alarm exists and, when it fires, pulls the backend view into the popup', async ({ backend, extension }) => {
  await configureExtension(extension, backend);
  const alarm = await extension.worker.evaluate(() => chrome.alarms.get('auto-sync'));
  expect(alarm?.periodInMinutes).toBe(10);

  // A store order created on the backend side reaches the popup with no page read and no click.
  await backend.api('/v1/store-orders', { body: { storeOrderNumber: '#2001', paid: true } });
  await extension.worker.evaluate(() => chrome.alarms.create('auto-sync', { delayInMinutes: 0.005, periodInMinutes: 10 }));
  const popup = await extension.openPage('popup.html');
  await expect(popup.locator('[data-store-order="#2001"] .chip')).toHaveText('Awaiting order');
});

test('a malformed message gets a clear error and changes nothing', async ({ extension }) => {
  const popup = await extension.openPage('popup.html');
  const reply = await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'snapshot', snapshot: { kind: 'order_list' } }));
  expect(reply).toMatchObject({ ok: false, error: expect.stringContaining('malformed message') });
  await expect(popup.getByText('No orders yet')).toBeVisible();
});
