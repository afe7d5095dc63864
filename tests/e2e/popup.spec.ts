/**
 * The popup as a merchant opens it: every state it can be in, from a real IndexedDB in a real
 * Chromium. Each state is photographed and kept with the test results.
 */
import type { Page, TestInfo } from '@playwright/test';
import type { QuotaState } from '../../lib/domain/quota';
import type { Snapshot } from '../../lib/domain/snapshot';
import type { SyncRun } from '../../lib/cache/sync-run';
import { configureExtension, expect, test } from './fixtures';
import { DAY, HOUR, aliId, ago, combine, openPopupWith, storeOrder, type CacheSeed } from './seed';

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** A morning's worth of orders: one in every state, five of them needing action. */
function morning(now: number): CacheSeed {
  const pulled = ago(now, 5 * 60_000);
  return combine([
    storeOrder('12', '#1012', 'fulfilled', [
      { aliOrderId: aliId(12), supplier: 'LIMA Store', status: 'shipped', paidAt: ago(now, 12 * DAY), packages: [{ trackingNumber: 'LP00112233445566', carrier: 'Cainiao', status: 'abnormal', lastEventAt: ago(now, 2 * DAY), lastEventText: 'Returned to sender' }] },
    ], pulled),
    storeOrder('11', '#1011', 'awaiting_shipment', [{ aliOrderId: aliId(11), supplier: 'Vega Store', status: 'awaiting_shipment', paidAt: ago(now, 9 * DAY + HOUR) }], pulled),
    storeOrder('10', '#1010', 'fulfilled', [
      { aliOrderId: aliId(10), supplier: 'XENON Store', status: 'shipped', paidAt: ago(now, 10 * DAY), packages: [{ trackingNumber: 'YT2301234567890', carrier: 'YunExpress', status: 'in_transit', lastEventAt: ago(now, 3 * DAY + HOUR), lastEventText: 'Departed from sorting center' }] },
    ], pulled),
    storeOrder('9', '#1009', 'fulfilled', [
      { aliOrderId: aliId(9), supplier: 'LIMA Store', status: 'shipped', paidAt: ago(now, 11 * DAY), packages: [{ trackingNumber: 'CN9988776655', carrier: 'China Post', status: 'pending', lastEventAt: ago(now, 8 * DAY + HOUR), lastEventText: 'Shipping label created' }] },
    ], pulled),
    storeOrder('8', '#1008', 'fulfilled', [
      { aliOrderId: aliId(8), supplier: 'Nova Store', status: 'shipped', paidAt: ago(now, 7 * DAY), packages: [{ trackingNumber: 'LP00998877665544', carrier: 'Cainiao', status: 'pending', lastEventAt: ago(now, 5 * DAY + HOUR), lastEventText: 'Shipping label created' }] },
    ], pulled),
    storeOrder('7', '#1007', 'fulfilled', [
      { aliOrderId: aliId(7), supplier: 'Vega Store', status: 'shipped', paidAt: ago(now, 6 * DAY), packages: [{ trackingNumber: 'LP00555544443333', carrier: 'Cainiao', status: 'in_transit', lastEventAt: ago(now, 5 * HOUR), lastEventText: 'Arrived at destination country' }] },
    ], pulled),
    storeOrder('6', '#1006', 'fulfilled', [
      { aliOrderId: aliId(6), supplier: 'LIMA Store', status: 'completed', paidAt: ago(now, 20 * DAY), packages: [{ trackingNumber: 'LP00111122223333', carrier: 'Cainiao', status: 'delivered', lastEventAt: ago(now, 4 * DAY), lastEventText: 'Delivered, left at front door' }] },
    ], pulled),
    storeOrder('5', '#1005', 'awaiting_payment', [{ aliOrderId: aliId(5), supplier: 'Nova Store', status: 'awaiting_payment' }], pulled),
    storeOrder('4', '#1004', 'awaiting_fulfillment', [
      { aliOrderId: aliId(41), supplier: 'LIMA Store', status: 'shipped', paidAt: ago(now, 2 * DAY), packages: [{ trackingNumber: 'LP00444455556666', carrier: 'Cainiao', status: 'in_transit', lastEventAt: ago(now, 10 * HOUR), lastEventText: 'Accepted by carrier' }] },
      { aliOrderId: aliId(42), supplier: 'Vega Store', status: 'awaiting_shipment', paidAt: ago(now, 2 * DAY) },
    ], pulled),
    storeOrder('3', '#1003', 'canceled', [{ aliOrderId: aliId(3), supplier: 'XENON Store', status: 'closed', paidAt: ago(now, 3 * DAY) }], pulled),
    storeOrder('2', '#1002', 'failed', [], pulled, { placingError: 'Product out of stock' }),
    storeOrder('1', '#1001', 'pending', [], pulled, { paid: false }),
  ]);
}

const quota = (now: number, over: Partial<QuotaState> = {}): QuotaState => ({
  limit: 10,
  used: 3,
  remaining: 7,
  day: new Date(now).toISOString().slice(0, 10),
  timezone: 'UTC',
  lastSyncAt: ago(now, 3 * HOUR),
  nextAllowedAt: null,
  blockedBy: null,
  resetsAt: new Date(now + 6 * HOUR).toISOString(),
  ...over,
});

const synced = (now: number) => [{ key: 'syncStatus' as const, value: { lastSyncAt: ago(now, 5 * 60_000) } }];

test('empty: a fresh install says how to start', async ({ extension }, testInfo) => {
  const popup = await extension.openPage('popup.html');
  await popup.setViewportSize({ width: 420, height: 590 });
  await expect(popup.getByText('No orders yet')).toBeVisible();
  // The e2e build knows the backend URL but not the token yet.
  await expect(popup.getByTestId('banner-not_configured')).toContainText('set its URL and API token');
  await shoot(popup, testInfo, 'popup-empty');
});

test('needs action: flagged orders first, worst first, each with its reason in words', async ({ extension }, testInfo) => {
  const now = Date.now();
  const popup = await openPopupWith(extension, { ...morning(now), meta: [...synced(now), { key: 'quota', value: { quota: quota(now), receivedAt: ago(now, 5 * 60_000) } }] });

  const needs = popup.getByRole('tab', { name: /Needs action/ });
  await expect(needs).toHaveAttribute('aria-selected', 'true');
  await expect(needs).toContainText('5');
  const rows = popup.getByTestId('order-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.locator('.order-number')).toHaveText(['#1012', '#1011', '#1009', '#1008', '#1010']);
  await expect(rows.nth(0).getByTestId('reason').first()).toHaveText('Carrier reports: “Returned to sender”');
  await expect(rows.nth(1).getByTestId('reason').first()).toHaveText('No tracking number 9 days after payment');
  await expect(rows.nth(2).getByTestId('reason')).toHaveText(['No tracking update for 8 days', /Not picked up by the carrier for 8 days: message the supplier/]);
  await expect(rows.nth(4).getByTestId('reason').first()).toHaveText('No tracking update for 3 days');

  // The row: numbers, supplier, carrier and status, the last event and its age, the ways out.
  const first = rows.nth(0);
  await expect(first).toContainText(aliId(12));
  await expect(first).toContainText('LIMA Store');
  await expect(first.getByTestId('tracking-number')).toHaveText('LP00112233445566');
  await expect(first).toContainText('Cainiao');
  await expect(first.locator('.tchip.t-abnormal').first()).toHaveText('Abnormal');
  await expect(first).toContainText('Returned to sender · 2 days ago');
  await expect(first.getByRole('link', { name: `Open AliExpress order ${aliId(12)}` })).toHaveAttribute('href', `https://www.aliexpress.com/p/order/detail.html?orderId=${aliId(12)}`);
  await expect(first.getByRole('link', { name: 'Open the AliExpress tracking page of LP00112233445566' })).toHaveAttribute(
    'href',
    `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=${aliId(12)}`,
  );
  await expect(popup.getByTestId('quota')).toHaveText('7 of 10 left today');
  await expect(popup.getByRole('button', { name: 'Sync now' })).toBeEnabled();
  await shoot(popup, testInfo, 'popup-needs-action');
});

test('tabs by DSers state with counts, search by order number, AliExpress id or tracking number', async ({ extension }) => {
  const now = Date.now();
  const popup = await openPopupWith(extension, { ...morning(now), meta: synced(now) });
  const rows = popup.getByTestId('order-row');
  const tab = (name: RegExp) => popup.getByRole('tab', { name });

  await expect(tab(/^All/)).toContainText('12');
  await expect(tab(/^Awaiting payment/)).toContainText('1');
  await expect(tab(/^Awaiting shipment/)).toContainText('1');
  await expect(tab(/^Awaiting fulfillment/)).toContainText('1');
  await expect(tab(/^Fulfilled/)).toContainText('6');
  await expect(tab(/^Canceled/)).toContainText('1');
  await expect(tab(/^Failed/)).toContainText('1');
  // Pending shows up because one order is in it.
  await expect(tab(/^Pending/)).toContainText('1');

  await tab(/^Awaiting fulfillment/).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('#1004');
  await expect(rows.first()).toContainText('Vega Store');
  await tab(/^Failed/).click();
  await expect(rows.first()).toContainText('Placing failed: Product out of stock');

  // Keyboard: the tab strip is one stop, arrows move along it.
  await tab(/^Failed/).focus();
  await popup.keyboard.press('ArrowLeft');
  await expect(tab(/^Canceled/)).toHaveAttribute('aria-selected', 'true');
  await expect(tab(/^Canceled/)).toBeFocused();

  await tab(/^All/).click();
  const search = popup.getByRole('searchbox', { name: 'Search orders' });
  await search.fill('1007');
  await expect(rows.locator('.order-number')).toHaveText(['#1007']);
  await search.fill(aliId(42));
  await expect(rows.locator('.order-number')).toHaveText(['#1004']);
  await search.fill('lp00998877665544');
  await expect(rows.locator('.order-number')).toHaveText(['#1008']);
  // A search runs within the tab: #1008 does not await payment.
  await tab(/^Awaiting payment/).click();
  await expect(popup.getByText('No order matches “lp00998877665544”.')).toBeVisible();
});

test('copying a tracking number puts it on the clipboard', async ({ extension }) => {
  const now = Date.now();
  const popup = await openPopupWith(extension, { ...morning(now), meta: synced(now) });
  // Playwright cannot grant clipboard access to an extension origin: the write is observed instead.
  await popup.evaluate(() => {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (text) => ((window as { copied?: string }).copied = text, write(text));
  });
  await popup.getByRole('button', { name: 'Copy tracking number LP00112233445566' }).click();
  await expect(popup.getByRole('button', { name: 'Copy tracking number LP00112233445566' })).toHaveText('Copied');
  expect(await popup.evaluate(() => (window as { copied?: string }).copied)).toBe('LP00112233445566');
});

test('syncing: live progress with Cancel, and a second click shows the running sync', async ({ extension }, testInfo) => {
  const now = Date.now();
  const run: SyncRun = {
    id: 'run-1',
    status: 'running',
    step: 'reading_order_list',
    startedAt: ago(now, 40_000),
    pagesLoaded: 2,
    watched: 25,
    ordersSeen: 14,
    changed: 3,
    newTrackingNumbers: 1,
  };
  const popup = await openPopupWith(extension, { ...morning(now), syncRuns: [run], meta: [...synced(now), { key: 'quota', value: { quota: quota(now, { used: 4, remaining: 6, lastSyncAt: ago(now, 40_000), nextAllowedAt: new Date(now + 9 * 60_000).toISOString(), blockedBy: 'cooldown' }), receivedAt: ago(now, 40_000) } }] });
  const progress = popup.getByTestId('sync-progress');
  await expect(progress).toContainText('Reading your AliExpress order list…');
  await expect(progress).toContainText('Pages loaded: 2 · Orders seen: 14 of 25 · Changes found: 3');
  await expect(progress.getByRole('progressbar')).toHaveAttribute('value', String(14 / 25));
  await expect(popup.getByRole('button', { name: 'Syncing…' })).toBeDisabled();
  await expect(progress.getByRole('button', { name: 'Cancel' })).toBeEnabled();
  await shoot(popup, testInfo, 'popup-syncing');
});

test('a finished sync leaves its summary; a stopped one says why and what to do', async ({ extension }, testInfo) => {
  const now = Date.now();
  const done: SyncRun = { id: 'run-2', status: 'done', step: 'finished', startedAt: ago(now, 20 * 60_000), finishedAt: ago(now, 15 * 60_000), pagesLoaded: 9, watched: 25, ordersSeen: 25, changed: 4, newTrackingNumbers: 2 };
  const popup = await openPopupWith(extension, { ...morning(now), syncRuns: [done], meta: [...synced(now), { key: 'quota', value: { quota: quota(now, { lastSyncAt: done.startedAt }), receivedAt: done.startedAt } }] });
  await expect(popup.getByTestId('sync-summary')).toHaveText('Last sync 15 minutes ago · orders checked: 25 · changed: 4 · new tracking numbers: 2');

  // A run that read differently from its plan says how, in the merchant's language.
  const byAllTab: SyncRun = { ...done, id: 'run-2b', warnings: [{ kind: 'tab_not_found', code: 'processing', title: 'Processing' }] };
  const fellBack = await openPopupWith(extension, { syncRuns: [byAllTab] });
  await expect(fellBack.getByTestId('sync-summary')).toContainText('The list\'s “Processing” tab was not found, or did not show its orders in time: they were read from the list of all orders instead.');

  const login: SyncRun = { ...done, id: 'run-3', status: 'failed', step: 'reading_order_list', startedAt: ago(now, 60_000), finishedAt: ago(now, 50_000), ordersSeen: 5, changed: 1, problem: { kind: 'login', message: 'login page', url: 'https://login.aliexpress.com/' } };
  const stopped = await openPopupWith(extension, { syncRuns: [login] });
  await expect(stopped.getByTestId('sync-summary')).toContainText('stopped: AliExpress asked you to log in. Log in, then sync again.');
  await expect(stopped.getByTestId('sync-summary')).toContainText('What it found is kept (orders checked: 5, changed: 1).');
  await expect(stopped.getByTestId('banner-login')).toContainText('AliExpress asked you to log in');
  await expect(stopped.getByTestId('banner-login').getByRole('button', { name: 'Log in to AliExpress' })).toBeVisible();
  await shoot(stopped, testInfo, 'popup-login-needed');
});

test('quota spent: the button waits for tomorrow; a cooldown counts down', async ({ extension }, testInfo) => {
  const now = Date.now();
  const spent = quota(now, { used: 10, remaining: 0, lastSyncAt: ago(now, 2 * HOUR), nextAllowedAt: new Date(now + 6 * HOUR).toISOString(), blockedBy: 'daily_limit' });
  const popup = await openPopupWith(extension, { ...morning(now), meta: [...synced(now), { key: 'quota', value: { quota: spent, receivedAt: ago(now, 2 * HOUR) } }] });
  await expect(popup.getByRole('button', { name: 'Sync now' })).toBeDisabled();
  await expect(popup.getByTestId('quota')).toContainText('All 10 syncs used today · next at');
  await shoot(popup, testInfo, 'popup-quota-spent');

  const cooling = quota(now, { used: 4, remaining: 6, lastSyncAt: ago(now, 60_000), nextAllowedAt: new Date(now + 9 * 60_000).toISOString(), blockedBy: 'cooldown' });
  const second = await openPopupWith(extension, { meta: [{ key: 'quota', value: { quota: cooling, receivedAt: ago(now, 60_000) } }] });
  await expect(second.getByRole('button', { name: 'Sync now' })).toBeDisabled();
  const text = second.getByTestId('quota');
  await expect(text).toHaveText(/^6 of 10 left today · next in 8:5\d$/);
  const before = await text.textContent();
  await expect(text).not.toHaveText(before!);
});

test('offline: says so, and how many changes wait to be sent', async ({ extension }, testInfo) => {
  const now = Date.now();
  const snapshot: Snapshot = { kind: 'order_list', url: 'https://www.aliexpress.com/p/order/index.html', capturedAt: ago(now, 60_000), orders: [], warnings: [] };
  const outbox = [1, 2, 3].map((id) => ({ id, idempotencyKey: `key-${id}-0000`, snapshot, aliOrderIds: [], createdAt: ago(now, 60_000), attempts: 1 }));
  const popup = await openPopupWith(extension, { ...morning(now), outbox, meta: synced(now) });
  await extension.context.setOffline(true);
  await expect(popup.getByTestId('banner-offline')).toHaveText('You are offline. Changes waiting: 3. They are sent as soon as you are back online; nothing is lost.');
  // The cached orders stay readable offline.
  await expect(popup.getByTestId('order-row').first()).toContainText('#1012');
  await shoot(popup, testInfo, 'popup-offline');
  await extension.context.setOffline(false);
  await expect(popup.getByTestId('banner-offline')).toBeHidden();
  await expect(popup.getByTestId('sync-status')).toContainText('changes waiting to send: 3');
});

test('an open popup follows what the worker writes: an order read meanwhile appears without reopening it', async ({ extension }) => {
  const now = Date.now();
  const popup = await openPopupWith(extension, { ...morning(now), meta: synced(now) });
  await expect(popup.getByRole('tab', { name: /^All/ })).toContainText('12');
  await expect(popup.getByRole('tab', { name: /^Not linked/ })).toBeHidden();

  // The merchant opens their order list: its content script sends what it read, the worker writes
  // it to the cache (Dexie). (The worker takes page reads only from AliExpress tabs.)
  const list = await extension.context.newPage();
  await list.goto('https://www.aliexpress.com/p/order/index.html');

  await expect(popup.getByRole('tab', { name: /^All/ })).toContainText('22');
  await popup.getByRole('tab', { name: /^Not linked/ }).click();
  await expect(popup.locator('[data-ali-order="8214398062177351"]')).toContainText('LIMA Store');
  // The backend in the settings does not answer, so the read waits in the outbox, and the popup says so.
  await expect(popup.getByTestId('sync-status')).toContainText(/changes waiting to send: [1-9]/);
});

test('banners: bot check, token rejected, backend unreachable', async ({ extension }, testInfo) => {
  const now = Date.now();
  const bot: SyncRun = { id: 'r', status: 'failed', step: 'reading_tracking', startedAt: ago(now, 120_000), finishedAt: ago(now, 100_000), pagesLoaded: 3, watched: 10, ordersSeen: 10, changed: 0, newTrackingNumbers: 0, problem: { kind: 'bot_check', message: 'slider', url: 'https://www.aliexpress.com/_____tmd_____/punish' } };
  const popup = await openPopupWith(extension, {
    syncRuns: [bot],
    meta: [{ key: 'syncStatus', value: { lastSyncAt: ago(now, HOUR), lastError: 'The backend refused the API token: invalid', lastErrorAt: ago(now, 60_000), needsToken: true } }],
  });
  await expect(popup.getByTestId('banner-bot_check')).toContainText('slide to verify');
  await expect(popup.getByTestId('banner-token_rejected')).toContainText('The backend refused your API token');
  await expect(popup.getByTestId('banner-token_rejected').getByRole('button', { name: 'Settings' })).toBeVisible();
  await shoot(popup, testInfo, 'popup-banners');

  const down: SyncRun = { ...bot, id: 'r2', problem: { kind: 'backend_unreachable', message: 'down' } };
  const second = await openPopupWith(extension, { syncRuns: [down], meta: [{ key: 'syncStatus', value: { lastSyncAt: ago(now, HOUR) } }] });
  await expect(second.getByTestId('banner-backend_unreachable')).toContainText('The backend cannot be reached');
});

test('5,000 cached orders: first rows at once, a virtual list, search finds the last one', async ({ extension }, testInfo) => {
  const now = Date.now();
  const pulled = ago(now, 5 * 60_000);
  const orders = Array.from({ length: 5000 }, (_, i) => {
    const n = 10_000 + i;
    const flagged = i % 97 === 0;
    return storeOrder(String(n), `#${n}`, 'fulfilled', [
      {
        aliOrderId: aliId(n),
        supplier: ['LIMA Store', 'Vega Store', 'XENON Store'][i % 3],
        status: 'shipped',
        paidAt: ago(now, 6 * DAY),
        packages: [{ trackingNumber: `LP${String(n).padStart(14, '0')}`, carrier: 'Cainiao', status: 'in_transit', lastEventAt: ago(now, flagged ? 4 * DAY : 6 * HOUR), lastEventText: 'In transit' }],
      },
    ], pulled);
  });
  const popup = await openPopupWith(extension, { ...combine(orders), meta: synced(now) });
  const started = Date.now();
  await expect(popup.getByTestId('order-row').first()).toBeVisible();
  const firstRowMs = Date.now() - started;
  testInfo.annotations.push({ type: 'first row after reload (ms)', description: String(firstRowMs) });

  await expect(popup.getByRole('tab', { name: /^All/ })).toContainText('5,000');
  await expect(popup.getByRole('tab', { name: /^Needs action/ })).toContainText('52');
  await popup.getByRole('tab', { name: /^All/ }).click();
  await expect(popup.getByTestId('order-row').first()).toContainText('#14999');
  // Only what is near the viewport is in the document.
  expect(await popup.getByTestId('order-row').count()).toBeLessThan(60);
  await shoot(popup, testInfo, 'popup-5000-orders');

  // Scrolled to the very end, the oldest order is there.
  await popup.locator('.scroller').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(popup.locator('[data-store-order="#10000"]')).toBeVisible();
  await expect(popup.getByRole('listitem').last()).toHaveAttribute('aria-setsize', '5000');

  await popup.getByRole('searchbox', { name: 'Search orders' }).fill('LP00000000010001');
  await expect(popup.getByTestId('order-row').locator('.order-number')).toHaveText(['#10001']);
});

test('AliExpress text is shown as text, never run as HTML', async ({ extension }, testInfo) => {
  const now = Date.now();
  const evil = '<img src=x onerror="window.__pwned=1">';
  const order = storeOrder('666', `#66 ${evil}`, 'fulfilled', [
    { aliOrderId: aliId(666), supplier: `Store ${evil}`, status: 'shipped', paidAt: ago(now, 9 * DAY), packages: [{ trackingNumber: 'LP00666666666666', carrier: `Post ${evil}`, status: 'abnormal', lastEventAt: ago(now, DAY), lastEventText: `Held ${evil}` }] },
  ], ago(now, 60_000));
  const popup = await openPopupWith(extension, { ...combine([order]), meta: synced(now) });
  const row = popup.getByTestId('order-row');
  await expect(row.locator('.order-number')).toHaveText(`#66 ${evil}`);
  await expect(row).toContainText(`Store ${evil}`);
  await expect(row).toContainText(`Post ${evil}`);
  await expect(row.getByTestId('reason').first()).toHaveText(`Carrier reports: “Held ${evil}”`);
  await expect(popup.locator('img')).toHaveCount(0);
  expect(await popup.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
  await shoot(popup, testInfo, 'popup-html-as-text');
});

test('toolbar badge counts the orders needing action; a notification when one turns, unless turned off', async ({ backend, extension }) => {
  const now = Date.now();
  const place = async (storeOrderNumber: string, aliOrderId: string) => {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber, paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier: 'LIMA Store' }] } });
  };
  const push = (orders: Snapshot['orders'], kind: Snapshot['kind'] = 'order_detail') =>
    backend.api('/v1/sync', {
      body: {
        idempotencyKey: `e2e-${Math.random().toString(36).slice(2)}`,
        snapshots: [{ kind, url: `https://www.aliexpress.com/p/order/detail.html?orderId=${orders[0]!.aliOrderId}`, capturedAt: new Date().toISOString(), orders, warnings: [] }],
      },
    });
  const badge = () => extension.worker.evaluate(() => chrome.action.getBadgeText({}));
  const shown = () => extension.worker.evaluate(async () => Object.keys(await chrome.notifications.getAll()));

  // Paid 9 days ago, still no tracking number: attention.
  await place('#3001', aliId(3001));
  await push([{ aliOrderId: aliId(3001), status: 'awaiting_shipment', paidAt: ago(now, 9 * DAY), packages: [] }]);
  await configureExtension(extension, backend);
  await expect.poll(badge).toBe('1');
  await expect.poll(shown).toEqual(['orders-need-action']);

  // With notifications off, a parcel returned to sender only moves the badge.
  const options = await extension.openPage('options.html');
  await options.getByRole('checkbox', { name: /Notifications/ }).uncheck();
  await expect(options.getByTestId('sync-settings-notice')).toHaveText('Saved.');
  await extension.worker.evaluate(() => chrome.notifications.clear('orders-need-action'));
  await place('#3002', aliId(3002));
  await push(
    [{ aliOrderId: aliId(3002), status: 'shipped', paidAt: ago(now, 6 * DAY), packages: [{ trackingNumber: 'LP00300200300200', carrier: 'Cainiao', trackingStatus: 'abnormal', events: [{ at: ago(now, DAY), text: 'Returned to sender' }] }] }],
    'tracking',
  );
  await options.evaluate(() => chrome.runtime.sendMessage({ type: 'sync-now' }));
  await expect.poll(badge).toBe('2');
  expect(await shown()).toEqual([]);
});
