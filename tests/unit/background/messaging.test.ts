import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { SYNC_ALARM, ensureSyncAlarm } from '../../../lib/background/alarms';
import { handleMessage, messageHandlers, type Sender } from '../../../lib/background/messaging';
import type { SyncService } from '../../../lib/background/sync-service';
import type { Snapshot } from '../../../lib/domain/snapshot';

const LIST_PAGE = 'https://www.aliexpress.com/p/order/index.html';
const AT = '2026-12-01T10:00:00.000Z';
/** The tab the content scripts' messages come from. */
const TAB = 7;
const trackingPage = (id: string) => `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=${id}`;

const service = (): SyncService & { captured: unknown[]; syncs: number } => {
  const s = {
    captured: [] as unknown[],
    syncs: 0,
    capture: vi.fn(async (snapshot: unknown) => void s.captured.push(snapshot)),
    syncNow: vi.fn(async () => void (s.syncs += 1)),
    autoSync: vi.fn(async () => undefined),
    startManualSync: vi.fn(async () => {
      throw new Error('not in these tests');
    }),
    cancelManualSync: vi.fn(async () => false),
    refreshOrder: vi.fn(async () => {
      throw new Error('not in these tests');
    }),
    startApiSync: vi.fn(async () => ({ ok: true as const, read: { asked: 3, read: 2, changed: 1, notServed: 1 } })),
    recover: vi.fn(async () => undefined),
  };
  return s;
};

const SELF = { id: 'this-extension', pagesUrl: 'chrome-extension://this-extension/' };
/** This extension's content script on an AliExpress order list tab, and its popup. */
const fromAliExpress: Sender = { id: SELF.id, url: LIST_PAGE, tab: { id: 3 } };
const fromPopup: Sender = { id: SELF.id, url: `${SELF.pagesUrl}popup.html` };
/** This extension's content script in the tab at `url`. */
const inTab = (url: string): Sender => ({ id: SELF.id, url, tab: { id: TAB } });
const send = (raw: unknown, s: SyncService, sender: Sender = fromAliExpress) => handleMessage(raw, messageHandlers(s), sender, SELF);

describe('the message channel', () => {
  it('refuses a malformed snapshot with a clear error and passes nothing on', async () => {
    const s = service();
    const reply = await send({ type: 'snapshot', snapshot: { kind: 'order_list', orders: [{ aliOrderId: '123' }] } }, s);
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.error).toMatch(/^malformed message: /);
    expect(s.captured).toEqual([]);
  });

  it('refuses messages of unknown types', async () => {
    expect(await send({ type: 'delete-everything' }, service())).toMatchObject({ ok: false });
    expect(await send('hello', service())).toMatchObject({ ok: false });
  });

  it('passes a valid snapshot on', async () => {
    const s = service();
    const snapshot = { kind: 'order_list', url: 'https://www.aliexpress.com/p/order/index.html', capturedAt: '2026-11-22T09:00:00.000Z', orders: [], warnings: [] };
    expect(await send({ type: 'snapshot', snapshot }, s)).toEqual({ ok: true });
    expect(s.captured).toEqual([snapshot]);
  });

  it('reads a page answer the hook saw into the page\'s snapshot, and says what it was read as', async () => {
    const s = service();
    const text = readFileSync(new URL('../../fixtures/aliexpress-real/mtop-order-list-page1.json', import.meta.url), 'utf8');
    const reply = await send({ type: 'observed', api: 'mtop.aliexpress.trade.buyer.order.list', capturedAt: AT, text }, s, inTab(LIST_PAGE));
    expect(reply).toEqual({ ok: true, read: 'order_list' });
    const [snapshot] = s.captured as Snapshot[];
    expect(snapshot).toMatchObject({ kind: 'order_list', url: LIST_PAGE, capturedAt: AT });
    expect(snapshot!.orders.find((o) => o.aliOrderId === '8214398062177351')).toMatchObject({ status: 'shipped', storeName: 'LIMA Store' });
  });

  it('reads init data by the page it was seen on, and a JSONP answer as JSON', async () => {
    const s = service();
    const page1 = JSON.parse(readFileSync(new URL('../../fixtures/aliexpress-real/mtop-order-list-page1.json', import.meta.url), 'utf8'));
    const init = JSON.stringify({ data: page1.data });
    expect(await send({ type: 'observed', api: 'init', capturedAt: AT, text: init }, s, inTab(LIST_PAGE))).toEqual({ ok: true, read: 'order_list' });
    const jsonp = `mtopjsonp2(${JSON.stringify(page1)})`;
    expect(await send({ type: 'observed', api: 'mtop.aliexpress.trade.buyer.order.list', capturedAt: AT, text: jsonp }, s, inTab(LIST_PAGE))).toEqual({ ok: true, read: 'order_list' });
    expect(s.captured).toHaveLength(2);
  });

  it('keeps a login answer as the page problem it is', async () => {
    const s = service();
    const text = '{"api":"mtop.aliexpress.trade.buyer.order.list","data":{},"ret":["FAIL_SYS_SESSION_EXPIRED::SESSION失效"],"v":"1.0"}';
    expect(await send({ type: 'observed', api: 'mtop.aliexpress.trade.buyer.order.list', capturedAt: AT, text }, s, inTab(LIST_PAGE))).toEqual({ ok: true, read: 'login' });
    expect(s.captured).toMatchObject([{ kind: 'login', url: LIST_PAGE }]);
  });

  it('keeps nothing from an answer it cannot read, and says so, so the page\'s DOM is read instead', async () => {
    const s = service();
    for (const text of ['<html>gateway error</html>', '{"api":"mtop.aliexpress.trade.buyer.order.list","data":{"data":{}}}']) {
      expect(await send({ type: 'observed', api: 'mtop.aliexpress.trade.buyer.order.list', capturedAt: AT, text }, s, inTab(LIST_PAGE))).toEqual({ ok: true, read: 'unknown' });
    }
    expect(s.captured).toEqual([]);
    expect(await send({ type: 'observed', api: 'init', capturedAt: 'yesterday', text: '{}' }, s, inTab(LIST_PAGE))).toMatchObject({ ok: false });
  });

  it("takes the page, and so the order a tracking answer is about, from the sending tab's URL, never from the message", async () => {
    const s = service();
    const tracked = '8212313961591322';
    const other = '8209871234560013';
    const text = readFileSync(new URL(`../../fixtures/pages/tracking/querydetail-${tracked}.json`, import.meta.url), 'utf8');
    // A page script naming another order in the fields the message used to carry changes nothing.
    const forged = { type: 'observed', api: 'mtop.ae.ld.querydetail', url: trackingPage(other), pageUrl: trackingPage(other), capturedAt: AT, text };
    expect(await send(forged, s, inTab(trackingPage(tracked)))).toEqual({ ok: true, read: 'tracking' });
    expect((s.captured as Snapshot[]).map((snapshot) => [snapshot.url, snapshot.orders.map((o) => o.aliOrderId)])).toEqual([[trackingPage(tracked), [tracked]]]);
    // A tab whose URL was rewritten to another order (history.replaceState) does not move the parcels there.
    expect(await send(forged, s, inTab(trackingPage(other)))).toEqual({ ok: true, read: 'unknown' });
    // Not from a tab (an extension page, or no sender at all): no page to read it as.
    expect(await send(forged, s, { id: SELF.id })).toMatchObject({ ok: false });
    expect(await send(forged, s, { id: SELF.id, url: trackingPage(tracked) })).toMatchObject({ ok: false });
    expect(s.captured).toHaveLength(1);
  });

  it('reports a failing sync as an error reply rather than a broken channel', async () => {
    const s = service();
    s.syncNow = vi.fn(async () => {
      throw new Error('disk full');
    });
    expect(await send({ type: 'sync-now' }, s, fromPopup)).toEqual({ ok: false, error: 'disk full' });
  });
});

describe('who may send what', () => {
  const snapshot = { kind: 'order_list', url: LIST_PAGE, capturedAt: AT, orders: [], warnings: [] };

  it('takes what a page showed only from this extension\'s content scripts on AliExpress tabs', async () => {
    const s = service();
    for (const sender of [
      { ...fromAliExpress, url: 'https://evil.example/p/order/index.html', tab: { id: 3, url: 'https://evil.example/' } },
      { ...fromAliExpress, url: 'https://aliexpress.com.evil.example/p/order/index.html' },
      { ...fromAliExpress, id: 'another-extension' },
      fromPopup,
    ]) {
      expect(await send({ type: 'snapshot', snapshot }, s, sender)).toMatchObject({ ok: false, error: expect.stringMatching(/not accepted from this sender/) });
    }
    expect(s.captured).toEqual([]);
    expect(await send({ type: 'snapshot', snapshot }, s, fromAliExpress)).toEqual({ ok: true });
    expect(s.captured).toHaveLength(1);
  });

  it('takes what a page showed from every AliExpress site it reads (www.aliexpress.us, language subdomains), never aliexpress.ru', async () => {
    const s = service();
    for (const url of ['https://www.aliexpress.us/p/order/index.html', 'https://es.aliexpress.com/p/order/index.html']) {
      expect(await send({ type: 'snapshot', snapshot: { ...snapshot, url } }, s, inTab(url)), url).toEqual({ ok: true });
    }
    const ru = 'https://aliexpress.ru/order-list';
    expect(await send({ type: 'snapshot', snapshot: { ...snapshot, url: ru } }, s, inTab(ru))).toMatchObject({ ok: false });
    expect(s.captured).toHaveLength(2);
  });

  it('takes what the merchant asks for only from the extension\'s own pages', async () => {
    const s = service();
    for (const sender of [fromAliExpress, { id: SELF.id, url: 'https://evil.example/' }, { id: 'another-extension', url: 'chrome-extension://another-extension/popup.html' }]) {
      for (const type of ['sync-now', 'manual-sync-start', 'manual-sync-cancel', 'aliexpress-sync-start']) expect(await send({ type }, s, sender)).toMatchObject({ ok: false });
    }
    expect([s.syncs, vi.mocked(s.cancelManualSync).mock.calls.length, vi.mocked(s.startApiSync).mock.calls.length]).toEqual([0, 0, 0]);
    expect(await send({ type: 'sync-now' }, s, { ...fromPopup, url: `${SELF.pagesUrl}options.html`, tab: { id: 9 } })).toEqual({ ok: true });
    expect(s.syncs).toBe(1);
  });

  it('starts a sync through the AliExpress API from the popup and answers what the backend read, or why it could not', async () => {
    const s = service();
    expect(await send({ type: 'aliexpress-sync-start' }, s, fromPopup)).toEqual({ ok: true, apiSync: { asked: 3, read: 2, changed: 1, notServed: 1 } });
    vi.mocked(s.startApiSync).mockResolvedValueOnce({ ok: false, error: 'connect the AliExpress account again' });
    expect(await send({ type: 'aliexpress-sync-start' }, s, fromPopup)).toEqual({ ok: false, error: 'connect the AliExpress account again' });
  });
});

describe('the sync alarm', () => {
  beforeEach(() => fakeBrowser.reset());

  it('is created every 10 minutes when missing, and left alone when present', async () => {
    await ensureSyncAlarm();
    const alarm = await fakeBrowser.alarms.get(SYNC_ALARM);
    expect(alarm?.periodInMinutes).toBe(10);
    await fakeBrowser.alarms.create(SYNC_ALARM, { periodInMinutes: 10, when: 42 });
    await ensureSyncAlarm();
    expect((await fakeBrowser.alarms.get(SYNC_ALARM))?.scheduledTime).toBe(42);
  });
});
