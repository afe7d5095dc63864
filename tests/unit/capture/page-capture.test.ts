import { describe, expect, it } from 'vitest';
import type { PageReading } from '../../../lib/aliexpress/order-list';
import { createPageCapture, type PageCaptureDeps } from '../../../lib/capture/page-capture';
import type { ObservedAnswer } from '../../../lib/aliexpress/apis';
import type { Snapshot, SnapshotKind } from '../../../lib/domain/snapshot';

const PAGE = 'https://www.aliexpress.com/p/order/index.html';
const LIST_API = 'https://acs.aliexpress.com/h5/mtop.aliexpress.trade.buyer.order.list/1.0/?api=mtop.aliexpress.trade.buyer.order.list';
const order = { aliOrderId: '8214398062177351', status: 'shipped' } as PageReading['orders'][number];

/** A page whose DOM shows `dom`, and a worker that reads each forwarded answer as `worker` says. */
function page(dom: PageReading, worker: (o: ObservedAnswer) => Promise<SnapshotKind | undefined>) {
  const sent: Snapshot[] = [];
  const forwarded: ObservedAnswer[] = [];
  const deps: PageCaptureDeps = {
    url: () => PAGE,
    now: () => new Date('2026-12-01T10:00:00Z'),
    readDom: () => dom,
    send: (snapshot) => void sent.push(snapshot),
    forward: (observed) => {
      forwarded.push(observed);
      return worker(observed);
    },
  };
  return { capture: createPageCapture(deps), sent, forwarded };
}

const listDom: PageReading = { kind: 'order_list', orders: [order], warnings: [] };

describe('reading one page load', () => {
  it('passes the page data on to the worker as it was seen, and leaves the DOM alone once the worker read orders from it', async () => {
    const { capture, sent, forwarded } = page(listDom, async () => 'order_list');
    capture.observed({ api: 'init', url: PAGE, text: '{"data":{}}' });
    expect(await capture.domSettled()).toBe(false);
    expect(forwarded).toEqual([{ api: 'init', url: PAGE, text: '{"data":{}}' }]);
    expect(sent).toEqual([]);
  });

  it('waits, at settle time, for answers the worker is still reading before it decides on the DOM', async () => {
    let answer: ((kind: SnapshotKind) => void) | undefined;
    const { capture, sent } = page(listDom, () => new Promise((resolve) => (answer = resolve)));
    capture.observed({ api: 'mtop.aliexpress.trade.buyer.order.list', url: LIST_API, text: '{}' });
    const settled = capture.domSettled();
    answer!('order_list');
    expect(await settled).toBe(false);
    expect(sent).toEqual([]);
  });

  it('reads the DOM when the worker found nothing in the answers, or could not be asked, and again when cards are added', async () => {
    for (const worker of [async () => 'unknown' as const, async () => undefined, () => Promise.reject(new Error('worker restarting'))]) {
      const dom = { ...listDom, orders: [order] };
      const { capture, sent } = page(dom, worker);
      capture.observed({ api: 'init', url: PAGE, text: 'not json' });
      expect(await capture.domSettled()).toBe(true);
      expect(sent).toEqual([{ kind: 'order_list', url: PAGE, capturedAt: '2026-12-01T10:00:00.000Z', orders: [order], warnings: [] }]);
      // The same cards again: nothing new to say.
      expect(capture.domChanged()).toBe(false);
      dom.orders = [order, { ...order, aliOrderId: '8209871234560011' }];
      expect(capture.domChanged()).toBe(true);
      expect(sent.at(-1)?.orders).toHaveLength(2);
    }
  });

  it('a login answer does not stand for the orders: the DOM is still read', async () => {
    const { capture, sent } = page(listDom, async () => 'login');
    capture.observed({ api: 'mtop.aliexpress.trade.buyer.order.list', url: LIST_API, text: '{}' });
    expect(await capture.domSettled()).toBe(true);
    expect(sent[0]?.kind).toBe('order_list');
  });
});
