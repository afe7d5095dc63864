/**
 * The Sync button, end to end: a real backend grants the slot and the watchlist, the extension
 * walks the sandbox's order list (3 pages) and the tracking pages it needs in one background tab.
 */
import type { OrdersResponse } from '../../lib/domain/api';
import { cachedAliOrders, configureFastSync, expect, finishedRun, latestRun, startManualSync, test } from './fixtures';
import { listedOrders } from './sandbox-lists';

test('Sync walks 3 list pages and exactly the tracking pages it planned, and the backend has every state', async ({ backend, extension }) => {
  test.setTimeout(120_000);
  const pages = listedOrders();
  // 25 watched orders: all of pages 1 and 2, the first 7 of page 3.
  const watched = [...pages[0]!, ...pages[1]!, ...pages[2]!.slice(0, 7)];
  expect(watched).toHaveLength(25);
  for (const [i, order] of watched.entries()) {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber: `#${3001 + i}`, paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: order.id, supplier: 'Supplier' }] } });
  }
  await configureFastSync(extension, backend);

  await startManualSync(extension);
  const run = await finishedRun(extension);
  expect(run.status).toBe('done');

  // The plan, worked out from the fixtures: the list until the last watched order (3 pages: the
  // first load and two "View orders"), then one tracking page per watched order that shipped.
  const shipped = watched.filter((o) => o.statusText === 'Awaiting delivery' || o.statusText === 'Completed');
  const planned = 3 + shipped.length;
  expect(run).toMatchObject({ watched: 25, ordersSeen: 25, pagesLoaded: planned, newTrackingNumbers: shipped.length });
  const loads = extension.sandbox.requests.filter((u) => u.includes('/p/order/index.html') || u.includes('trade.buyer.order.list') || u.includes('/p/tracking/index.html'));
  expect(loads).toHaveLength(planned);

  const { orders } = await backend.api<OrdersResponse>('/v1/orders?limit=100');
  const stateOf = (aliOrderId: string) => orders.find((o) => o.aliOrders.some((a) => a.aliOrderId === aliOrderId))?.state;
  for (const order of shipped) expect(stateOf(order.id), order.id).toBe('fulfilled');
  expect(stateOf('8209871234560011')).toBe('awaiting_shipment');
  expect(stateOf('8209871234560012')).toBe('awaiting_payment');
  expect(stateOf('8209871234560014')).toBe('canceled');

  // The sync tab is gone, and it never took focus from the merchant.
  await expect.poll(() => extension.context.pages().filter((p) => p.url().includes('aliexpress.com')).length).toBe(0);

  // A second click within 10 minutes is refused, says when, and loads nothing.
  const before = extension.sandbox.requests.length;
  await startManualSync(extension);
  await expect.poll(async () => (await latestRun(extension))?.status).toBe('refused');
  expect((await latestRun(extension))?.problem).toMatchObject({ kind: 'quota', rule: 'cooldown' });
  expect(extension.sandbox.requests.length).toBe(before);
});

test('Cancel in the popup stops a running Sync: no more page loads, its tab closed, what it read kept', async ({ backend, extension }) => {
  test.setTimeout(120_000);
  const pages = listedOrders();
  // Watched orders on all three list pages: the walk needs every page, and then tracking pages.
  const watched = [...pages[0]!, ...pages[1]!, ...pages[2]!.slice(0, 7)];
  for (const [i, order] of watched.entries()) {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber: `#${4001 + i}`, paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: order.id, supplier: 'Supplier' }] } });
  }
  await configureFastSync(extension, backend);

  const popup = await extension.openPage('popup.html');
  await popup.getByRole('button', { name: 'Sync now' }).click();
  const progress = popup.getByTestId('sync-progress');
  await expect(progress).toBeVisible();
  // Once the first list page is read (its orders are in the run), the merchant changes their mind.
  await expect.poll(async () => (await latestRun(extension))?.ordersSeen ?? 0).toBeGreaterThan(0);
  await progress.getByRole('button', { name: 'Cancel' }).click();

  const run = await finishedRun(extension);
  expect(run.status).toBe('canceled');
  await expect(popup.getByTestId('sync-summary')).toContainText('you canceled it.');
  await expect(progress).toBeHidden();
  // The sync tab closes, and no page is loaded after the run ended.
  await expect.poll(() => extension.context.pages().filter((p) => p.url().includes('aliexpress.com')).length).toBe(0);
  const loadsAtEnd = extension.sandbox.requests.length;
  await popup.waitForTimeout(1500);
  expect(extension.sandbox.requests.length).toBe(loadsAtEnd);
  expect(run.pagesLoaded).toBeLessThan(3 + watched.length);

  // What was read before the cancel reached the backend: the first list page's orders have their state.
  const { orders } = await backend.api<OrdersResponse>('/v1/orders?limit=100');
  const placed = orders.filter((o) => o.aliOrders.some((a) => pages[0]!.some((p) => p.id === a.aliOrderId)));
  await expect.poll(async () => {
    const { orders: now } = await backend.api<OrdersResponse>('/v1/orders?limit=100');
    return now.filter((o) => o.aliOrders.some((a) => a.lastSeenAt !== null && pages[0]!.some((p) => p.id === a.aliOrderId))).length;
  }).toBe(placed.length);
});

test('Sync reads the watched orders awaiting shipment from the list\'s Processing tab: exactly the planned pages, statuses from the tab', async ({ backend, extension }) => {
  test.setTimeout(120_000);
  // Awaiting shipment when the merchant last browsed their orders: on the all-tab's pages 2 and 3.
  const deep = ['8209871234560011', '8208765432100023'];
  for (const [i, aliOrderId] of deep.entries()) {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber: `#${5001 + i}`, paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier: 'Supplier' }] } });
  }
  await configureFastSync(extension, backend);

  // The merchant browsed their orders once, all three pages: read and pushed without a click on Sync.
  const browsing = await extension.context.newPage();
  await browsing.goto('https://www.aliexpress.com/p/order/index.html');
  for (const cards of [18, 28]) {
    await browsing.getByRole('button', { name: 'View orders' }).click();
    await expect(browsing.locator('.order-item')).toHaveCount(cards);
  }
  await browsing.close();
  await expect
    .poll(async () => {
      const { orders } = await backend.api<OrdersResponse>('/v1/orders?limit=100');
      return orders.flatMap((o) => o.aliOrders).filter((a) => deep.includes(a.aliOrderId) && a.lastSeenAt !== null && a.status === 'awaiting_shipment').length;
    })
    .toBe(2);

  const before = extension.sandbox.requests.length;
  await startManualSync(extension);
  const run = await finishedRun(extension);
  expect(run.status).toBe('done');
  // The plan: the list's first page (it names the tabs and their titles), then one click on its
  // "Processing" tab, whose one page lists both; the all-tab's pages 2 and 3 and the orders' own
  // pages are not loaded.
  const loads = extension.sandbox.requests.slice(before).filter((u) => /\/p\/order\/(index|detail)\.html|trade\.buyer\.order\.list|\/p\/tracking\//.test(u));
  expect(loads).toEqual([expect.stringContaining('/p/order/index.html'), expect.stringContaining('mtop.aliexpress.trade.buyer.order.list')]);
  expect(run).toMatchObject({ pagesLoaded: 2, watched: 2, ordersSeen: 2 });
  expect(run.warnings ?? []).toEqual([]);
  const cached = await cachedAliOrders(extension);
  for (const aliOrderId of deep) expect(cached.find((c) => c.order.aliOrderId === aliOrderId)?.order).toMatchObject({ status: 'awaiting_shipment', statusSource: 'tab' });
});
