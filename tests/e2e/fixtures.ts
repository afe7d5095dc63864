/**
 * End-to-end fixtures: the built extension in a real headless Chromium, the AliExpress sandbox
 * under real URLs, and a real backend process on a real (embedded) database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import type { CachedAliOrder } from '../../lib/cache/db';
import type { SyncRun } from '../../lib/cache/sync-run';
import { installAliExpressSandbox, type Sandbox } from '../../scripts/lib/aliexpress-sandbox';
import { createMerchantToken, startBackend, type BackendProcess } from '../../scripts/lib/backend-process';
import { extensionIdOf, extensionWorker, launchWithExtension } from '../../scripts/lib/chromium';
import { readCacheStore, readLatestRun, type StoreRead } from '../../scripts/lib/extension-db';

export const EXTENSION_DIR = fileURLToPath(new URL('../../.output/chrome-mv3-e2e', import.meta.url));

export interface Backend {
  url: string;
  token: string;
  /** Starts the backend again after stop(), on the same port and database. */
  start(): Promise<void>;
  /** Calls the backend's API as the merchant. */
  api<T = unknown>(path: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** Stops the process; the database stays for start(). */
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export interface Extension {
  context: BrowserContext;
  worker: Worker;
  id: string;
  sandbox: Sandbox;
  /** Opens an extension page (popup.html, options.html) in a tab. */
  openPage(path: string): Promise<Page>;
}

/** `extraEnv`: more configuration of the backend process (an AliExpress app, say). */
export async function launchBackend(extraEnv: NodeJS.ProcessEnv = {}): Promise<Backend> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aos-backend-'));
  // The embedded database belongs to one process at a time: the token first, then the server.
  const env = { ...extraEnv, DATA_DIR: dataDir, DATABASE_URL: '' };
  const token = createMerchantToken('e2e merchant', env);
  let server: BackendProcess | undefined = await startBackend(env);
  // A stop a test did not wait for (from a route handler, say) must be over before a start.
  let stopping: Promise<void> = Promise.resolve();
  const url = server.url;
  return {
    url,
    token,
    async start() {
      await stopping;
      server ??= await startBackend({ ...env, PORT: new URL(url).port });
    },
    async api(path, init = {}) {
      const response = await fetch(url + path, {
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
      return body;
    },
    stop() {
      const running = server;
      server = undefined;
      stopping = stopping.then(() => running?.stop());
      return stopping;
    },
    async dispose() {
      await stopping;
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const test = base.extend<{ backend: Backend; extension: Extension }>({
  backend: async ({}, use) => {
    const backend = await launchBackend();
    await use(backend);
    await backend.dispose();
  },
  extension: async ({}, use) => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'aos-profile-'));
    const context = await launchWithExtension({ extensionDir: EXTENSION_DIR, userDataDir, headless: true });
    const sandbox = await installAliExpressSandbox(context);
    const worker = await extensionWorker(context);
    const id = extensionIdOf(worker.url());
    await use({
      context,
      worker,
      id,
      sandbox,
      async openPage(path) {
        const page = await context.newPage();
        await page.goto(`chrome-extension://${id}/${path}`);
        return page;
      },
    });
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  },
});

/** Points the extension at the backend through its options page, as a merchant does. */
export async function configureExtension(extension: Extension, backend: Pick<Backend, 'url' | 'token'>): Promise<void> {
  const options = await extension.openPage('options.html');
  await options.getByLabel('Backend URL').fill(backend.url);
  await options.getByLabel('API token').fill(backend.token);
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.getByRole('status')).toHaveText('Saved.');
  await options.close();
}

/** Reads one store of the extension's IndexedDB from a popup page opened for it. */
export async function readStore<T>(extension: Extension, store: string, read: StoreRead): Promise<T> {
  const page = await extension.openPage('popup.html');
  try {
    return await readCacheStore<T>(page, store, read);
  } finally {
    await page.close();
  }
}

/** The AliExpress orders in the extension's IndexedDB. */
export const cachedAliOrders = (extension: Extension) => readStore<CachedAliOrder[]>(extension, 'aliOrders', { all: true });

/** Clicks Sync, as the popup's button does (by message). */
export async function startManualSync(extension: Extension) {
  const page = await extension.openPage('popup.html');
  const reply = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'manual-sync-start' }));
  expect(reply).toEqual({ ok: true });
  return page;
}

/** The newest manual sync run in the extension's IndexedDB. */
export async function latestRun(extension: Extension): Promise<SyncRun | undefined> {
  const page = await extension.openPage('popup.html');
  try {
    return await readLatestRun<SyncRun>(page);
  } finally {
    await page.close();
  }
}

/** Settings straight into storage, with the shortest pause between page loads the settings allow. */
export async function configureFastSync(extension: Extension, backend: Backend) {
  // The shortest pause the settings allow, so 21 page loads take seconds.
  await extension.worker.evaluate(
    ({ url, token }) => chrome.storage.local.set({ settings: { backendUrl: url, apiToken: token, autoSync: true, pauseBetweenPagesMs: 500, notifications: false }, settings$: { v: 2 } }),
    { url: backend.url, token: backend.token },
  );
}

/** Waits for the newest manual sync to end (any status but running) and returns it. */
export async function finishedRun(extension: Extension, timeout = 90_000): Promise<SyncRun> {
  await expect.poll(async () => (await latestRun(extension))?.status ?? 'none', { timeout }).not.toMatch(/^(running|none)$/);
  return (await latestRun(extension))!;
}

export { expect };
