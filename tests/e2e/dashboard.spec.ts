/**
 * The merchant's dashboard end to end: a real backend process on a real database, the built
 * dashboard in headless Chromium, two merchants who each sign in with a password. The orders come
 * in as the extension sends them (POST /v1/sync with the merchant's token).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, test as base, expect, type Browser, type Page } from '@playwright/test';
import type { OrdersResponse } from '../../lib/domain/api';
import type { OrderCounts } from '../../lib/domain/dashboard';
import { DSERS_STATES } from '../../lib/domain/store-order-rules';
import { startBackend, type BackendProcess } from '../../scripts/lib/backend-process';
import { findChromium } from '../../scripts/lib/chromium';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = 'test-results/dashboard';
const PASSWORD = 'e2e password, long enough';

interface Merchant {
  login: string;
  token: string;
}

function createMerchant(login: string, env: NodeJS.ProcessEnv): Merchant {
  const out = execFileSync(`${ROOT}node_modules/.bin/tsx`, ['server/dashboard/cli-merchant.ts', login], {
    cwd: ROOT,
    env: { ...process.env, ...env, MERCHANT_PASSWORD: PASSWORD },
    encoding: 'utf8',
  });
  return { login, token: /api token: (\S+)/.exec(out)![1]! };
}

const test = base.extend<{ backend: BackendProcess & { alpha: Merchant; beta: Merchant }; chromiumBrowser: Browser }>({
  backend: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aos-dashboard-'));
    const env = { DATA_DIR: dataDir, DATABASE_URL: '' };
    // The embedded database belongs to one process at a time: the merchants first, then the server.
    const alpha = createMerchant('alpha', env);
    const beta = createMerchant('beta', env);
    const server = await startBackend(env);
    await use({ ...server, alpha, beta });
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
  chromiumBrowser: async ({}, use) => {
    const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
    await use(browser);
    await browser.close();
  },
});

async function api<T>(backend: { url: string }, token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(backend.url + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

let keys = 0;
const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
const read = (orders: unknown[]) => ({
  idempotencyKey: `e2e-dashboard-${Date.now()}-${++keys}`,
  snapshots: [{ kind: 'order_detail', url: 'https://www.aliexpress.com/p/order/detail.html', capturedAt: new Date().toISOString(), orders, warnings: [] }],
});

const ALI = {
  placed: '8100000000000001',
  delivered: '8100000000000002',
  canceled: '8100000000000003',
  loose: '8100000000000004',
};

/** One order in each state the seed's tabs name, as a store and the extension would make them. */
async function seed(backend: { url: string }, token: string): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  const create = async (number: string, paid: boolean) => {
    ids[number] = (await api<{ id: string }>(backend, token, '/v1/store-orders', { body: { storeOrderNumber: number, paid } })).body.id;
    return ids[number]!;
  };
  const place = (id: string, aliOrderId: string) => api(backend, token, `/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier: 'Lima Store' }] } });
  await create('#2001', false);
  await create('#2002', true);
  await place(await create('#2003', true), ALI.placed);
  await place(await create('#2004', true), ALI.delivered);
  await place(await create('#2005', true), ALI.canceled);
  await api(backend, token, `/v1/store-orders/${await create('#2006', true)}/placing-failed`, { body: { reason: 'Out of stock in the buyer’s country' } });
  await create('#2007', true);
  const sync = await api(backend, token, '/v1/sync', {
    body: read([
      {
        aliOrderId: ALI.delivered,
        status: 'completed',
        paidAt: ago(200),
        packages: [
          {
            trackingNumber: 'LPE2E0000001',
            carrier: 'Cainiao',
            trackingStatus: 'delivered',
            events: [
              { at: ago(2), text: 'Delivered, left at front door', code: 'AE_GTMS_SIGNED' },
              { at: ago(20), text: 'Out for delivery', code: 'AE_GTMS_DELIVERING' },
              { at: ago(100), text: 'Departed from sorting center', code: 'AE_LH_DEPART_SUCCESS' },
            ],
          },
        ],
      },
      { aliOrderId: ALI.canceled, status: 'closed', packages: [] },
      { aliOrderId: ALI.loose, status: 'awaiting_shipment', storeName: 'Loose Store', packages: [] },
    ]),
  });
  expect(sync.status).toBe(200);
  return ids;
}

async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${what}: ${v.id} (${v.nodes.length}) ${v.help}`)).toEqual([]);
}

async function signIn(page: Page, url: string, login: string) {
  await page.goto(url);
  await page.getByLabel(/^Login$/).fill(login);
  await page.getByLabel(/^Password$/).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a merchant signs in, works the order screen, an order, its tracking and the settings; live updates arrive; another merchant sees none of it', async ({ backend, chromiumBrowser: browser }) => {
  const { alpha, beta } = backend;
  const ids = await seed(backend, alpha.token);
  const paths = Object.keys((await (await fetch(`${backend.url}/v1/openapi.json`)).json()).paths as object);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();

  // Signed out, the page asks to sign in; a wrong password says so.
  await page.goto(`${backend.url}/`);
  await expectAccessible(page, 'sign-in');
  await page.getByLabel(/^Login$/).fill('alpha');
  await page.getByLabel(/^Password$/).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The login or password is wrong.');
  await signIn(page, `${backend.url}/`, 'alpha');
  await expect(page.getByTestId('order-row')).toHaveCount(7);
  await expect(page.getByTestId('live')).toHaveAttribute('data-connected', 'true');

  // Every tab's count is what the API answers, and the tab lists that many orders.
  const counts = (await api<OrderCounts>(backend, alpha.token, '/v1/order-counts')).body;
  expect(counts.all).toBe(7);
  for (const state of DSERS_STATES) {
    const listed = (await api<OrdersResponse>(backend, alpha.token, `/v1/orders?state=${state}&limit=500`)).body.orders.length;
    expect(listed, state).toBe(counts.states[state]);
    await expect(page.getByTestId(`count-${state}`)).toHaveText(String(listed));
  }
  await expect(page.getByTestId('count-unlinked')).toHaveText('1');
  await page.locator('[data-tab="fulfilled"]').click();
  await expect(page.getByTestId('order-row')).toHaveCount(counts.states.fulfilled);
  await page.locator('[data-tab="unlinked"]').click();
  await expect(page.getByTestId('unlinked-table')).toContainText(ALI.loose);
  await page.locator('[data-tab="all"]').click();
  await expectAccessible(page, 'order screen');
  await page.screenshot({ path: `${SHOTS}/orders.png`, fullPage: true });

  // Search by tracking number, AliExpress order id and store order number.
  for (const [q, number] of [['LPE2E0000001', '#2004'], [ALI.placed, '#2003'], ['#2006', '#2006']] as const) {
    await page.getByLabel('Search orders').fill(q);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect(page.getByTestId('order-row')).toHaveCount(1);
    await expect(page.getByTestId('order-row')).toContainText(number);
  }
  await page.getByLabel('Search orders').fill('nothing-like-this');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('empty')).toBeVisible();
  await page.getByRole('link', { name: 'Clear search' }).click();

  // An order: its AliExpress order, the package's full timeline, the history.
  await page.getByRole('link', { name: '#2004' }).click();
  await expect(page.getByTestId('order-state')).toHaveText('Fulfilled');
  await expect(page.getByTestId('timeline').locator('li')).toHaveCount(3);
  await expect(page.getByTestId('history')).toContainText('Awaiting payment');
  await expectAccessible(page, 'order');
  await page.screenshot({ path: `${SHOTS}/order.png`, fullPage: true });

  // Delivered, but the customer says no: the five steps, the event that says where it was left highlighted.
  await page.getByTestId('delivered-help').click();
  const delivered = page.getByTestId('delivered-dialog');
  await expect(delivered.locator('ol.steps li')).toHaveCount(5);
  await expect(delivered.locator('[data-highlight="true"]')).toHaveCount(1);
  await expect(delivered.locator('[data-highlight="true"]')).toContainText('left at front door');
  await expectAccessible(page, 'delivered dialog');
  await page.screenshot({ path: `${SHOTS}/delivered-help.png` });
  await page.keyboard.press('Escape');
  await expect(delivered).toBeHidden();

  // The tracking modal, by keyboard: a manual status for reference, then Re-track drops it.
  await page.getByTestId('open-tracking').focus();
  await page.keyboard.press('Enter');
  const modal = page.getByTestId('tracking-modal');
  await expect(modal).toContainText('for your reference only');
  await modal.getByLabel('Status to set by hand').selectOption('abnormal');
  await modal.getByRole('button', { name: 'Set this status' }).click();
  await expect(modal.getByTestId('tracking-message')).toHaveText('Saved. The status is set by hand.');
  await expect(page.getByTestId('tracking-status')).toContainText('Abnormal');
  await expectAccessible(page, 'tracking modal');
  await page.screenshot({ path: `${SHOTS}/tracking-modal.png` });
  expect((await api<{ manualTrackingStatus: string | null }>(backend, alpha.token, `/v1/store-orders/${ids['#2004']}`)).body.manualTrackingStatus).toBe('abnormal');
  await modal.getByRole('button', { name: 'Re-track' }).click();
  await expect(modal.getByTestId('tracking-message')).toContainText('Re-track asked');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('open-tracking')).toBeFocused();
  await expect(page.getByTestId('tracking-status')).toHaveText('Tracking: Delivered');
  const retracked = (await api<{ manualTrackingStatus: string | null; history: { cause: string }[] }>(backend, alpha.token, `/v1/store-orders/${ids['#2004']}`)).body;
  expect(retracked.manualTrackingStatus).toBeNull();
  expect(retracked.history.map((h) => h.cause)).toContain('retrack');

  // Place an order with the AliExpress order the extension read that nothing links to.
  await page.goto(`${backend.url}/#/orders/${ids['#2002']}`);
  await page.locator('[data-action="place"]').click();
  const place = page.getByTestId('action-place');
  await expect(place.getByTestId('consequences')).toContainText('one per supplier');
  await place.getByRole('checkbox', { name: new RegExp(ALI.loose) }).check();
  await place.getByTestId('confirm-action').click();
  await expect(page.getByTestId('order-state')).toHaveText('Awaiting shipment');

  // Fulfil by hand before placing: the seed's consequences are said before the click, then it is locked.
  await page.goto(`${backend.url}/#/orders/${ids['#2007']}`);
  await page.locator('[data-action="fulfill_before_placing"]').click();
  const fulfil = page.getByTestId('action-fulfill_before_placing');
  await expect(fulfil.getByTestId('consequences')).toContainText("can't be placed again");
  await expect(fulfil.getByTestId('consequences')).toContainText("won't change the order status on the store");
  await page.screenshot({ path: `${SHOTS}/fulfil-by-hand.png` });
  await fulfil.getByTestId('confirm-action').click();
  await expect(page.getByTestId('order-state')).toHaveText('Fulfilled');
  await expect(page.getByTestId('locked')).toHaveText('Fulfilled by hand before placing');
  await expect(page.getByTestId('locked-note')).toBeVisible();
  await expect(page.locator('[data-action]')).toHaveCount(0);
  expect((await api(backend, alpha.token, `/v1/store-orders/${ids['#2007']}/place`, { body: { aliOrders: [{ aliOrderId: '8100000000000099', supplier: 'x' }] } })).status).toBe(409);

  // Bulk re-order of the Failed tab (the store-leg's POST /v1/store-orders/reorder, when this backend has it).
  await page.goto(`${backend.url}/#/orders?tab=failed`);
  await page.getByRole('checkbox', { name: 'Select order #2006' }).check();
  await page.getByTestId('bulk-reorder').click();
  await page.getByRole('button', { name: 'Re-order them' }).click();
  if (paths.includes('/v1/store-orders/reorder')) {
    await expect(page.getByTestId('count-failed')).toHaveText('0');
  } else {
    await expect(page.getByRole('alert')).toContainText('does not offer POST /v1/store-orders/reorder');
    await page.keyboard.press('Escape');
  }

  // Live: a sync as the extension sends it shows without a reload.
  await page.goto(`${backend.url}/#/orders?tab=all`);
  await expect(page.getByTestId('count-fulfilled')).toHaveText(String(counts.states.fulfilled + 1));
  const before = await page.getByTestId('count-fulfilled').textContent();
  expect((await api(backend, alpha.token, '/v1/sync', {
    body: read([{ aliOrderId: ALI.placed, status: 'shipped', paidAt: ago(30), packages: [{ trackingNumber: 'LPE2E0000002', trackingStatus: 'in_transit', events: [{ at: ago(1), text: 'Departed from sorting center' }] }] }]),
  })).status).toBe(200);
  await expect(page.getByTestId('count-fulfilled')).toHaveText(String(Number(before) + 1));
  await expect(page.getByTestId('order-row').filter({ hasText: '#2003' })).toContainText('LPE2E0000002');

  // The sync window: today's manual syncs, and the AliExpress API sync at its bottom.
  await page.getByTestId('open-sync').click();
  const syncWindow = page.getByTestId('sync-window');
  await expect(syncWindow.getByTestId('quota')).toHaveText('Manual syncs left today: 10 of 10.');
  await expectAccessible(page, 'sync window');
  await syncWindow.getByTestId('api-sync').click();
  if (!paths.includes('/v1/aliexpress-sync')) await expect(syncWindow.getByTestId('sync-message')).toContainText('does not offer POST /v1/aliexpress-sync');
  await page.screenshot({ path: `${SHOTS}/sync-window.png` });
  await page.keyboard.press('Escape');

  // Settings: an extension token issued, working, revoked; the other settings where this backend has them.
  await page.getByRole('link', { name: 'Settings' }).click();
  const tokens = page.getByTestId('settings-tokens');
  await tokens.getByLabel('Name of the new token').fill('Laptop');
  await tokens.getByRole('button', { name: 'Issue a token' }).click();
  const issued = (await tokens.getByTestId('issued-token').textContent())!;
  expect((await api(backend, issued, '/v1/quota')).status).toBe(200);
  await tokens.getByRole('button', { name: 'Revoke Laptop' }).click();
  await expect(tokens.locator('[data-revoked="true"]')).toHaveCount(1);
  expect((await api(backend, issued, '/v1/quota')).status).toBe(401);
  for (const [section, path] of [['tracking', '/v1/settings'], ['store', '/v1/stores'], ['webhooks', '/v1/webhook-endpoints'], ['aliexpress', '/v1/aliexpress-account']] as const) {
    if (!paths.includes(path)) await expect(page.getByTestId(`settings-${section}`).getByTestId('api-missing')).toBeVisible();
  }
  if (paths.includes('/v1/settings')) {
    const box = page.getByTestId('settings-tracking').getByRole('checkbox');
    const was = await box.isChecked();
    // The box shows what the backend keeps: it turns once the change is saved and read back.
    await box.click();
    await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
    await expect(box).toBeChecked({ checked: !was });
    expect((await api<{ shippingConfirmationEmail: boolean }>(backend, alpha.token, '/v1/settings')).body.shippingConfirmationEmail).toBe(!was);
    await page.getByTestId('settings-fulfillment').getByLabel(/as soon as it ships/).check();
    await expect.poll(async () => (await api<{ splitFulfillment: string }>(backend, alpha.token, '/v1/settings')).body.splitFulfillment).toBe('each_supplier');
  }
  await expectAccessible(page, 'settings');
  await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });

  // Another language and the dark theme, still accessible.
  await page.getByRole('link', { name: 'Orders' }).click();
  await page.getByLabel('Theme').selectOption('dark');
  await page.getByLabel('Language').selectOption('fr');
  await expect(page.getByRole('link', { name: 'Commandes', exact: true })).toBeVisible();
  await expect(page.locator('[data-tab="awaiting_order"]')).toContainText('En attente de commande');
  await expectAccessible(page, 'order screen, French, dark');
  await page.screenshot({ path: `${SHOTS}/orders-fr-dark.png`, fullPage: true });
  await page.getByLabel('Langue').selectOption('en');

  // Sign out; the second merchant sees none of the first one's orders.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await signIn(page, `${backend.url}/`, beta.login);
  await expect(page.getByTestId('count-all')).toHaveText('0');
  await expect(page.getByTestId('count-unlinked')).toHaveText('0');
  await page.getByLabel('Search orders').fill('LPE2E0000001');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('empty')).toBeVisible();
  await page.goto(`${backend.url}/#/orders/${ids['#2004']}`);
  await expect(page.getByRole('alert')).toContainText('no store order');
  await context.close();
});
