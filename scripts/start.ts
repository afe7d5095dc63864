/**
 * `npm start`: the whole product on one machine. The backend on the embedded database, seeded
 * with a demo merchant; the extension built for it; Chromium with the extension on the AliExpress
 * sandbox. With a display it stays open; without one it shows the sync happen and exits.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { DSERS_STATE_LABELS } from '../lib/domain/store-order';
import { orderListUrl } from '../lib/aliexpress/urls';
import { ALI_STATUS_LABELS } from './lib/labels';
import type { OrderView } from '../lib/domain/api';
import type { SyncRun } from '../lib/cache/sync-run';
import type { Page, Worker } from '@playwright/test';
import { createApp } from '../server/app';
import { portFromEnv } from '../server/config';
import { openDatabase, type Database } from '../server/db';
import { seedDemo } from '../server/demo';
import { createLogger } from '../server/log';
import { listOrders } from '../server/views';
import { startAliExpressDemo } from './lib/aliexpress-demo';
import { installAliExpressSandbox, type Sandbox } from './lib/aliexpress-sandbox';
import { buildDashboard, photographDashboard, signInToDashboard } from './lib/dashboard';
import { printDemoStore, seedDemoStore } from './lib/demo-store';
import { createStoreLeg } from '../server/jobs/runner';
import { newSecretsKey, parseSecretsKey, secretBox } from '../server/secrets';
import { startShopifyContractServer } from '../tests/contract/shopify/server';
import { readLatestRun } from './lib/extension-db';
import { ensureChromium, extensionIdOf, extensionWorker, INSTALL_HINT, launchWithExtension } from './lib/chromium';

const ROOT = resolve(import.meta.dirname, '..');
const DATA_DIR = resolve(process.env.DATA_DIR ?? `${ROOT}/.data/demo`);
const EXTENSION_DIR = `${ROOT}/.output/chrome-mv3-demo`;
const headless = process.env.HEADLESS === '1' || !process.env.DISPLAY;

function printTable(orders: OrderView[]): void {
  const rows = orders.flatMap((o) =>
    (o.aliOrders.length ? o.aliOrders : [undefined]).map((a) => [
      o.storeOrderNumber,
      DSERS_STATE_LABELS[o.state],
      a?.aliOrderId ?? '—',
      a?.supplier ?? '—',
      a ? ALI_STATUS_LABELS[a.status] : '—',
      a?.packages.map((p) => `${p.trackingNumber} (${p.trackingStatus.replace('_', ' ')})`).join(', ') || '—',
    ]),
  );
  const header = ['Store order', 'State', 'AliExpress order', 'Supplier', 'AliExpress status', 'Tracking'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/** Clicks Sync (by its message) in the popup page and waits for the run to end. */
async function clickSync(popup: Page): Promise<SyncRun | undefined> {
  await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'manual-sync-start' }));
  const latest = () => readLatestRun<SyncRun>(popup);
  const deadline = Date.now() + 180_000;
  let run = await latest();
  while ((!run || run.status === 'running') && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    run = await latest();
  }
  return run;
}

/**
 * The 10-minute alarm, fired now as it fires by itself: the worker refreshes the parcels in flight
 * through Cainiao's public tracking (the sandbox answers it), with no page load, and pushes.
 */
async function showAlarmRefresh(worker: Worker, sandbox: Sandbox, db: Database, merchantId: string): Promise<void> {
  const pageLoads = () => sandbox.requests.filter((u) => !u.startsWith('https://global.cainiao.com/')).length;
  const loadsBefore = pageLoads();
  const cainiaoBefore = sandbox.cainiao.requests.length;
  const since = new Date();
  await worker.evaluate(() => chrome.alarms.create('auto-sync', { delayInMinutes: 0.005, periodInMinutes: 10 }));
  const refreshed = async () =>
    (await db.query('select 1 from packages p join ali_orders a on a.id = p.ali_order_pk where a.merchant_id = $1 and p.read_at >= $2 limit 1', [merchantId, since])).rows.length > 0;
  const deadline = Date.now() + 60_000;
  while (!(await refreshed()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  const requests = sandbox.cainiao.requests.slice(cainiaoBefore);
  const asked = requests.flatMap((u) => new URL(u).searchParams.get('mailNos')?.split(',') ?? []);
  console.log(
    `\nThen the 10-minute alarm: ${requests.length} Cainiao request(s) for ${asked.length} parcels in flight, ` +
      `${pageLoads() - loadsBefore} page loads.\n`,
  );
  printTable((await listOrders(db, merchantId, { limit: 100 })).orders);
}

async function main(): Promise<number> {
  if (!ensureChromium()) {
    console.error(INSTALL_HINT);
    return 1;
  }
  const startedAt = new Date();
  const port = portFromEnv();
  // The demo starts from its seed every time: the same orders, a full manual-sync quota.
  rmSync(`${DATA_DIR}/pglite`, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  const db = await openDatabase({ dataDir: `${DATA_DIR}/pglite` });
  const { merchantId, token, login, password } = await seedDemo(db);
  if (!buildDashboard()) {
    console.error('The dashboard build failed (see above).');
    return 1;
  }
  const log = createLogger(process.env.LOG_LEVEL === 'info');
  const aliexpress = await startAliExpressDemo(db, log);
  // The store leg against the Shopify contract server, with a key made for this run.
  const shopify = await startShopifyContractServer();
  const box = secretBox(parseSecretsKey(newSecretsKey()));
  const storeLeg = createStoreLeg({ db, log, box, adminOrigin: shopify.origin });
  const app = createApp({ db, log, aliexpress: aliexpress.service, box, storeLeg });
  const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
  const backendUrl = `http://127.0.0.1:${port}`;
  console.log(`Backend: ${backendUrl} (embedded database in ${DATA_DIR}/pglite, demo token ${token})`);
  console.log(`Dashboard: ${backendUrl}/ (sign in as "${login}", password ${password})`);
  console.log(`AliExpress Open Platform: the contract server at ${aliexpress.origin} stands in for api-sg.aliexpress.com`);
  storeLeg.start();
  const shop = await seedDemoStore({ db, box, merchantId, backendUrl, shopify, storeLeg });
  console.log(`Shopify store: ${shop.domain} (the Shopify contract server at ${shopify.origin}); orders #2001 and #2002 came in by webhook and were placed`);

  const build = spawnSync(`${ROOT}/node_modules/.bin/wxt`, ['build', '--mode', 'demo'], {
    cwd: ROOT,
    env: { ...process.env, WXT_BACKEND_URL: backendUrl, WXT_API_TOKEN: token },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) {
    console.error('The extension build failed (see above).');
    return 1;
  }
  console.log(`Extension: built for that backend in ${EXTENSION_DIR}`);

  // A fresh profile each run: the extension starts from the settings this build was made with.
  const profile = mkdtempSync(`${tmpdir()}/ali-order-sync-demo-`);
  const context = await launchWithExtension({ extensionDir: EXTENSION_DIR, userDataDir: profile, headless });
  const sandbox = await installAliExpressSandbox(context);
  const worker = await extensionWorker(context);
  const extensionId = extensionIdOf(worker.url());
  const orderList = await context.newPage();
  await orderList.goto(orderListUrl());
  console.log(`AliExpress sandbox: opened the saved order list at ${orderListUrl()}`);

  const close = async () => {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    await storeLeg.stop();
    server.close();
    await aliexpress.stop();
    await shopify.close();
    await db.close();
  };

  if (!headless) {
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await signInToDashboard(context, `${backendUrl}/`, login, password);
    console.log('Chromium is open with the extension and the dashboard. Press Ctrl-C to stop.');
    await new Promise<void>((done) => process.once('SIGINT', () => done()));
    await close();
    return 0;
  }

  // Headless: wait until the extension's push has reached the backend, then show both sides.
  const deadline = Date.now() + 60_000;
  const syncedSince = async () =>
    (await db.query('select 1 from ali_orders where merchant_id = $1 and updated_at >= $2 limit 1', [merchantId, startedAt])).rows.length > 0;
  let synced = false;
  while (!(synced = await syncedSince()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  console.log(synced ? '\nThe backend after the extension read the order list page:\n' : '\nThe extension did not sync within 60 s. The backend now:\n');
  printTable((await listOrders(db, merchantId, { limit: 100 })).orders);

  // Then the Sync button, as a merchant clicks it: the tracking pages the backend still needs.
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 420, height: 590 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  const run = synced ? await clickSync(popup) : undefined;
  if (run) {
    console.log(
      `\nThen the Sync button: ${run.status}${run.problem ? ` (${run.problem.message})` : ''}; ${run.pagesLoaded} page loads, ` +
        `${run.ordersSeen} of ${run.watched} watched orders seen, ${run.changed} changed, ${run.newTrackingNumbers} new tracking numbers.\n`,
    );
    printTable((await listOrders(db, merchantId, { limit: 100 })).orders);
  }
  if (run) await showAlarmRefresh(worker, sandbox, db, merchantId);

  // Without Chrome: the merchant connects their AliExpress account and the backend reads through
  // the API what the pages did not show (as the scheduled pass does, costing no manual sync).
  const landed = await aliexpress.connect(merchantId, backendUrl);
  const read = await aliexpress.service.syncMerchant(merchantId, new Date());
  console.log(
    `\nThen the AliExpress API (connected: ${landed}): ${read.asked} watched orders asked, ${read.read} read, ` +
      `${read.problems.length} not read through the API (the Chrome sync reads those).\n`,
  );
  printTable((await listOrders(db, merchantId, { limit: 100 })).orders);
  await popup.reload();
  await popup.locator('[data-store-order]').first().waitFor();
  const screenshot = `${DATA_DIR}/popup.png`;
  await popup.screenshot({ path: screenshot });
  console.log(`\nPopup screenshot: ${screenshot}`);
  const dashboard = await signInToDashboard(context, `${backendUrl}/`, login, password);
  const shots = await photographDashboard(dashboard, `${DATA_DIR}/dashboard`);
  console.log(`Dashboard screenshots: ${shots.join(', ')}`);
  await printDemoStore(db, shop);
  await close();
  return synced ? 0 : 1;
}

process.exitCode = await main();
