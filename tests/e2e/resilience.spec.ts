/**
 * Nothing is lost: the backend going down, the worker dying mid-sync, and AliExpress asking to log
 * in or to pass a bot check, each in a real Chromium against a real backend process.
 */
import type { OrdersResponse } from '../../lib/domain/api';
import { configureExtension, configureFastSync, expect, finishedRun, latestRun, readStore, startManualSync, test, type Backend, type Extension } from './fixtures';

async function place(backend: Backend, storeOrderNumber: string, aliOrderId: string) {
  const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber, paid: true } });
  await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId, supplier: 'Supplier' }] } });
}

async function aliStatus(backend: Backend, aliOrderId: string) {
  const { orders } = await backend.api<OrdersResponse>('/v1/orders?limit=100');
  return orders.flatMap((o) => o.aliOrders).find((a) => a.aliOrderId === aliOrderId)?.status;
}

const outboxCount = (extension: Extension) => readStore<number>(extension, 'outbox', { count: true });

const fireSyncAlarm = (extension: Extension) =>
  extension.worker.evaluate(() => chrome.alarms.create('auto-sync', { delayInMinutes: 0.005, periodInMinutes: 10 }));

test('backend down while browsing: the pages read are kept and delivered by the alarm once it is back', async ({ backend, extension }) => {
  await place(backend, '#1001', '8214398062177351');
  await configureExtension(extension, backend);
  await backend.stop();

  const aliexpress = await extension.context.newPage();
  await aliexpress.goto('https://www.aliexpress.com/p/order/index.html');
  await expect.poll(() => outboxCount(extension)).toBe(1);

  await backend.start();
  await fireSyncAlarm(extension);
  await expect.poll(() => aliStatus(backend, '8214398062177351')).toBe('shipped');
  expect(await outboxCount(extension)).toBe(0);
});

test('backend down during a sync: the run says so, and what it read reaches the backend once it is back', async ({ backend, extension }) => {
  await place(backend, '#1001', '8214398062177351');
  await place(backend, '#1002', '8209871234560011');
  await configureFastSync(extension, backend);
  // The backend goes away when the extension asks the list for page 2, and page 2 shows once it is
  // gone: its push is the one that finds no backend.
  extension.sandbox.override(async (url) => {
    if (url.hostname === 'acs.aliexpress.com' && url.pathname.includes('order.list')) await backend.stop();
    return undefined;
  });
  await startManualSync(extension);
  const run = await finishedRun(extension);
  expect(run.problem?.kind, JSON.stringify(run.problem)).toBe('backend_unreachable');

  await backend.start();
  await fireSyncAlarm(extension);
  await expect.poll(() => aliStatus(backend, '8209871234560011')).toBe('awaiting_shipment');
  expect(await aliStatus(backend, '8214398062177351')).toBe('shipped');
  // A read can be queued while that push runs (the alarm's own refresh, the tab's last answer):
  // the next alarm takes it. Nothing stays queued once the backend is back.
  await expect
    .poll(async () => {
      const queued = await outboxCount(extension);
      if (queued > 0) await fireSyncAlarm(extension);
      return queued;
    })
    .toBe(0);
});

test('the worker stopped mid-sync: the run is reported as interrupted, its tab closed, and nothing read is lost', async ({ backend, extension }) => {
  await place(backend, '#1001', '8214398062177351');
  await place(backend, '#1002', '8208765432100023');
  await configureFastSync(extension, backend);
  await startManualSync(extension);
  await expect.poll(async () => (await latestRun(extension))?.pagesLoaded ?? 0).toBeGreaterThanOrEqual(1);

  const popup = await extension.openPage('popup.html');
  const cdp = await extension.context.newCDPSession(popup);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');

  // Any event wakes the worker again; here the merchant's Refresh.
  await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'sync-now' }));
  await expect.poll(async () => (await latestRun(extension))?.status, { timeout: 45_000 }).toBe('interrupted');
  await expect.poll(() => extension.context.pages().filter((p) => p.url().includes('aliexpress.com')).length).toBe(0);
  await expect.poll(() => aliStatus(backend, '8214398062177351')).toBe('shipped');
});

test('a login page mid-sync stops it with what to do', async ({ backend, extension }) => {
  await place(backend, '#1001', '8214398062177351');
  await place(backend, '#1002', '8209871234560011');
  await configureFastSync(extension, backend);
  extension.sandbox.override((url) => (url.pathname.includes('order.list') ? { file: 'mtop-order-list-session-expired.json' } : undefined));
  await startManualSync(extension);
  expect(await finishedRun(extension)).toMatchObject({ status: 'failed' });
  expect((await latestRun(extension))?.problem).toMatchObject({ kind: 'login', message: expect.stringMatching(/log in to AliExpress/i) });
  // What the first page showed was pushed before the stop.
  expect(await aliStatus(backend, '8214398062177351')).toBe('shipped');
});

test('a bot check mid-sync stops it and says to slide to verify', async ({ backend, extension }) => {
  await place(backend, '#1001', '8209871234560011');
  await configureFastSync(extension, backend);
  extension.sandbox.override((url) => (url.pathname.includes('order.list') ? { file: 'mtop-order-list-bot-check.json' } : undefined));
  await startManualSync(extension);
  expect(await finishedRun(extension)).toMatchObject({ status: 'failed' });
  expect((await latestRun(extension))?.problem).toMatchObject({ kind: 'bot_check', message: expect.stringMatching(/slide to verify/) });
});
