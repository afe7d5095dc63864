/**
 * Figures of the built extension (.output/chrome-mv3-bench) in a real headless Chromium:
 * - main-thread time it adds to an order list page load: the sandbox order list, loaded in turn
 *   in a profile with the extension and one without (same flags), CDP Performance.getMetrics
 *   after the content script's settle read;
 * - Dexie: 10,000 orders through the extension's own cache code (recordSnapshot, pullOrders),
 *   bundled into its popup page, on a database of its own in the extension's origin;
 * - the popup opened with 5,000 cached store orders: navigation start to the first order row
 *   (`[data-store-order]`) laid out, and the frame after it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { orderListUrl } from '../lib/aliexpress/urls';
import { installAliExpressSandbox } from '../scripts/lib/aliexpress-sandbox';
import { extensionIdOf, launchWithExtension } from '../scripts/lib/chromium';
import { listOrder, storeOrderView } from './data';
import { bundleForPage, log, median, ROOT, round, underBudget, type Figure } from './lib';

const ORDER_LIST_URL = orderListUrl();
const ROW_SELECTOR = '[data-store-order]';

interface Profile {
  context: BrowserContext;
  dir: string;
  close(): Promise<void>;
}

/** The same browser as the tests and npm start, with or without the extension. */
async function launch(extensionDir: string | undefined): Promise<Profile> {
  const dir = mkdtempSync(join(tmpdir(), 'aos-bench-profile-'));
  const context = await launchWithExtension({ extensionDir, userDataDir: dir, headless: true });
  return {
    context,
    dir,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface LoadMetrics {
  taskMs: number;
  scriptMs: number;
}

/** One order list page load in a fresh tab; the metrics once the content script's settle read (1 s after load) is done. */
async function loadOnce(context: BrowserContext): Promise<LoadMetrics> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(ORDER_LIST_URL, { waitUntil: 'load' });
    await page.waitForTimeout(1600);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000;
    await cdp.detach();
    return { taskMs: metric('TaskDuration'), scriptMs: metric('ScriptDuration') };
  } finally {
    await page.close();
  }
}

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string; lineNumber: number; columnNumber: number };
}

/**
 * One more load with the extension (not counted), under the CPU profiler: self time per function
 * of the extension's scripts, with a snippet of the minified code, so the table's number comes
 * with its cause.
 */
async function profileExtensionLoad(context: BrowserContext, extensionDir: string): Promise<Record<string, unknown>[]> {
  const page = await context.newPage();
  try {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await page.goto(ORDER_LIST_URL, { waitUntil: 'load' });
    await page.waitForTimeout(1600);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
    await cdp.detach();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, { ms: number; frame: ProfileNode['callFrame'] }>();
    profile.samples.forEach((id, i) => {
      const frame = byId.get(id)?.callFrame;
      if (!frame?.url.startsWith('chrome-extension://')) return;
      const key = `${frame.url}:${frame.lineNumber}:${frame.columnNumber}`;
      const entry = self.get(key) ?? { ms: 0, frame };
      entry.ms += (profile.timeDeltas[i] ?? 0) / 1000;
      self.set(key, entry);
    });
    const top = [...self.values()].sort((a, b) => b.ms - a.ms).slice(0, 5);
    const source = (script: string): string => {
      try {
        return readFileSync(join(extensionDir, script), 'utf8');
      } catch {
        return '';
      }
    };
    return top.map(({ ms, frame }) => {
      const script = frame.url.replace(/^chrome-extension:\/\/[^/]+\//, '');
      const line = source(script).split('\n')[frame.lineNumber] ?? '';
      return {
        selfMs: round(ms, 1),
        script,
        function: frame.functionName || '(anonymous)',
        at: `${frame.lineNumber + 1}:${frame.columnNumber + 1}`,
        code: line.slice(frame.columnNumber, frame.columnNumber + 160),
      };
    });
  } finally {
    await page.close();
  }
}

async function measurePageLoad(withExt: BrowserContext, without: BrowserContext, runs: number, extensionDir: string): Promise<Figure> {
  await installAliExpressSandbox(withExt);
  await installAliExpressSandbox(without);
  // One load each to warm caches (code caches, the sandbox files) before counting.
  await loadOnce(withExt);
  await loadOnce(without);
  const a: LoadMetrics[] = [];
  const b: LoadMetrics[] = [];
  for (let i = 0; i < runs; i++) {
    // Alternate who goes first, so a burst of load elsewhere on the machine hits both alike.
    if (i % 2 === 0) {
      a.push(await loadOnce(withExt));
      b.push(await loadOnce(without));
    } else {
      b.push(await loadOnce(without));
      a.push(await loadOnce(withExt));
    }
  }
  const withTask = median(a.map((m) => m.taskMs));
  const withoutTask = median(b.map((m) => m.taskMs));
  const withScript = median(a.map((m) => m.scriptMs));
  const withoutScript = median(b.map((m) => m.scriptMs));
  const added = withTask - withoutTask;
  const pairedAdded = median(a.map((m, i) => m.taskMs - b[i]!.taskMs));
  const hotspots = await profileExtensionLoad(withExt, extensionDir).catch((error: unknown) => [{ error: String(error) }]);
  return underBudget(
    {
      id: 'page_load.extension_main_thread',
      figure: 'main-thread time the extension adds to an order list page load (with vs without)',
      value: round(added, 2),
      unit: 'ms',
      shown: `${round(added, 1)} ms (ratio ${round(withTask / withoutTask, 2)}: ${round(withTask, 1)} vs ${round(withoutTask, 1)} ms)`,
      details: {
        runsPerSide: runs,
        taskDurationMs: { with: a.map((m) => round(m.taskMs, 1)), without: b.map((m) => round(m.taskMs, 1)) },
        scriptDurationMs: { with: a.map((m) => round(m.scriptMs, 1)), without: b.map((m) => round(m.scriptMs, 1)) },
        medianScriptAddedMs: round(withScript - withoutScript, 2),
        medianPairedTaskAddedMs: round(pairedAdded, 2),
        extensionHotspots: hotspots,
        method:
          'sandbox order list (tests/fixtures/pages/order-list-en.html under its real URL), fresh tab per load, CDP Performance.getMetrics TaskDuration 1.6 s after load (after the content script settle read); value = median(with) − median(without)',
      },
    },
    5,
    '< 5 ms',
  );
}

async function extensionPage(context: BrowserContext, path: string): Promise<{ page: Page; id: string }> {
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = extensionIdOf(worker.url());
  const page = await context.newPage();
  await page.goto(`chrome-extension://${id}/${path}`);
  return { page, id };
}

interface DexieRun {
  insertMs: number;
  upsertMs: number;
  changedOrders: number;
  pullFirstMs: number;
  pullReplaceMs: number;
  rawBulkPutMs: number;
  rawStoreBulkPutMs: number;
  rewrittenByReplace: number;
  cachedAli: number;
  cachedStore: number;
  outbox: number;
  outboxOrders: number;
}

async function measureDexie(context: BrowserContext, bundle: string, runs: number): Promise<Figure[]> {
  const { page } = await extensionPage(context, 'popup.html');
  try {
    await page.evaluate(bundle);
    const orders = Array.from({ length: 10_000 }, (_, n) => listOrder(n));
    const storeOrders = Array.from({ length: 10_000 }, (_, n) => storeOrderView(n));
    const results: DexieRun[] = [];
    for (let run = 0; run < runs; run++) {
      results.push(
        await page.evaluate(
          async (args) => {
            const { orders: list0, storeOrders: views, run: n, listUrl } = args;
            type Api = typeof import('./pages/cache-entry');
            const api = (globalThis as unknown as { __aosCache: Api }).__aosCache;
            const name = `aos-bench-dexie-${n}`;
            const db = api.openCache(name);
            await db.delete();
            await db.open();
            let key = 0;
            const newKey = () => `bench-${n}-${key++}`;
            const feed = async (step: number, list: typeof list0) => {
              for (let p = 0; p < 10; p++) {
                await api.recordSnapshot(
                  db,
                  {
                    kind: 'order_list',
                    url: listUrl,
                    capturedAt: new Date(Date.UTC(2026, 10, 20, 12, step, p)).toISOString(),
                    orders: list.slice(p * 1000, (p + 1) * 1000),
                    warnings: [],
                  },
                  newKey,
                );
              }
            };
            let started = performance.now();
            await feed(0, list0);
            const insertMs = performance.now() - started;
            // The next read of the same 10,000: a third of them moved on. Every order is read and
            // merged, and marked as seen; the rows of those that changed are written again.
            const moved = list0.map((o, i) => ({ ...o, status: i % 3 === 0 ? ('completed' as const) : o.status }));
            const changedOrders = moved.filter((o, i) => o.status !== list0[i]!.status).length;
            started = performance.now();
            await feed(1, moved);
            const upsertMs = performance.now() - started;
            const client = {
              orders: async (cursor?: string) => {
                const from = cursor ? Number(cursor) : 0;
                return { orders: views.slice(from, from + 100), nextCursor: from + 100 < views.length ? String(from + 100) : null };
              },
            } as unknown as Parameters<Api['pullOrders']>[1];
            started = performance.now();
            await api.pullOrders(db, client, new Date());
            const pullFirstMs = performance.now() - started;
            const replacedAt = new Date(Date.now() + 1000);
            started = performance.now();
            await api.pullOrders(db, client, replacedAt);
            const pullReplaceMs = performance.now() - started;
            // What the replacing pull wrote: the rows that carry its time.
            const storeRows = await db.storeOrders.toArray();
            const rewrittenByReplace = storeRows.filter((r) => r.pulledAt === replacedAt.toISOString()).length;
            started = performance.now();
            await db.storeOrders.bulkPut(storeRows.map((r) => ({ ...r, pulledAt: new Date().toISOString() })));
            const rawStoreBulkPutMs = performance.now() - started;
            // Baseline in the same run: Dexie alone writing the same 10,000 rows over themselves, one bulkPut.
            const rows = await db.aliOrders.toArray();
            started = performance.now();
            await db.aliOrders.bulkPut(rows.map((r) => ({ ...r, order: { ...r.order } })));
            const rawBulkPutMs = performance.now() - started;
            const outbox = await db.outbox.toArray();
            const counts = {
              cachedAli: await db.aliOrders.count(),
              cachedStore: await db.storeOrders.count(),
              outbox: outbox.length,
              outboxOrders: outbox.reduce((total, e) => total + e.snapshot.orders.length, 0),
            };
            await db.delete();
            return { insertMs, upsertMs, changedOrders, pullFirstMs, pullReplaceMs, rawBulkPutMs, rawStoreBulkPutMs, rewrittenByReplace, ...counts };
          },
          { orders, storeOrders, run, listUrl: ORDER_LIST_URL },
        ),
      );
    }
    const col = (k: keyof DexieRun) => results.map((r) => round(r[k], 1));
    const last = results.at(-1)!;
    if (last.cachedAli !== 10_000 || last.cachedStore !== 10_000) throw new Error(`Dexie runs cached ${last.cachedAli} AliExpress and ${last.cachedStore} store orders, expected 10,000 each`);
    const method = 'in the built extension\'s popup page (its origin\'s IndexedDB, a database of its own), the extension\'s cache code bundled by esbuild';
    return [
      underBudget(
        {
          id: 'dexie.upsert_10k_ali_orders',
          figure: 'Dexie: upsert 10,000 orders in Chromium (recordSnapshot: 10 pages of 1,000 over cached orders, a third changed)',
          value: round(median(results.map((r) => r.upsertMs)), 1),
          unit: 'ms',
          shown: `${round(median(results.map((r) => r.upsertMs)), 1)} ms (${last.changedOrders} changed; the first read, 10,000 new orders: ${round(median(results.map((r) => r.insertMs)), 1)} ms)`,
          details: {
            runs: col('upsertMs'),
            ordersChanged: last.changedOrders,
            firstInsertMs: col('insertMs'),
            rawBulkPutSameRowsMs: col('rawBulkPutMs'),
            ratioToRawBulkPut: round(median(results.map((r) => r.upsertMs / r.rawBulkPutMs)), 2),
            outboxEntriesAfter: last.outbox,
            // Every order once, in its newest read: the first pass's entries were coalesced away.
            outboxOrdersAfter: last.outboxOrders,
            method,
          },
        },
        1000,
        '< 1 s',
      ),
      underBudget(
        {
          id: 'dexie.replace_10k_store_orders',
          // A pull writes only the store orders that changed: this one brings the same 10,000 views
          // again, so the figure is the comparing; the first pull (every row new) is shown beside it.
          figure: 'Dexie: pull 10,000 cached store orders again in Chromium (pullOrders: compared, only changes written)',
          value: round(median(results.map((r) => r.pullReplaceMs)), 1),
          unit: 'ms',
          shown: `${round(median(results.map((r) => r.pullReplaceMs)), 1)} ms (the first pull, 10,000 new rows: ${round(median(results.map((r) => r.pullFirstMs)), 1)} ms)`,
          details: {
            runs: col('pullReplaceMs'),
            firstPullMs: col('pullFirstMs'),
            rawBulkPutSameRowsMs: col('rawStoreBulkPutMs'),
            ratioToRawBulkPut: round(median(results.map((r) => r.pullReplaceMs / r.rawStoreBulkPutMs)), 2),
            // The same 10,000 views again: a pull writes only what changed.
            rowsRewrittenByReplace: last.rewrittenByReplace,
            method,
          },
        },
        1000,
        '< 1 s',
      ),
    ];
  } finally {
    await page.close();
  }
}

/** Records when the first order row is laid out (non-empty box) and the next frame; runs before the popup's own code. */
const FIRST_ROW_PROBE = `(() => {
  const w = window;
  const check = () => {
    if (w.__benchFirstRow) return true;
    const row = document.querySelector(${JSON.stringify(ROW_SELECTOR)});
    if (!row) return false;
    const box = row.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const probe = { domMs: performance.now() };
    w.__benchFirstRow = probe;
    requestAnimationFrame(() => setTimeout(() => {
      probe.frameMs = performance.now();
      probe.rows = document.querySelectorAll(${JSON.stringify(ROW_SELECTOR)}).length;
    }, 0));
    return true;
  };
  const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})();`;

interface PopupRun {
  domMs: number;
  frameMs: number;
  rows: number;
}

async function measurePopup(context: BrowserContext, bundle: string, runs: number): Promise<Figure> {
  const { page: setup } = await extensionPage(context, 'popup.html');
  await setup.waitForTimeout(500);
  // A backend nobody listens on: the popup counts as configured, nothing replaces the seeded orders.
  await setup.evaluate(async () => {
    await chrome.storage.local.set({
      settings: { backendUrl: 'http://127.0.0.1:9', apiToken: 'seeded-token', autoSync: false, pauseBetweenPagesMs: 3000, notifications: false },
      settings$: { v: 2 },
    });
  });
  await setup.evaluate(bundle);
  const storeOrders = Array.from({ length: 5000 }, (_, n) => storeOrderView(n));
  await setup.evaluate(async (views) => {
    type Api = typeof import('./pages/cache-entry');
    const api = (globalThis as unknown as { __aosCache: Api }).__aosCache;
    const db = api.openCache();
    await db.storeOrders.clear();
    await db.storeOrders.bulkPut(views);
    await db.aliOrders.bulkPut(
      views.flatMap((s) =>
        s.aliOrders.map((a) => ({ aliOrderId: a.aliOrderId, order: { aliOrderId: a.aliOrderId, status: a.status, packages: [] } })),
      ),
    );
    db.close();
  }, storeOrders);
  const url = setup.url();
  await setup.close();

  const measured: PopupRun[] = [];
  let cold: PopupRun | undefined;
  for (let run = 0; run <= runs; run++) {
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 420, height: 590 });
      await page.addInitScript(FIRST_ROW_PROBE);
      await page.goto(url);
      const handle = await page
        .waitForFunction(() => {
          const probe = (window as unknown as { __benchFirstRow?: PopupRun }).__benchFirstRow;
          return probe?.frameMs !== undefined ? probe : undefined;
        }, undefined, { timeout: 15_000 })
        .catch(() => undefined);
      if (!handle) {
        const testIdRows = await page.locator('[data-testid="order-row"]').count();
        throw new Error(`no ${ROW_SELECTOR} row appeared in the popup within 15 s (rows by data-testid="order-row": ${testIdRows}); has the attribute gone?`);
      }
      const result = (await handle.jsonValue()) as PopupRun;
      if (run === 0) cold = result;
      else measured.push(result);
    } finally {
      await page.close();
    }
  }
  return underBudget(
    {
      id: 'popup.first_rows_5k',
      figure: 'popup: open to first rows with 5,000 cached orders',
      value: round(median(measured.map((r) => r.frameMs)), 1),
      unit: 'ms',
      details: {
        runsFrameMs: measured.map((r) => round(r.frameMs, 1)),
        runsRowInDomMs: measured.map((r) => round(r.domMs, 1)),
        firstOpenFrameMs: cold && round(cold.frameMs, 1),
        rowsRendered: measured[0]?.rows,
        selector: ROW_SELECTOR,
        method: 'navigation start (performance.now origin) to the frame after the first [data-store-order] row has a non-empty box; popup viewport 420×590; first open not counted',
      },
    },
    200,
    '< 200 ms',
  );
}

export interface ExtensionFigureIds {
  pageLoad: boolean;
  dexie: boolean;
  popup: boolean;
}

export async function measureExtension(extensionDir: string, which: ExtensionFigureIds): Promise<Figure[]> {
  const figures: Figure[] = [];
  const cacheBundle = await bundleForPage(join(ROOT, 'bench/pages/cache-entry.ts'), '__aosCache');
  const withExt = await launch(extensionDir);
  try {
    if (which.pageLoad) {
      log('page load with and without the extension');
      const without = await launch(undefined);
      try {
        figures.push(await measurePageLoad(withExt.context, without.context, 11, extensionDir));
      } finally {
        await without.close();
      }
    }
    if (which.dexie) {
      log('Dexie: 10,000 orders');
      figures.push(...(await measureDexie(withExt.context, cacheBundle, 3)));
    }
    if (which.popup) {
      log('popup with 5,000 cached orders');
      figures.push(await measurePopup(withExt.context, cacheBundle, 5));
    }
  } finally {
    await withExt.close();
  }
  return figures;
}
