/**
 * The merchant's dashboard end to end: a real backend process on a real database, the built
 * dashboard in headless Chromium beside the built extension, two merchants who each sign in with a
 * password. The backend's outside systems are contract servers: the Shopify store, the AliExpress
 * Open Platform, and a receiver of the outgoing webhooks. Most orders come in as the extension
 * sends them (POST /v1/sync with the merchant's token); the live update is the extension itself
 * reading an AliExpress page of the sandbox while the dashboard is open.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { OrdersResponse } from '../../lib/domain/api';
import type { OrderCounts } from '../../lib/domain/dashboard';
import { DSERS_STATES } from '../../lib/domain/store-order-rules';
import { startBackend, type BackendProcess } from '../../scripts/lib/backend-process';
import { newSecretsKey } from '../../server/secrets';
import { OpenPlatformContract } from '../contract/aliexpress-open-platform/server';
import { startShopifyContractServer, type ShopifyContractServer } from '../contract/shopify/server';
import { configureExtension, expect, test as base } from './fixtures';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = 'test-results/dashboard';
const PASSWORD = 'e2e password, long enough';
const APP = { appKey: 'e2e-dashboard-app', appSecret: 'e2e-dashboard-secret' };

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

/** What the outgoing webhooks delivered: each request's signature header and body. */
interface Receiver {
  url: string;
  received: { signature: string; body: string }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ signature: String(req.headers['x-aos-signature'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/aos-hook`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Site extends BackendProcess {
  alpha: Merchant;
  beta: Merchant;
  shopify: ShopifyContractServer;
  platform: OpenPlatformContract;
  receiver: Receiver;
}

const test = base.extend<{ site: Site }>({
  site: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'aos-dashboard-'));
    const [shopify, receiver] = await Promise.all([startShopifyContractServer(), startReceiver()]);
    const platform = new OpenPlatformContract(APP);
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      SECRETS_KEY: newSecretsKey(),
      SHOPIFY_ADMIN_ORIGIN: shopify.origin,
      ALIEXPRESS_APP_KEY: APP.appKey,
      ALIEXPRESS_APP_SECRET: APP.appSecret,
      ALIEXPRESS_API_ORIGIN: await platform.start(),
      // The webhook receiver listens on this machine, an address outgoing webhooks refuse otherwise.
      ALLOW_PRIVATE_WEBHOOK_URLS: '1',
    };
    // The embedded database belongs to one process at a time: the merchants first, then the server.
    const alpha = createMerchant('alpha', env);
    const beta = createMerchant('beta', env);
    const server = await startBackend(env);
    await use({ ...server, alpha, beta, shopify, platform, receiver });
    await server.stop();
    await Promise.all([shopify.close(), platform.stop(), receiver.close()]);
    rmSync(dataDir, { recursive: true, force: true });
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
  /** "Awaiting delivery" on the sandbox's saved order list (a real capture). */
  onSandboxList: '8214398062177351',
  /** Served by the Open Platform contract server once the account is connected. */
  throughApi: '8100000000000005',
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
  await place(await create('#2008', true), ALI.onSandboxList);
  const sync = await api(backend, token, '/v1/sync', {
    body: read([
      {
        aliOrderId: ALI.delivered,
        status: 'completed',
        statusSource: 'code',
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
      // Paid 9 days ago and still no tracking number: Attention, in Needs action.
      { aliOrderId: ALI.placed, status: 'awaiting_shipment', paidAt: ago(9 * 24), packages: [] },
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


/** An outgoing webhook's signature, as the receiver checks it: `t=…,v1=<hex HMAC-SHA256 of "t.body">`. */
function signedWith(secret: string, signature: string, body: string): boolean {
  const t = /t=(\d+)/.exec(signature)?.[1];
  const v1 = /v1=([0-9a-f]+)/.exec(signature)?.[1];
  return t !== undefined && v1 === createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

test('a merchant signs in, works the order screen, an order, its tracking and the settings; live updates arrive; another merchant sees none of it', async ({ site, extension }) => {
  test.setTimeout(240_000);
  const { alpha, beta } = site;
  const ids = await seed(site, alpha.token);
  const page = await extension.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });

  // Signed out, the page asks to sign in; a wrong password says so.
  await page.goto(`${site.url}/`);
  await expectAccessible(page, 'sign-in');
  await page.getByLabel(/^Login$/).fill('alpha');
  await page.getByLabel(/^Password$/).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('The login or password is wrong.');
  await signIn(page, `${site.url}/`, 'alpha');
  await expect(page.getByTestId('order-row')).toHaveCount(8);
  await expect(page.getByTestId('live')).toHaveAttribute('data-connected', 'true');

  // Every tab's count is what the API answers, and the tab lists that many orders; Needs action too.
  const counts = (await api<OrderCounts>(site, alpha.token, '/v1/order-counts')).body;
  expect(counts.all).toBe(8);
  for (const state of DSERS_STATES) {
    const listed = (await api<OrdersResponse>(site, alpha.token, `/v1/orders?state=${state}&limit=500`)).body.orders.length;
    expect(listed, state).toBe(counts.states[state]);
    await expect(page.getByTestId(`count-${state}`)).toHaveText(String(listed));
  }
  const needsAction = (await api<OrdersResponse>(site, alpha.token, '/v1/needs-action?limit=500')).body.orders;
  expect(needsAction.map((o) => o.storeOrderNumber)).toEqual(['#2003']);
  expect(counts.needsAction).toBe(1);
  await expect(page.getByTestId('count-needs_action')).toHaveText('1');
  await expect(page.getByTestId('count-unlinked')).toHaveText('1');
  await page.locator('[data-tab="needs_action"]').click();
  await expect(page.getByTestId('order-row')).toHaveCount(1);
  await expect(page.getByTestId('order-row')).toContainText('#2003');
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

  // An order: its AliExpress order and the evidence of its status, the package's full timeline, the history.
  await page.getByRole('link', { name: '#2004' }).click();
  await expect(page.getByTestId('order-state')).toHaveText('Fulfilled');
  await expect(page.getByTestId('status-source')).toHaveText('from its status code');
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
  expect((await api<{ manualTrackingStatus: string | null }>(site, alpha.token, `/v1/store-orders/${ids['#2004']}`)).body.manualTrackingStatus).toBe('abnormal');
  await modal.getByRole('button', { name: 'Re-track' }).click();
  await expect(modal.getByTestId('tracking-message')).toContainText('Re-track asked');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('open-tracking')).toBeFocused();
  await expect(page.getByTestId('tracking-status')).toHaveText('Tracking: Delivered');
  const retracked = (await api<{ manualTrackingStatus: string | null; history: { cause: string }[] }>(site, alpha.token, `/v1/store-orders/${ids['#2004']}`)).body;
  expect(retracked.manualTrackingStatus).toBeNull();
  expect(retracked.history.map((h) => h.cause)).toContain('retrack');

  // Place an order with the AliExpress order the extension read that nothing links to.
  await page.goto(`${site.url}/#/orders/${ids['#2002']}`);
  await page.locator('[data-action="place"]').click();
  const place = page.getByTestId('action-place');
  await expect(place.getByTestId('consequences')).toContainText('one per supplier');
  await place.getByRole('checkbox', { name: new RegExp(ALI.loose) }).check();
  await place.getByTestId('confirm-action').click();
  await expect(page.getByTestId('order-state')).toHaveText('Awaiting shipment');

  // Fulfil by hand before placing: the seed's consequences are said before the click, then it is locked.
  await page.goto(`${site.url}/#/orders/${ids['#2007']}`);
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
  expect((await api(site, alpha.token, `/v1/store-orders/${ids['#2007']}/place`, { body: { aliOrders: [{ aliOrderId: '8100000000000099', supplier: 'x' }] } })).status).toBe(409);

  // Bulk re-order of the Failed tab.
  await page.goto(`${site.url}/#/orders?tab=failed`);
  await page.getByRole('checkbox', { name: 'Select order #2006' }).check();
  await page.getByTestId('bulk-reorder').click();
  await page.getByRole('button', { name: 'Re-order them' }).click();
  await expect(page.getByTestId('count-failed')).toHaveText('0');

  // Live: the extension reads the merchant's AliExpress order list in another tab; the open
  // dashboard shows what it read without a reload.
  await page.goto(`${site.url}/#/orders?tab=all`);
  const row2008 = page.getByTestId('order-row').filter({ hasText: '#2008' });
  await expect(row2008).toContainText('Awaiting payment');
  const shipmentBefore = Number(await page.getByTestId('count-awaiting_shipment').textContent());
  await page.evaluate(() => ((window as { notReloaded?: boolean }).notReloaded = true));
  await configureExtension(extension, { url: site.url, token: alpha.token });
  const aliexpress = await extension.context.newPage();
  await aliexpress.goto('https://www.aliexpress.com/p/order/index.html');
  await expect(aliexpress.locator('.order-item')).toHaveCount(10);
  await aliexpress.close();
  await expect(row2008).toContainText('Awaiting shipment');
  await expect(page.getByTestId('count-awaiting_shipment')).toHaveText(String(shipmentBefore + 1));
  // The list's nine other orders are linked to no store order: the Not linked tab counts them.
  await expect(page.getByTestId('count-unlinked')).toHaveText('9');
  expect(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).toBe(true);

  // Settings: an extension token issued, working, revoked.
  await page.getByRole('link', { name: 'Settings' }).click();
  const tokens = page.getByTestId('settings-tokens');
  await tokens.getByLabel('Name of the new token').fill('Laptop');
  await tokens.getByRole('button', { name: 'Issue a token' }).click();
  const issued = (await tokens.getByTestId('issued-token').textContent())!;
  expect((await api(site, issued, '/v1/quota')).status).toBe(200);
  await tokens.getByRole('button', { name: 'Revoke Laptop' }).click();
  await expect(tokens.locator('[data-revoked="true"]')).toHaveCount(1);
  expect((await api(site, issued, '/v1/quota')).status).toBe(401);

  // Tracking and Fulfillment: each shows what the backend keeps.
  const box = page.getByTestId('settings-tracking').getByRole('checkbox');
  await expect(box).not.toBeChecked();
  await box.click();
  await expect(page.getByTestId('settings-status')).toHaveText('Saved.');
  await expect(box).toBeChecked();
  expect((await api<{ shippingConfirmationEmail: boolean }>(site, alpha.token, '/v1/settings')).body.shippingConfirmationEmail).toBe(true);
  await page.getByTestId('settings-fulfillment').getByLabel(/as soon as it ships/).check();
  await expect.poll(async () => (await api<{ splitFulfillment: string }>(site, alpha.token, '/v1/settings')).body.splitFulfillment).toBe('each_supplier');

  // The store connection: the Shopify store (contract server) connected from the form; its next
  // order comes in by webhook, with its line items.
  const shop = site.shopify.shop({ domain: 'e2e-dashboard.myshopify.com', accessToken: 'shpat_e2e_dashboard', clientSecret: 'shpss_e2e_dashboard', webhookUrl: `${site.url}/v1/webhooks/shopify` });
  const store = page.getByTestId('settings-store');
  await expect(store).toContainText('No store connected.');
  await store.getByLabel('Shop domain').fill(shop.domain);
  await store.getByLabel('Admin API access token').fill(shop.options.accessToken);
  await store.getByLabel(/API secret key/).fill(shop.options.clientSecret);
  await store.getByRole('button', { name: 'Connect the store' }).click();
  await expect(store.getByTestId('store-status')).toHaveText('Store connected.');
  await expect(store.locator('li')).toContainText(`${shop.domain} · connected`);
  // The subscriptions made on connect are shown with the store, and no scope is missing.
  await expect(store.locator('li')).toContainText(/Webhooks: .*orders\/create/);
  await expect(store.locator('li')).not.toContainText('lacks these access scopes');
  const fromStore = shop.placeOrder({ name: '#3001', lineItems: [{ title: 'Silk scarf', sku: 'SCARF-01', quantity: 2 }] });
  await shop.settled();

  // An outgoing webhook registered: its secret is shown once.
  const webhooks = page.getByTestId('settings-webhooks');
  await webhooks.getByLabel('Address (https)').fill(site.receiver.url);
  await webhooks.getByRole('button', { name: 'Add' }).click();
  await expect(webhooks.getByTestId('webhooks-status')).toHaveText('Webhook added.');
  const secret = (await webhooks.getByTestId('webhook-secret').textContent())!;
  await expect(webhooks.locator('li')).toContainText(site.receiver.url);

  // The AliExpress account, connected through the OAuth pages (the contract server's consent), back on the settings.
  site.platform.addAccount({
    account: 'e2e-dashboard-buyer@example.com',
    orders: {
      [ALI.throughApi]: {
        order_status: 'WAIT_BUYER_ACCEPT_GOODS',
        logistics_status: 'SELLER_SEND_GOODS',
        tracking: [{ mail_no: 'LP00E2E3001', carrier_name: 'Cainiao', detail_node_list: [{ tracking_name: 'In transit', time_stamp: Date.now() - 3_600_000 }] }],
      },
    },
  });
  site.platform.consentAs = 'e2e-dashboard-buyer@example.com';
  const aliexpressAccount = page.getByTestId('settings-aliexpress');
  await aliexpressAccount.getByRole('button', { name: 'Connect the AliExpress account' }).click();
  await expect(page).toHaveURL(/#\/settings\?aliexpress=connected$/);
  await expect(aliexpressAccount).toContainText('Connected: e2e-dashboard-buyer@example.com');
  await expect(aliexpressAccount.getByTestId('aliexpress-status')).toHaveText('AliExpress account connected.');
  await expectAccessible(page, 'settings');
  await page.screenshot({ path: `${SHOTS}/settings.png`, fullPage: true });

  // The store's order placed to the AliExpress order the API serves, then "Sync through the
  // AliExpress API" from the sync window: one manual sync spent, the order fulfilled, the store
  // fulfilled by the store leg, the webhook delivered.
  const fromStoreOrder = async () => (await api<OrdersResponse>(site, alpha.token, '/v1/orders?q=%233001')).body.orders[0];
  await expect.poll(async () => (await fromStoreOrder())?.state).toBe('awaiting_order');
  const storeOrderId = (await fromStoreOrder())!.id;
  const line = fromStore.lineItems[0]!;
  expect((await api(site, alpha.token, `/v1/store-orders/${storeOrderId}/place`, {
    body: { aliOrders: [{ aliOrderId: ALI.throughApi, supplier: 'API Supplier', lineItems: [{ lineItemId: `gid://shopify/LineItem/${line.id}`, quantity: 2 }] }] },
  })).status).toBe(200);
  await page.getByTestId('open-sync').click();
  const syncWindow = page.getByTestId('sync-window');
  await expect(syncWindow.getByTestId('quota')).toHaveText('Manual syncs left today: 10 of 10.');
  await expectAccessible(page, 'sync window');
  await syncWindow.getByTestId('api-sync').click();
  await expect(syncWindow.getByTestId('sync-message')).toContainText('Through the AliExpress API: 1 of');
  await expect(syncWindow.getByTestId('quota')).toContainText('Manual syncs left today: 9 of 10.');
  await expect(syncWindow.getByTestId('api-sync')).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/sync-window.png` });
  await page.keyboard.press('Escape');
  await expect.poll(() => shop.fulfillments().map((f) => f.trackingInfo.map((t) => t.number).join())).toEqual(['LP00E2E3001']);
  await expect.poll(async () => (await api<{ fulfillments: { status: string }[] }>(site, alpha.token, `/v1/store-orders/${storeOrderId}`)).body.fulfillments.map((f) => f.status)).toEqual(['sent']);
  await page.goto(`${site.url}/#/orders/${storeOrderId}`);
  await expect(page.getByTestId('order-state')).toHaveText('Fulfilled');
  await expect(page.getByTestId('line-items')).toHaveText('2 × Silk scarf · SCARF-01');
  await expect(page.getByTestId('status-source')).toHaveText('from its status code');
  await expect(page.getByTestId('fulfillments')).toContainText('Reached the store · LP00E2E3001');
  await expectAccessible(page, 'order from the store');
  await page.screenshot({ path: `${SHOTS}/order-from-store.png`, fullPage: true });
  await expect.poll(() => site.receiver.received.map((r) => JSON.parse(r.body).type as string)).toContain('order.fulfilled');
  for (const delivery of site.receiver.received) expect(signedWith(secret, delivery.signature, delivery.body)).toBe(true);

  // Disconnecting each: the AliExpress account, the webhook, the store.
  await page.getByRole('link', { name: 'Settings' }).click();
  await aliexpressAccount.getByRole('button', { name: 'Disconnect' }).click();
  await expect(aliexpressAccount.getByRole('button', { name: 'Connect the AliExpress account' })).toBeVisible();
  expect((await api<{ connected: boolean }>(site, alpha.token, '/v1/aliexpress-account')).body.connected).toBe(false);
  await webhooks.getByRole('button', { name: `Remove ${site.receiver.url}` }).click();
  await expect(webhooks.locator('li')).toHaveCount(0);
  expect((await api<unknown[]>(site, alpha.token, '/v1/webhook-endpoints')).body).toEqual([]);
  await store.getByRole('button', { name: `Disconnect ${shop.domain}` }).click();
  await expect(store).toContainText('No store connected.');
  expect((await api<unknown[]>(site, alpha.token, '/v1/stores')).body).toEqual([]);

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
  await signIn(page, `${site.url}/`, beta.login);
  await expect(page.getByTestId('count-all')).toHaveText('0');
  await expect(page.getByTestId('count-needs_action')).toHaveText('0');
  await expect(page.getByTestId('count-unlinked')).toHaveText('0');
  await page.getByLabel('Search orders').fill('LPE2E0000001');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('empty')).toBeVisible();
  await page.goto(`${site.url}/#/orders/${ids['#2004']}`);
  await expect(page.getByRole('alert')).toContainText('no store order');
});
