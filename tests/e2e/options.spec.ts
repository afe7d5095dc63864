/**
 * The options page: the backend connection (tested against a real backend process), the sync
 * settings, the CSV export of the cached orders and the page report with personal data removed.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test, type Extension } from './fixtures';
import { DAY, HOUR, aliId, ago, combine, seedCache, storeOrder, type CacheSeed } from './seed';

async function openOptionsWith(extension: Extension, seed: CacheSeed = {}): Promise<Page> {
  const page = await extension.openPage('options.html');
  await page.setViewportSize({ width: 760, height: 1100 });
  await expect(page.getByRole('heading', { name: 'Page report' })).toBeVisible();
  await expect(page.getByText(/Nothing to report|did not recognise|showed its/)).toBeVisible();
  await seedCache(page, seed);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Page report' })).toBeVisible();
  return page;
}

const storedSettings = (page: Page) => page.evaluate(async () => (await chrome.storage.local.get('settings')).settings as Record<string, unknown>);

test('test connection: connected with the quota, a wrong token, a backend that does not answer', async ({ backend, extension }, testInfo) => {
  const page = await openOptionsWith(extension);
  await page.getByLabel('Backend URL').fill(backend.url);
  await page.getByLabel('API token').fill(backend.token);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status')).toHaveText('Connected. 10 of 10 manual syncs left today.');

  await page.getByLabel('API token').fill('not-the-token');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status')).toHaveText('The backend answered but refused the API token.');

  await page.getByLabel('Backend URL').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByRole('status')).toHaveText('No answer from http://127.0.0.1:9. Check the address and that the backend is running.');

  // Testing saves nothing.
  expect((await storedSettings(page))?.apiToken ?? '').not.toBe('not-the-token');

  await page.getByLabel('Backend URL').fill(backend.url);
  await page.getByLabel('API token').fill(backend.token);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  const path = testInfo.outputPath('options.png');
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach('options', { path, contentType: 'image/png' });
});

test('automatic sync, pause between page loads and notifications are kept', async ({ extension }) => {
  const page = await openOptionsWith(extension);
  const auto = page.getByRole('checkbox', { name: /Automatic sync/ });
  const notifications = page.getByRole('checkbox', { name: /Notifications/ });
  const pause = page.getByRole('spinbutton', { name: /Pause between page loads/ });
  await expect(auto).toBeChecked();
  await expect(notifications).toBeChecked();
  await expect(pause).toHaveValue('3');

  await auto.uncheck();
  await notifications.uncheck();
  await pause.fill('7.5');
  await pause.press('Enter');
  await expect.poll(() => storedSettings(page)).toMatchObject({ autoSync: false, notifications: false, pauseBetweenPagesMs: 7500 });

  await pause.fill('0.1');
  await pause.press('Enter');
  await expect(page.getByTestId('sync-settings-notice')).toHaveText('Enter a pause between 0.5 and 60 seconds.');
  expect(await storedSettings(page)).toMatchObject({ pauseBetweenPagesMs: 7500 });

  await page.reload();
  await expect(page.getByRole('checkbox', { name: /Automatic sync/ })).not.toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Notifications/ })).not.toBeChecked();
  await expect(page.getByRole('spinbutton', { name: /Pause between page loads/ })).toHaveValue('7.5');
});

test('export orders as CSV: one line per package, formulas defused', async ({ extension }) => {
  const now = Date.now();
  const pulled = ago(now, HOUR);
  const seed = combine([
    storeOrder('1', '#1001', 'fulfilled', [
      { aliOrderId: aliId(1), supplier: 'LIMA Store', status: 'shipped', paidAt: ago(now, 5 * DAY), packages: [
        { trackingNumber: 'LP001', carrier: 'Cainiao', status: 'in_transit', lastEventAt: ago(now, 3 * HOUR) },
        { trackingNumber: 'LP002', carrier: 'Cainiao', status: 'abnormal', lastEventAt: ago(now, 3 * HOUR) },
      ] },
    ], pulled),
    storeOrder('2', '#1002', 'awaiting_shipment', [{ aliOrderId: aliId(2), supplier: '=HYPERLINK("http://evil")', status: 'awaiting_shipment', paidAt: ago(now, 9 * DAY) }], pulled),
    storeOrder('3', '#1003, "rush"', 'awaiting_order', [], pulled),
  ]);
  const page = await openOptionsWith(extension, seed);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export orders as CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^ali-orders-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe('store_order_number,dsers_state,tracking_status,flags,locked,aliexpress_order_id,supplier,aliexpress_status,paid_at,tracking_number,carrier,package_status,last_event_at');
  expect(lines).toHaveLength(5);
  expect(lines.filter((l) => l.startsWith('#1001,'))).toHaveLength(2);
  expect(lines.find((l) => l.includes('LP002'))).toContain(',abnormal,');
  expect(lines.find((l) => l.startsWith('#1002'))).toContain(`,attention,false,${aliId(2)},"'=HYPERLINK(""http://evil"")",awaiting_shipment,`);
  expect(lines.some((l) => l.startsWith('"#1003, ""rush""",awaiting_order'))).toBe(true);
  await expect(page.getByText('Orders exported: 3.')).toBeVisible();
});

test('page report: names, addresses, phone numbers and e-mails are gone before copying', async ({ extension }, testInfo) => {
  const sample = `<html><body><div class="order-item" data-order="${aliId(77)}"><span class="order-status">Em processamento</span></div>
<div class="receiver-address"><p>Ana Souza</p><p>Rua das Flores 123, Apto 4</p><p>São Paulo - SP</p></div>
<div class="contact">Phone: +55 11 98765-4321</div><p>Contact name: Ana Souza</p><p>ana.souza@example.com</p>
<script>window.__data = {"receiverName":"Ana Souza","mobileNo":"11987654321","orderId":"${aliId(77)}","statusText":"Em processamento"}</script></body></html>`;
  const page = await openOptionsWith(extension, {
    meta: [{ key: 'pageReport', value: { kind: 'unknown', url: `https://www.aliexpress.com/p/order/index.html?email=ana%40example.com&orderId=${aliId(77)}`, at: new Date().toISOString(), warnings: ['no order cards found'], sample } as never }],
  });
  const report = page.getByRole('textbox', { name: 'Page report, personal data removed' });
  await expect(report).toHaveValue(/Page kind: unknown/);
  const text = await report.inputValue();
  expect(text).toContain(aliId(77));
  expect(text).toContain('Em processamento');
  expect(text).toContain('no order cards found');
  for (const personal of ['Ana', 'Souza', 'Flores', '98765', '11987654321', 'example.com', 'ana%40']) expect(text).not.toContain(personal);

  await page.evaluate(() => {
    const write = navigator.clipboard.writeText.bind(navigator.clipboard);
    navigator.clipboard.writeText = (t) => (((window as { copied?: string }).copied = t), write(t));
  });
  await page.getByRole('button', { name: 'Copy report' }).click();
  await expect(page.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => (window as { copied?: string }).copied)).toBe(text);
  const path = testInfo.outputPath('options-page-report.png');
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach('options-page-report', { path, contentType: 'image/png' });
});
