/**
 * What a merchant on any AliExpress site, in any language, gets: statuses from language-free
 * evidence, older 15-digit orders, www.aliexpress.us, failed and returned parcels, bot checks.
 */
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { decodeObserved } from '../../../lib/capture/page-hook';
import { ORDER_LIST_API } from '../../../lib/aliexpress/apis';
import { listRequestTab } from '../../../lib/aliexpress/order-list';
import { resolveOrderStatus, statusFromText } from '../../../lib/aliexpress/order-status';
import { pageTypeFromUrl } from '../../../lib/aliexpress/page-kind';
import { readApiResponse, readObservedAnswer, readPageDom } from '../../../lib/aliexpress/read-page';
import { statusOfCode, trackingStatusOf } from '../../../lib/aliexpress/tracking-status';
import { matchPatterns, orderDetailUrl, originOf, siteOfHost } from '../../../lib/aliexpress/urls';
import { isAliOrderId } from '../../../lib/domain/ids';
import { aliOrderIdSchema } from '../../../lib/domain/snapshot';

const doc = (html: string) => parseHTML(html).document as unknown as Document;

/** A match pattern as Chrome reads it: `*.` before a host matches the host and its subdomains. */
function matches(pattern: string, url: string): boolean {
  const [, scheme, host, path] = /^(https?):\/\/([^/]+)(\/.*)$/.exec(pattern)!;
  const u = new URL(url);
  const hostOk = host!.startsWith('*.') ? u.hostname === host!.slice(2) || u.hostname.endsWith(host!.slice(1)) : u.hostname === host;
  const pathRe = new RegExp(`^${path!.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return u.protocol === `${scheme}:` && hostOk && pathRe.test(u.pathname + u.search);
}

describe('every AliExpress site and language, and not aliexpress.ru', () => {
  const pages = ['https://www.aliexpress.us/p/order/index.html', 'https://es.aliexpress.com/p/order/index.html', 'https://ja.aliexpress.com/p/order/index.html?spm=x'];
  it('declares content scripts for aliexpress.us and every language subdomain', () => {
    for (const url of pages) expect(matchPatterns().orderList.some((p) => matches(p, url)), url).toBe(true);
    expect(matchPatterns().orderDetail.some((p) => matches(p, 'https://www.aliexpress.us/p/order/detail.html?orderId=8212313961591322'))).toBe(true);
    expect(matchPatterns().tracking.some((p) => matches(p, 'https://www.aliexpress.us/p/tracking/index.html?tradeOrderId=8212313961591322'))).toBe(true);
    expect(matchPatterns().blocked.some((p) => matches(p, 'https://www.aliexpress.us/_____tmd_____/punish?x5secdata=x'))).toBe(true);
    expect(matchPatterns().pageHook.some((p) => matches(p, 'https://fr.aliexpress.com/p/order/index.html'))).toBe(true);
  });
  it('never runs on aliexpress.ru, and never reads its pages as orders', () => {
    const ru = 'https://aliexpress.ru/order-list';
    for (const list of Object.values(matchPatterns())) expect(list.some((p) => matches(p, ru) || matches(p, 'https://www.aliexpress.ru/p/order/index.html'))).toBe(false);
    expect(pageTypeFromUrl('https://www.aliexpress.ru/p/order/index.html')).toMatchObject({ type: 'unknown', reason: expect.stringMatching(/not supported/) });
    const card = '<div class="order-item"><a href="/p/order/detail.html?orderId=8212313961591322">x</a><span class="order-item-header-status-text">Completed</span></div>';
    expect(readPageDom('https://www.aliexpress.ru/p/order/index.html', doc(card)).kind).toBe('unknown');
  });
  it('recognises the pages of aliexpress.us and the subdomains', () => {
    expect(pageTypeFromUrl('https://www.aliexpress.us/p/order/index.html').type).toBe('order_list');
    expect(pageTypeFromUrl('https://de.aliexpress.com/p/tracking/index.html?tradeOrderId=1').type).toBe('tracking');
    expect(pageTypeFromUrl('https://www.aliexpress.us/_____tmd_____/punish?x5secdata=y').type).toBe('bot_check');
    expect(siteOfHost('www.aliexpress.us')).toBe('aliexpress.us');
    expect(siteOfHost('evil-aliexpress.com')).toBeUndefined();
  });
  it('links to the site a page was read on', () => {
    expect(orderDetailUrl('8212313961591322', originOf('https://www.aliexpress.us/p/order/index.html'))).toBe('https://www.aliexpress.us/p/order/detail.html?orderId=8212313961591322');
    expect(originOf('https://aliexpress.ru/x')).toBe('https://www.aliexpress.com');
  });
});

describe('order ids', () => {
  it('accepts 15 and 16 digits and nothing else', () => {
    for (const id of ['100426841571559', '8212313961591322']) {
      expect(isAliOrderId(id)).toBe(true);
      expect(aliOrderIdSchema.safeParse(id).success).toBe(true);
    }
    for (const id of ['10042684157155', '82123139615913221', '8212313961591322 ', '82123139615913x2']) {
      expect(isAliOrderId(id), id).toBe(false);
      expect(aliOrderIdSchema.safeParse(id).success).toBe(false);
    }
  });
});

describe('order status evidence', () => {
  it('takes the list tab over buttons and texts, in any language', () => {
    expect(resolveOrderStatus({ tab: 'shipped', buttonTypes: ['TRACKING'], text: 'anything' })).toMatchObject({ status: 'shipped', source: 'tab' });
    expect(resolveOrderStatus({ tab: 'processing' })).toMatchObject({ status: 'awaiting_shipment', source: 'tab' });
    expect(resolveOrderStatus({ tab: 'all', buttonTypes: ['CONFIRM_GOODS', 'TRACKING'] })).toMatchObject({ status: 'shipped', source: 'buttons' });
  });
  it('reads 9 as completed or closed, never on its own', () => {
    expect(resolveOrderStatus({ numericStatus: 9 }).status).toBe('unknown');
    expect(resolveOrderStatus({ numericStatus: 9, buttonTypes: ['DELETE'] }).status).toBe('unknown');
    expect(resolveOrderStatus({ buttonTypes: ['DELETE'], text: 'Completed' })).toMatchObject({ status: 'completed', source: 'text' });
    expect(resolveOrderStatus({ numericStatus: 9, text: 'Expired' })).toMatchObject({ status: 'closed', source: 'text' });
    expect(resolveOrderStatus({ numericStatus: 9, text: 'Completed' })).toMatchObject({ status: 'completed', source: 'text' });
    expect(resolveOrderStatus({ tab: 'completed', buttonTypes: ['REPURCHASE', 'DELETE'] })).toMatchObject({ status: 'completed', source: 'buttons' });
  });
  it('lets a stronger clue win and says so', () => {
    const resolved = resolveOrderStatus({ tab: 'shipped', text: 'Completed' });
    expect(resolved).toMatchObject({ status: 'shipped', source: 'tab' });
    expect(resolved.warnings[0]).toMatch(/disagree; the tab wins/);
  });
  it('reads only sourced texts: Expired, Canceled, trailing spaces, German, the old Russian list', () => {
    expect(statusFromText('Expired')).toBe('closed');
    expect(statusFromText('Canceled ')).toBe('closed');
    expect(statusFromText('Cancelled')).toBe('closed');
    expect(statusFromText('Abgeschlossen')).toBe('completed');
    expect(statusFromText('Заказ отменён')).toBe('closed');
    expect(statusFromText('Заказ не отправлен')).toBe('awaiting_shipment');
    expect(statusFromText('Получено подтверждение')).toBe('completed');
    expect(resolveOrderStatus({ text: 'Спор закрыт' })).toMatchObject({ status: 'unknown' });
    expect(resolveOrderStatus({ text: 'Спор закрыт', tab: 'completed' })).toMatchObject({ status: 'unknown' });
  });
  it('reads the list tab from the request body or the URL', () => {
    const body = `data=${encodeURIComponent(JSON.stringify({ pageIndex: 2, statusTab: 'shipped' }))}`;
    expect(listRequestTab('https://acs.aliexpress.com/h5/x/1.0/?jsv=2', body)).toBe('shipped');
    expect(listRequestTab(`https://acs.aliexpress.com/h5/x/1.0/?data=${encodeURIComponent('{"statusTab":"completed"}')}`)).toBe('completed');
    expect(listRequestTab('https://acs.aliexpress.com/h5/x/1.0/', 'data=not-json')).toBeUndefined();
  });
  it('carries the request from the page hook to the reader', () => {
    const order = { tag: 'pc_om_list_order', fields: { orderId: '8214398062177351', statusText: 'x', buttons: [{ type: 'TRACKING' }] } };
    const text = JSON.stringify({ api: ORDER_LIST_API, ret: ['SUCCESS::ok'], data: { data: { o: order, b: { tag: 'pc_om_list_body', fields: {} } } } });
    const request = `data=${encodeURIComponent(JSON.stringify({ statusTab: 'shipped' }))}`;
    const observed = decodeObserved({ api: ORDER_LIST_API, url: 'https://acs.aliexpress.com/h5/mtop.aliexpress.trade.buyer.order.list/1.0/', request, text });
    expect(observed?.request).toBe(request);
    const reading = readObservedAnswer(observed!, 'https://es.aliexpress.com/p/order/index.html');
    expect(reading.orders[0]).toMatchObject({ status: 'shipped', statusSource: 'tab' });
  });
});

describe('tracking codes', () => {
  it('reads the failure codes with and without AE_ as abnormal', () => {
    for (const code of ['GTMS_DEL_FAILURE', 'GTMS_SIGN_FAILURE', 'GTMS_FAILURE', 'CC_IM_FAILURE', 'CC_EX_FAILURE', 'CUS_FAILURE', 'RT_INBOUND', 'RETURNED', 'GWMS_EXCEPTION', 'RT_LM_SIGN_SUCCESS']) {
      expect(statusOfCode(code), code).toBe('abnormal');
      expect(statusOfCode(`AE_${code}`), `AE_${code}`).toBe('abnormal');
    }
  });
  it('reads a pickup-point signature as pickup, not delivered', () => {
    expect(statusOfCode('AE_GTMS_STA_SIGNED')).toBe('pickup');
    expect(statusOfCode('GTMS_STA_SIGNED')).toBe('pickup');
    expect(statusOfCode('AE_GTMS_SIGNED')).toBe('delivered');
  });
  it('never reads an unknown code as in transit from its prefix, and reports it', () => {
    expect(statusOfCode('AE_GTMS_SOMETHING_NEW')).toBeUndefined();
    expect(trackingStatusOf([{ codes: ['AE_GTMS_SOMETHING_NEW'], texts: [] }])).toEqual({ status: undefined, unknownCodes: ['AE_GTMS_SOMETHING_NEW'] });
    expect(trackingStatusOf([{ codes: ['AE_CC_NEW'], texts: ['Delivery Attempt Failure'] }]).status).toBe('abnormal');
    expect(trackingStatusOf([{ codes: ['AE_GTMS_NEW'], stage: '1700', texts: [] }]).status).toBe('in_transit');
  });
  it('lets a failure code in an event win over the other code', () => {
    expect(trackingStatusOf([{ codes: ['AE_GTMS_DELIVERING', 'AE_GTMS_DEL_FAILURE'], texts: [] }]).status).toBe('abnormal');
  });
});

describe('login and bot checks in every language', () => {
  it('reads the mtop ret codes of a gone session and a refused request', () => {
    const url = 'https://acs.aliexpress.com/h5/mtop.aliexpress.trade.buyer.order.list/1.0/';
    expect(readApiResponse(url, { api: ORDER_LIST_API, ret: ['FAIL_SYS_TOKEN_EMPTY::x'] }).kind).toBe('login');
    expect(readApiResponse(url, { api: ORDER_LIST_API, ret: ['FAIL_SYS_TOKEN_EXOIRED::x'] }).kind).toBe('login');
    expect(readApiResponse(url, { api: ORDER_LIST_API, ret: ['FAIL_SYS_ILLEGAL_REQUEST::x'] }).kind).toBe('bot_check');
    expect(readApiResponse(url, { api: ORDER_LIST_API, ret: ['ILLEGAL_ACCESS::x'] }).kind).toBe('bot_check');
  });
  it('does not take an order list that mentions verification for a bot check', () => {
    const list = '<div class="order-item"><a href="/p/order/detail.html?orderId=8212313961591322">x</a></div><p>Desliza para verificar</p>';
    expect(readPageDom('https://es.aliexpress.com/p/order/index.html', doc(list)).kind).toBe('order_list');
  });
});
