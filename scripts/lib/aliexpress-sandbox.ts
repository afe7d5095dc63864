/**
 * The AliExpress sandbox: saved AliExpress pages from the project's fixtures, served under their
 * real URLs inside a browser context, so the extension runs on them exactly as on the live site.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Route } from '@playwright/test';

const PAGES = fileURLToPath(new URL('../../tests/fixtures/pages/', import.meta.url));

export interface SandboxPage {
  /** Matches the path and query of an AliExpress URL. */
  match: (url: URL) => boolean;
  /** File under tests/fixtures/pages. */
  file: string;
}

export const DEFAULT_SANDBOX: SandboxPage[] = [
  { match: (u) => u.hostname === 'www.aliexpress.com' && u.pathname === '/p/order/index.html', file: 'order-list-en.html' },
];

export interface Sandbox {
  /** Every URL the sandbox answered, in order (page loads and API calls alike). */
  requests: string[];
  /** Serve a different saved page for the matching URLs from now on (first match wins). */
  serve(page: SandboxPage): void;
}

export async function installAliExpressSandbox(context: BrowserContext, pages: SandboxPage[] = DEFAULT_SANDBOX): Promise<Sandbox> {
  const table = [...pages];
  const requests: string[] = [];
  const handler = async (route: Route) => {
    const url = new URL(route.request().url());
    const page = table.find((p) => p.match(url));
    if (!page) {
      // Images, scripts and beacons of the real site are not part of the sandbox.
      await route.fulfill({ status: 404, contentType: 'text/plain', body: 'not in the AliExpress sandbox' });
      return;
    }
    requests.push(url.href);
    const body = readFileSync(PAGES + page.file);
    const contentType = page.file.endsWith('.json') ? 'application/json' : 'text/html; charset=utf-8';
    await route.fulfill({ status: 200, contentType, body });
  };
  await context.route(/^https:\/\/([a-z0-9-]+\.)*aliexpress\.(com|us|ru)\//, handler);
  return { requests, serve: (page) => table.unshift(page) };
}
