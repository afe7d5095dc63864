/** Status words, codes, dates, prices, page kinds and dispatch: the rules the readers rest on. */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { ORDER_APIS } from '../../../lib/aliexpress/apis';
import { readApiResponse, readPageDom } from '../../../lib/aliexpress/read-page';
import { toSnapshot } from '../../../lib/aliexpress/to-snapshot';
import { resolveOrderStatus, statusFromCode, statusFromText } from '../../../lib/aliexpress/order-status';
import { parseDisplayDate, parseDisplayMoney, parseZonelessDateTime } from '../../../lib/aliexpress/text';
import { parseFileText } from '../../../lib/aliexpress/parse-file';

const doc = (html: string) => parseHTML(html).document as unknown as Document;

describe('order status', () => {
  it('reads sourced texts with trailing spaces and accents', () => {
    expect(statusFromText('Concluído ')).toBe('completed');
    expect(statusFromText('Aguardando a entrega')).toBe('shipped');
    expect(statusFromText('  Awaiting delivery ')).toBe('shipped');
    expect(statusFromText('Payment expired')).toBe('closed');
  });
  it('never guesses an unsourced text', () => {
    for (const text of ['Completado', 'Terminée', 'Завершено', 'Tamamlandı']) expect(statusFromText(text)).toBeUndefined();
    expect(resolveOrderStatus({ text: 'Completado' })).toEqual({ status: 'unknown', warnings: ['unknown status text "Completado"'] });
  });
  it('prefers codes, and lets the text decide FINISH', () => {
    expect(statusFromCode('WAIT_SELLER_SEND_GOODS')).toBe('awaiting_shipment');
    expect(statusFromCode('SELLER_PART_SEND_GOODS')).toBe('partially_shipped');
    expect(statusFromCode('FINISH')).toBeUndefined();
    expect(resolveOrderStatus({ code: 'FINISH', text: 'Closed' })).toEqual({ status: 'closed', source: 'text', warnings: [] });
    expect(resolveOrderStatus({ code: 'FINISH' }).status).toBe('unknown');
    expect(resolveOrderStatus({ code: 'WAIT_BUYER_ACCEPT_GOODS', text: 'Completed' })).toEqual({
      status: 'shipped',
      source: 'code',
      warnings: ['status text "Completed" and status code WAIT_BUYER_ACCEPT_GOODS disagree; the code wins'],
    });
  });
});

describe('dates, times and prices', () => {
  it.each([
    ['Jul 15, 2026', '2026-07-15'],
    ['15 de jul. de 2026', '2026-07-15'],
    ['15 jul 2026', '2026-07-15'],
    ['15 juil. 2026', '2026-07-15'],
    ['15. Juli 2026', '2026-07-15'],
    ['15 lug 2026', '2026-07-15'],
    ['15 lipca 2026', '2026-07-15'],
    ['15 Tem 2026', '2026-07-15'],
    ['15 июл. 2026 г.', '2026-07-15'],
    ['15.07.2026', '2026-07-15'],
    ['07/08/2026', undefined],
    ['Feb 30, 2026', undefined],
  ])('%s', (text, day) => expect(parseDisplayDate(text)).toBe(day));
  it('reads zoneless times as China time', () => {
    expect(parseZonelessDateTime('2026-02-06 15:25:17')).toBe('2026-02-06T15:25:17+08:00');
    expect(parseZonelessDateTime('Tue | Jul. 28 18:39')).toBeUndefined();
  });
  it.each([
    ['R$132,74', 132.74, 'BRL'],
    ['US $1,234.56', 1234.56, 'USD'],
    ['1.234,56 €', 1234.56, 'EUR'],
    ['12,00 zł', 12, 'PLN'],
  ])('%s', (text, amount, currency) => expect(parseDisplayMoney(text)).toEqual({ amount, currency }));
  it('refuses a bare dollar', () => expect(parseDisplayMoney('$12.00')).toBeUndefined());
});

describe('page kinds and dispatch', () => {
  it('reports login and bot check before anything else', () => {
    expect(readPageDom('https://www.aliexpress.com//_____tmd_____/punish?x5secdata=x', doc('<p>hi</p>')).kind).toBe('bot_check');
    expect(readPageDom('https://www.aliexpress.com/p/order/index.html', doc('<div class="order-wrap"><input id="fm-login-password"></div>')).kind).toBe('login');
    expect(readPageDom('https://www.aliexpress.com/p/order/index.html', doc('<iframe src="https://x/_____tmd_____/punish"></iframe>')).kind).toBe('bot_check');
  });
  it('tells an empty list from an unknown page', () => {
    expect(readPageDom('https://www.aliexpress.com/p/order/index.html', doc('<div class="order-wrap"></div>')).kind).toBe('order_list');
    expect(readPageDom('https://www.aliexpress.com/p/order/index.html', doc('<div>new layout</div>')).kind).toBe('unknown');
    expect(readPageDom('https://www.example.com/', doc('<div></div>')).kind).toBe('unknown');
  });
  it('has a reader for every API the page hook watches', () => {
    for (const api of ORDER_APIS) {
      const reading = readApiResponse(`https://acs.aliexpress.com/h5/${api}/1.0/`, { api, data: {} });
      expect(reading.warnings.join(' '), api).not.toMatch(/no reader/);
    }
  });
  it('reads mtop login and bot-check answers', () => {
    expect(readApiResponse('https://acs.aliexpress.com/h5/mtop.aliexpress.trade.buyer.order.list/1.0/', { api: 'mtop.aliexpress.trade.buyer.order.list', ret: ['FAIL_SYS_SESSION_EXPIRED::x'] }).kind).toBe('login');
    expect(readApiResponse('https://acs.aliexpress.com/h5/mtop.ae.ld.querydetail/1.0/', { ret: ['RGV587_ERROR::SM'] }).kind).toBe('bot_check');
  });
  it('takes the order of a tracking answer from the API call\'s data parameter', () => {
    const url = `https://acs.aliexpress.com/h5/mtop.ae.ld.querydetail/1.0/?data=${encodeURIComponent(JSON.stringify({ tradeOrderId: '8208765432100021' }))}`;
    const body = { api: 'mtop.ae.ld.querydetail', ret: ['SUCCESS::ok'], data: { module: { trackingDetailLineList: [{ mailNo: 'LP1234BR', detailList: [{ time: 1785512111654, trackingPrimaryCode: 'AE_GTMS_SIGNED', trackingDetailDesc: 'Package delivered.' }] }] } } };
    const reading = readApiResponse(url, body);
    expect(reading.orders[0]).toMatchObject({ aliOrderId: '8208765432100021', packages: [{ trackingNumber: 'LP1234BR', trackingStatus: 'delivered' }] });
  });
  it('never throws and always yields a valid snapshot', () => {
    for (const body of [null, 1, 'x', [], { data: { data: 5 } }, { module: [{ mailNo: 5 }] }]) {
      const snapshot = toSnapshot(readApiResponse('not a url', body), 'https://www.aliexpress.com/', '2026-09-07T12:00:00.000Z');
      expect(snapshot.kind).toBe('unknown');
    }
  });
});

describe('parse-file', () => {
  it('refuses what is neither HTML nor JSON', () => {
    expect(parseFileText('hello world', 'x.txt')).toEqual({ ok: false, error: 'x.txt: neither HTML nor JSON/JSONP' });
    expect(parseFileText('', 'x.json').ok).toBe(false);
  });
  it('reads JSONP', () => {
    const result = parseFileText('mtopjsonp3({"api":"mtop.aliexpress.trade.buyer.order.list","ret":["NEED_LOGIN::x"]})', 'a.json');
    expect(result.ok && result.snapshot.kind).toBe('login');
  });
});
