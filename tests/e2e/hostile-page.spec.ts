/**
 * A hostile script on the merchant's own AliExpress tracking page (served under its real URL)
 * tries every way it has to add a "delivered" package of its own to a real order; the cache and
 * the backend keep only what AliExpress itself answered.
 */
import { readFileSync } from 'node:fs';
import type { OrdersResponse } from '../../lib/domain/api';
import { cachedAliOrders, configureExtension, expect, test, type Backend } from './fixtures';

const TRACKED = '8212313961591322';
const OTHER = '8209871234560013';
const REAL_PACKAGE = 'LP961591322BR';
const realAnswer = readFileSync(new URL(`../fixtures/pages/tracking/querydetail-${TRACKED}.json`, import.meta.url), 'utf8');
/** The real answer with the forger's tracking number: delivered events and all. */
const forgedFor = (id: string) => realAnswer.replaceAll(REAL_PACKAGE, 'FORGED000001BR').replaceAll(TRACKED, id);
const shell = readFileSync(new URL('../fixtures/pages/tracking-shell.html', import.meta.url), 'utf8');
const trackingUrl = (id: string) => `https://www.aliexpress.com/p/tracking/index.html?_addShare=no&_login=yes&tradeOrderId=${id}`;
const apiUrl = (host: string, id: string) => `https://${host}/h5/mtop.ae.ld.querydetail/1.0/?api=mtop.ae.ld.querydetail&data=${encodeURIComponent(JSON.stringify({ tradeOrderId: id }))}`;

/** Runs in the page's world as the page's first script, before AliExpress's own code. */
function hostileScript(forged: { tracked: string; other: string }, ids: { tracked: string; other: string }, evilUrls: string[]) {
  const attempts: Promise<unknown>[] = [];
  // 1. The old hand-off: a DOM event of the name the content script used to listen to.
  for (const [id, text] of [[ids.other, forged.other], [ids.tracked, forged.tracked]] as const) {
    const url = `https://acs.aliexpress.com/h5/mtop.ae.ld.querydetail/1.0/?data=${encodeURIComponent(JSON.stringify({ tradeOrderId: id }))}`;
    document.dispatchEvent(new CustomEvent('ali-order-sync:observed', { detail: `mtop.ae.ld.querydetail\n${url}\n${text}` }));
    document.dispatchEvent(new CustomEvent('ali-order-sync:observed', { detail: { api: 'mtop.ae.ld.querydetail', url, text, pageUrl: url } }));
  }
  // 2. The channel: ask for the hook's port, and offer a port of its own.
  const stolen: MessagePort[] = [];
  const own = new MessageChannel();
  document.addEventListener('ali-order-sync:port', (event) => {
    const port = (event as MessageEvent).ports[0];
    if (port && port !== own.port2) stolen.push(port);
  });
  document.dispatchEvent(new Event('ali-order-sync:ready'));
  document.dispatchEvent(new MessageEvent('ali-order-sync:port', { ports: [own.port2], cancelable: true }));
  own.port1.postMessage({ api: 'mtop.ae.ld.querydetail', url: evilUrls[0], text: forged.tracked });
  // 3. Answers from a server of its own, whose URLs name the watched API.
  for (const url of evilUrls) {
    attempts.push(fetch(url).then((r) => r.text()));
    attempts.push(
      new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('GET', url);
        xhr.addEventListener('loadend', resolve);
        xhr.send();
      }),
    );
  }
  // 4. Init data of its own (tracking pages have none).
  (window as unknown as Record<string, unknown>).__INIT_DATA_CALLBACK__ = (success: (data: unknown) => void) => success(JSON.parse(forged.tracked));
  ((window as unknown as Record<string, unknown>).__INIT_DATA_CALLBACK__ as (s: () => void) => void)(() => undefined);
  void Promise.allSettled(attempts).then(() => {
    (window as unknown as Record<string, unknown>).__hostile = { stolen: stolen.length, done: true };
  });
}

async function placeOrders(backend: Backend) {
  for (const [number, aliOrderId] of [['#5001', TRACKED], ['#5002', OTHER]] as const) {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber: number, paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier: 'Vega Store' }] } });
  }
}

test('a script on the tracking page cannot add a delivered package to a real order, in the cache or the backend', async ({ backend, extension }) => {
  await placeOrders(backend);
  await configureExtension(extension, backend);
  const page = await extension.context.newPage();
  const evilUrls = [apiUrl('evil.example', TRACKED), apiUrl('aliexpress.com.evil.example', OTHER)];
  await page.route('https://*evil.example/**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: forgedFor(TRACKED) }),
  );
  const attack = `(${hostileScript.toString()})(${JSON.stringify({ tracked: forgedFor(TRACKED), other: forgedFor(OTHER) })}, ${JSON.stringify({ tracked: TRACKED, other: OTHER })}, ${JSON.stringify(evilUrls)});`;
  await page.route(trackingUrl(TRACKED), (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: shell
        .replace('</head>', `<script>${attack}</script>\n</head>`)
        .replace('</body>', '<script src="https://www.aliexpress.com/__sandbox__/tracking-app.js"></script>\n</body>'),
    }),
  );

  await page.goto(trackingUrl(TRACKED));
  await expect.poll(() => page.evaluate(() => (window as unknown as { __hostile?: { done: boolean } }).__hostile?.done)).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __hostile: { stolen: number } }).__hostile.stolen)).toBe(0);
  // The page's own answer still gets through, over the same channel, in the same page.
  await expect.poll(async () => (await cachedAliOrders(extension)).find((c) => c.aliOrderId === TRACKED)?.order.packages.map((p) => p.trackingNumber)).toEqual([REAL_PACKAGE]);

  const popup = await extension.openPage('popup.html');
  expect(await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'sync-now' }))).toEqual({ ok: true });
  await popup.close();
  const orders = async () => (await backend.api<OrdersResponse>('/v1/orders?limit=100')).orders;
  await expect.poll(async () => JSON.stringify(await orders())).toContain(REAL_PACKAGE);

  const cached = await cachedAliOrders(extension);
  expect(JSON.stringify(cached)).not.toContain('FORGED');
  expect(cached.find((c) => c.aliOrderId === OTHER)?.order.packages ?? []).toEqual([]);
  expect(JSON.stringify(await orders())).not.toContain('FORGED');
});
