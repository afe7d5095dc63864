/**
 * The API's answers as snapshots: the order status from the documented codes only, parcels'
 * statuses from the sourced wording only (the API's events have no codes), and what cannot be read
 * left unknown with a warning.
 */
import { describe, expect, it } from 'vitest';
import { snapshotSchema } from '../../../lib/domain/snapshot';
import { orderFromApi, packagesFromApi, snapshotsFromApi } from '../../../server/aliexpress-api/mapping';

const ID = '8123456789012345';
const node = (at: string, name: string) => ({ tracking_name: name, tracking_detail_desc: name, time_stamp: Date.parse(at) });
const tracking = (...lines: object[]) => ({ ret: true, data: { tracking_detail_line_list: lines } });

describe('order status from aliexpress.trade.ds.order.get', () => {
  it.each([
    ['PLACE_ORDER_SUCCESS', undefined, 'awaiting_payment'],
    ['WAIT_SELLER_SEND_GOODS', 'WAIT_SELLER_SEND_GOODS', 'awaiting_shipment'],
    ['SELLER_PART_SEND_GOODS', 'SELLER_SEND_PART_GOODS', 'partially_shipped'],
    ['WAIT_BUYER_ACCEPT_GOODS', 'SELLER_SEND_GOODS', 'shipped'],
    ['FINISH', 'BUYER_ACCEPT_GOODS', 'completed'],
  ])('%s (logistics %s) reads as %s', (code, logistics, status) => {
    const warnings: string[] = [];
    expect(orderFromApi(ID, { order_status: code, ...(logistics && { logistics_status: logistics }) }, warnings)).toMatchObject({ status, statusSource: 'code' });
    expect(warnings).toEqual([]);
  });

  it.each(['FINISH', 'PAYMENT_PROCESSING', 'RISK_CONTROL_HOLD', 'WAIT_GROUP', 'SOMETHING_NEW'])('leaves %s unknown, with a warning, rather than guess', (code) => {
    const warnings: string[] = [];
    const order = orderFromApi(ID, { order_status: code }, warnings);
    expect(order.status).toBe('unknown');
    expect(order.statusSource).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining(`order_status ${code}`)]);
  });

  it('keeps the store, the days (not a time whose zone no source gives) and the amount', () => {
    const order = orderFromApi(
      ID,
      { order_status: 'WAIT_SELLER_SEND_GOODS', gmt_create: '2026-06-20 23:10:00', order_paidtime_string: '2026-06-21 00:05:00', store_info: { store_name: 'Shop' }, order_amount: { amount: '12.34', currency_code: 'USD' } },
      [],
    );
    expect(order).toMatchObject({ storeName: 'Shop', orderedAt: '2026-06-20', paidAt: '2026-06-21', total: { amount: 12.34, currency: 'USD' } });
  });
});

describe('parcels from aliexpress.ds.order.tracking.get', () => {
  it('reads codeless events by their sourced words, newest first', () => {
    const warnings: string[] = [];
    const packages = packagesFromApi(ID, tracking({ mail_no: 'LP1', carrier_name: 'Cainiao', detail_node_list: [node('2026-06-25T08:00:00Z', 'Accepted by carrier'), node('2026-06-29T10:00:00Z', 'Delivered')] }), warnings);
    expect(packages).toEqual([
      {
        trackingNumber: 'LP1',
        carrier: 'Cainiao',
        trackingStatus: 'delivered',
        events: [
          { at: '2026-06-29T10:00:00.000Z', text: 'Delivered' },
          { at: '2026-06-25T08:00:00.000Z', text: 'Accepted by carrier' },
        ],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('leaves out a parcel whose words it does not know, with a warning, instead of guessing its status', () => {
    const warnings: string[] = [];
    const packages = packagesFromApi(ID, tracking({ mail_no: 'LP2', detail_node_list: [node('2026-06-25T08:00:00Z', 'Paket wurde zugestellt')] }), warnings);
    expect(packages).toEqual([]);
    expect(warnings).toEqual([expect.stringMatching(/package LP2: no event's words say where it is.*the Chrome sync can read/)]);
  });

  it('reads a parcel without any event yet as pending (a number, no carrier scan)', () => {
    expect(packagesFromApi(ID, tracking({ mail_no: 'LP3', detail_node_list: [] }), [])).toEqual([{ trackingNumber: 'LP3', trackingStatus: 'pending', events: [] }]);
  });

  it('reads "TRACKING DATA NOT FOUND" (1001) as nothing shipped, quietly; another refusal with a warning', () => {
    const quiet: string[] = [];
    expect(packagesFromApi(ID, { ret: false, code: '1001', msg: 'TRACKING DATA NOT FOUND' }, quiet)).toEqual([]);
    expect(quiet).toEqual([]);
    const loud: string[] = [];
    expect(packagesFromApi(ID, { ret: false, code: '9999', msg: 'other' }, loud)).toEqual([]);
    expect(loud).toEqual([expect.stringContaining('9999')]);
  });

  it('drops events without a readable time and lines without a tracking number, saying so', () => {
    const warnings: string[] = [];
    const packages = packagesFromApi(ID, tracking({ detail_node_list: [] }, { mail_no: 'LP4', detail_node_list: [node('2026-06-25T08:00:00Z', 'In transit'), { tracking_name: 'In transit', time_stamp: 'soon' }] }), warnings);
    expect(packages.map((p) => [p.trackingNumber, p.events.length])).toEqual([['LP4', 1]]);
    expect(warnings).toEqual([expect.stringContaining('without a usable tracking number'), expect.stringContaining('1 event(s) without a readable time')]);
  });
});

describe('snapshots', () => {
  it('makes valid snapshots whose URL names the API call they came from', () => {
    const snapshots = snapshotsFromApi('https://api-sg.aliexpress.com', ID, { order_status: 'WAIT_BUYER_ACCEPT_GOODS' }, tracking({ mail_no: 'LP5', detail_node_list: [node('2026-06-25T08:00:00Z', 'In transit')] }), new Date('2026-06-30T00:00:00Z'));
    for (const s of snapshots) expect(snapshotSchema.safeParse(s).success).toBe(true);
    expect(snapshots.map((s) => [s.kind, s.url, s.orders[0]!.status])).toEqual([
      ['order_detail', `https://api-sg.aliexpress.com/sync?method=aliexpress.trade.ds.order.get&order_id=${ID}`, 'shipped'],
      ['tracking', `https://api-sg.aliexpress.com/sync?method=aliexpress.ds.order.tracking.get&order_id=${ID}`, 'unknown'],
    ]);
  });
});
