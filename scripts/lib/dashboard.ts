/** The dashboard in a browser, as `npm start` and the end-to-end tests use it: built, signed in to, photographed. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';

const ROOT = resolve(import.meta.dirname, '../..');

/** Builds dashboard/ into dashboard/dist (what the backend serves at `/`); false when the build failed. */
export function buildDashboard(): boolean {
  const build = spawnSync(`${ROOT}/node_modules/.bin/vite`, ['build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return build.status === 0;
}

/** Opens the dashboard at `url` and signs in; resolves once the order screen shows its first rows. */
export async function signInToDashboard(context: BrowserContext, url: string, login: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel(/^Login$/).fill(login);
  await page.getByLabel(/^Password$/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('order-row').first().waitFor();
  return page;
}

/** Screenshots of the order screen and of the newest order with a tracking number, saved as `<prefix>-orders.png` and `<prefix>-order.png`. */
export async function photographDashboard(page: Page, prefix: string): Promise<string[]> {
  const orders = `${prefix}-orders.png`;
  await page.screenshot({ path: orders, fullPage: true });
  const tracked = page.getByTestId('order-row').filter({ has: page.getByTestId('tracking-number') });
  await tracked.first().getByRole('link').first().click();
  await page.getByTestId('history').waitFor();
  const order = `${prefix}-order.png`;
  await page.screenshot({ path: order, fullPage: true });
  return [orders, order];
}
