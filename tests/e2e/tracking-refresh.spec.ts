/**
 * Cainiao's batched refresh, end to end: the built extension's worker asks the sandbox's Cainiao
 * contract server (global.cainiao.com under its real URL) about the parcels it knows, and what it
 * learns reaches IndexedDB, the real backend and the badge, with no page load and no quota.
 */
import type { OrdersResponse, QuotaResponse } from '../../lib/domain/api';
import type { Snapshot } from '../../lib/domain/snapshot';
import { configureFastSync, expect, finishedRun, readStore, startManualSync, test, type Backend, type Extension } from './fixtures';
import { listedOrders } from './sandbox-lists';

// Each test starts its own Chromium and backend, and waits for real alarms and pushes.
test.describe.configure({ timeout: 150_000 });

const HOUR = 3_600_000;

/** The number the sandbox's tracking answers give an order (tests/fixtures/tools/make-tracking-answers.ts). */
const sandboxNumber = (aliOrderId: string) => `LP${aliOrderId.slice(-9)}BR`;

const cainiaoRequests = (extension: Extension) => extension.sandbox.requests.filter((u) => u.startsWith('https://global.cainiao.com/'));
const pageLoads = (extension: Extension) =>
  extension.sandbox.requests.filter((u) => u.includes('/p/order/index.html') || u.includes('trade.buyer.order.list') || u.includes('/p/tracking/index.html') || u.includes('/p/order/detail.html'));

/** Store orders placed on the backend, one per AliExpress order. */
async function place(backend: Backend, aliOrderIds: string[], first = 5001): Promise<void> {
  for (const [i, aliOrderId] of aliOrderIds.entries()) {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber: `#${first + i}`, paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier: 'Supplier' }] } });
  }
}

/** What an earlier tracking page read showed: a parcel in transit for each order, `hoursAgo`. */
async function knownParcels(backend: Backend, parcels: { aliOrderId: string; trackingNumber: string }[], hoursAgo: number): Promise<void> {
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  const snapshot: Snapshot = {
    kind: 'tracking',
    url: 'https://www.aliexpress.com/p/tracking/index.html',
    capturedAt: at,
    orders: parcels.map((p) => ({
      aliOrderId: p.aliOrderId,
      status: 'shipped',
      packages: [{ trackingNumber: p.trackingNumber, carrier: 'J&T Express', trackingStatus: 'in_transit', events: [{ at, text: 'Departed from sorting center' }] }],
    })),
    warnings: [],
  };
  await backend.api('/v1/sync', { body: { idempotencyKey: `earlier-${Date.now()}`, snapshots: [snapshot] } });
}

/** The worker pulls the backend's view now, as it does every 10 minutes. */
async function pulled(extension: Extension, storeOrders: number): Promise<void> {
  const page = await extension.openPage('popup.html');
  await page.evaluate(() => chrome.runtime.sendMessage({ type: 'sync-now' }));
  await page.close();
  await expect.poll(async () => (await readStore<unknown[]>(extension, 'storeOrders', { all: true })).length).toBe(storeOrders);
}

/** The 10-minute alarm, fired now (and every 10 minutes after, as the worker sets it). */
const fireAlarm = (extension: Extension) => extension.worker.evaluate(() => chrome.alarms.create('auto-sync', { delayInMinutes: 0.005, periodInMinutes: 10 }));

const trackingStatusOf = async (backend: Backend, aliOrderId: string) => {
  const { orders } = await backend.api<OrdersResponse>(`/v1/orders?q=${aliOrderId}`);
  return orders[0]?.aliOrders[0]?.packages[0]?.trackingStatus;
};

test('Sync over 3 list pages with some numbers known loads exactly the planned pages and asks Cainiao for the known numbers in one request', async ({ backend, extension }) => {
  const pages = listedOrders();
  const watched = [...pages[0]!, ...pages[1]!, ...pages[2]!.slice(0, 7)];
  expect(watched).toHaveLength(25);
  await place(backend, watched.map((o) => o.id));
  // The parcels of the orders awaiting delivery were read 7 hours ago: their numbers are known,
  // their events due for a refresh. The completed orders' numbers are not known yet.
  const awaiting = watched.filter((o) => o.statusText === 'Awaiting delivery');
  const completed = watched.filter((o) => o.statusText === 'Completed');
  expect(awaiting.length).toBeGreaterThan(0);
  const known = awaiting.map((o) => ({ aliOrderId: o.id, trackingNumber: sandboxNumber(o.id) }));
  await knownParcels(backend, known, 7);
  extension.sandbox.cainiao.setParcel(known[0]!.trackingNumber, 'delivered');
  await configureFastSync(extension, backend);

  await startManualSync(extension);
  const run = await finishedRun(extension);
  expect(run.status).toBe('done');

  // The plan: the list as far as the last order never read (3 pages: the first load and two
  // "View orders"), every known number in one Cainiao request, a tracking page per shipped order
  // without a number.
  const planned = 3 + completed.length;
  expect(run).toMatchObject({ watched: 25, ordersSeen: 25, pagesLoaded: planned, cainiaoRequests: 1 });
  expect(pageLoads(extension)).toHaveLength(planned);
  expect(pageLoads(extension).filter((u) => u.includes('/p/tracking/index.html')).map((u) => new URL(u).searchParams.get('tradeOrderId'))).toEqual(
    expect.arrayContaining(completed.map((o) => o.id)),
  );
  const asked = cainiaoRequests(extension);
  expect(asked).toHaveLength(1);
  expect(new URL(asked[0]!).searchParams.get('mailNos')!.split(',').sort()).toEqual(known.map((k) => k.trackingNumber).sort());

  await expect.poll(() => trackingStatusOf(backend, known[0]!.aliOrderId)).toBe('delivered');
  const { orders } = await backend.api<OrdersResponse>('/v1/orders?limit=100');
  for (const order of completed) expect(orders.find((o) => o.aliOrders.some((a) => a.aliOrderId === order.id))?.state, order.id).toBe('fulfilled');
});

test('the 10-minute alarm refreshes a known parcel that turned abnormal and raises the badge, without opening a tab', async ({ backend, extension }) => {
  const aliOrderId = '8209871234560013';
  const trackingNumber = sandboxNumber(aliOrderId);
  await place(backend, [aliOrderId]);
  await knownParcels(backend, [{ aliOrderId, trackingNumber }], 1);
  await configureFastSync(extension, backend);
  await pulled(extension, 1);
  await expect.poll(() => extension.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('');

  extension.sandbox.cainiao.setParcel(trackingNumber, 'abnormal');
  const tabs = extension.context.pages().length;
  await fireAlarm(extension);

  await expect.poll(() => cainiaoRequests(extension).length).toBe(1);
  await expect.poll(() => trackingStatusOf(backend, aliOrderId)).toBe('abnormal');
  await expect.poll(() => extension.worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('1');
  // Red: the badge's colour for an abnormal order (lib/background/badge.ts).
  expect(await extension.worker.evaluate(() => chrome.action.getBadgeBackgroundColor({}))).toEqual([179, 38, 30, 255]);
  expect(pageLoads(extension)).toEqual([]);
  expect(extension.context.pages()).toHaveLength(tabs);
});

for (const refusal of ['slider_check', 'http_error'] as const) {
  test(`after Cainiao's ${refusal === 'slider_check' ? 'slider check' : 'HTTP error'} the alarm backs off and loses nothing`, async ({ backend, extension }) => {
    const aliOrderId = '8209871234560017';
    const trackingNumber = sandboxNumber(aliOrderId);
    await place(backend, [aliOrderId]);
    await knownParcels(backend, [{ aliOrderId, trackingNumber }], 1);
    await configureFastSync(extension, backend);
    await pulled(extension, 1);
    extension.sandbox.cainiao.setParcel(trackingNumber, 'delivered');
    extension.sandbox.cainiao.refuseNext(refusal);

    await fireAlarm(extension);
    await expect.poll(() => cainiaoRequests(extension).length).toBe(1);
    const state = async () => (await readStore<{ value: { failures: number; retryAt?: string } } | undefined>(extension, 'meta', { key: 'trackingRefresh' }))?.value;
    await expect.poll(async () => (await state())?.failures).toBe(1);
    expect(Date.parse((await state())!.retryAt!)).toBeGreaterThan(Date.now());
    // Nothing of the parcel was lost or changed by the refusal.
    const [cached] = await readStore<OrdersResponse['orders']>(extension, 'storeOrders', { all: true });
    expect(cached?.aliOrders[0]?.packages).toEqual([expect.objectContaining({ trackingNumber, trackingStatus: 'in_transit' })]);
    expect(await readStore<unknown[]>(extension, 'outbox', { all: true })).toEqual([]);
    expect(await trackingStatusOf(backend, aliOrderId)).toBe('in_transit');

    // The next alarm within the backoff leaves Cainiao alone, and still pushes and pulls.
    const lastSync = async () => (await readStore<{ value: { lastSyncAt?: string } } | undefined>(extension, 'meta', { key: 'syncStatus' }))?.value.lastSyncAt;
    const synced = await lastSync();
    await fireAlarm(extension);
    await expect.poll(lastSync).not.toBe(synced);
    expect(cainiaoRequests(extension)).toHaveLength(1);
    expect(pageLoads(extension)).toEqual([]);

    // The popup says why the refresh waits, and until when.
    const popup = await extension.openPage('popup.html');
    const banner = popup.getByTestId('banner-cainiao_backoff');
    await expect(banner).toContainText(refusal === 'slider_check' ? 'slider check' : 'HTTP');
    await expect(banner).toContainText('left alone until');
  });
}

test('the refresh button of an order in the popup brings it up to date through Cainiao and spends no manual sync', async ({ backend, extension }) => {
  const aliOrderId = '8209871234560013';
  const trackingNumber = sandboxNumber(aliOrderId);
  await place(backend, [aliOrderId], 6001);
  await knownParcels(backend, [{ aliOrderId, trackingNumber }], 0.1);
  await configureFastSync(extension, backend);
  await pulled(extension, 1);
  const before = (await backend.api<QuotaResponse>('/v1/quota')).quota;
  extension.sandbox.cainiao.setParcel(trackingNumber, 'delivered');

  const popup = await extension.openPage('popup.html');
  const row = popup.getByTestId('order-row').filter({ hasText: '#6001' });
  await expect(row).toContainText('In transit');
  await row.getByRole('button', { name: 'Refresh order #6001 now, without using a manual sync' }).click();

  await expect(row.getByRole('status')).toContainText('Refreshed');
  await expect(row).toContainText('Delivered');
  expect(cainiaoRequests(extension)).toHaveLength(1);
  expect(pageLoads(extension)).toEqual([]);
  expect(await trackingStatusOf(backend, aliOrderId)).toBe('delivered');
  expect((await backend.api<QuotaResponse>('/v1/quota')).quota).toMatchObject({ used: before.used, remaining: before.remaining });
});
