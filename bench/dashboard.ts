/**
 * The dashboard in a real headless Chromium against the backend (createApp served in process):
 * - `dashboard.bundle_kb`: what the first screen loads of the dashboard's own assets (JS, CSS and
 *   the English catalogues the browser fetches), gzipped, as recorded from the page's responses;
 * - `dashboard.first_rows_ms`: a signed-in merchant with 50,000 store orders on PostgreSQL opens
 *   the dashboard: from navigation to the first order rows shown (median of several loads).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { chromium } from '@playwright/test';
import { buildDashboard } from '../scripts/lib/dashboard';
import { findChromium } from '../scripts/lib/chromium';
import { createApp } from '../server/app';
import { createMerchantWithLogin } from '../server/dashboard/accounts';
import { DEFAULT_DASHBOARD_DIR } from '../server/dashboard/static';
import { openDatabase, type Database } from '../server/db';
import { silentLogger } from '../server/log';
import { log, median, round, underBudget, type Figure } from './lib';

const ORDERS = 50_000;
const RUNS = 7;
const PASSWORD = 'bench password, long enough';

/** 50,000 store orders over the states, each placed to one AliExpress order, a third of them with a parcel. */
async function seed(db: Database, merchantId: string): Promise<void> {
  await db.query(
    `with s as (
       insert into store_orders (merchant_id, store_order_number, paid, state, created_at, updated_at)
       select $1, '#' || g, true, (array['awaiting_payment','awaiting_shipment','fulfilled','fulfilled'])[1 + g % 4], now(), now()
         from generate_series(1, $2::int) g
       returning id, store_order_number),
     a as (
       insert into ali_orders (merchant_id, store_order_id, ali_order_id, supplier, status, paid_at, last_seen_at, updated_at)
       select $1, s.id, (8500000000000000 + substr(s.store_order_number, 2)::bigint)::text, 'Supplier store', 'shipped', now() - interval '3 days', now(), now() from s
       returning id, ali_order_id)
     insert into packages (ali_order_pk, tracking_number, tracking_status, events, last_event_at, first_event_at, first_seen_at, read_at)
     select a.id, 'LP' || a.ali_order_id, 'in_transit', jsonb_build_array(jsonb_build_object('at', now() - interval '1 day', 'text', 'Departed from sorting center')),
            now() - interval '1 day', now() - interval '2 days', now() - interval '2 days', now()
       from a where a.ali_order_id::bigint % 3 = 0`,
    [merchantId, ORDERS],
  );
  await db.query('analyze');
}

async function measure(db: Database | undefined): Promise<{ bundleBytes: number; assets: Record<string, number>; firstRowsMs?: number[] }> {
  const app = createApp({ db: db ?? (await openDatabase({})), log: silentLogger });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const assets: Record<string, number> = {};
    page.on('response', (response) => {
      const path = new URL(response.url()).pathname;
      if (path.startsWith('/assets/')) assets[path] = gzipSync(readFileSync(join(DEFAULT_DASHBOARD_DIR, path))).length;
    });
    await page.goto(url);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    const bundleBytes = Object.values(assets).reduce((a, b) => a + b, 0);
    if (!db) return { bundleBytes, assets };
    await page.getByLabel(/^Login$/).fill('bench');
    await page.getByLabel(/^Password$/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('order-row').first().waitFor();
    const firstRowsMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now();
      await page.goto(url);
      await page.getByTestId('order-row').first().waitFor();
      firstRowsMs.push(performance.now() - started);
    }
    return { bundleBytes, assets, firstRowsMs };
  } finally {
    await browser.close();
    server.close();
  }
}

export async function measureDashboard(databaseUrl: string | undefined): Promise<Figure[]> {
  log('dashboard: building it');
  if (!buildDashboard()) throw new Error('the dashboard build failed');
  const figures: Figure[] = [];
  let bundle: { bundleBytes: number; assets: Record<string, number> };
  if (databaseUrl) {
    const schema = `bench_dashboard_${randomBytes(4).toString('hex')}`;
    const db = await openDatabase({ databaseUrl, schema });
    try {
      const { merchant } = await createMerchantWithLogin(db, { name: 'Bench', login: 'bench', password: PASSWORD });
      log(`dashboard: ${ORDERS} orders on PostgreSQL`);
      await seed(db, merchant.id);
      const result = await measure(db);
      bundle = result;
      const runs = result.firstRowsMs!.map((ms) => round(ms, 1));
      figures.push(
        underBudget(
          {
            id: 'dashboard.first_rows_ms',
            figure: `dashboard: open to first rows, ${ORDERS.toLocaleString('en')} orders (PostgreSQL, Chromium)`,
            value: median(runs),
            unit: 'ms',
            shown: `${round(median(runs), 1)} ms`,
            details: { runs, method: `signed in, page.goto('/') then the first order row visible; median of ${RUNS} loads (the counts, the first page of 50 and the live stream)` },
          },
          500,
          '< 500 ms',
        ),
      );
    } finally {
      await db.query(`drop schema if exists ${schema} cascade`);
      await db.close();
    }
  } else {
    bundle = await measure(undefined);
    figures.push({ id: 'dashboard.first_rows_ms', figure: 'dashboard: open to first rows, 50,000 orders (PostgreSQL)', unit: 'ms', shown: 'skipped (DATABASE_URL not set)', budget: '< 500 ms', verdict: 'skipped' });
  }
  const kb = round(bundle.bundleBytes / 1024, 1);
  figures.unshift(
    underBudget(
      { id: 'dashboard.bundle_kb', figure: 'bundle: dashboard (JS+CSS+catalogues its first screen loads, gzipped)', value: kb, unit: 'KB', shown: `${kb} KB`, details: { assets: bundle.assets } },
      80,
      '≤ 80 KB',
      true,
    ),
  );
  return figures;
}
