/**
 * The page hook shares the page's world with every script of the page: it passes on only answers
 * that came from AliExpress, and a script that replaces built-ins after it started cannot slip its
 * own text in.
 */
import { describe, expect, it } from 'vitest';
import type { ObservedAnswer } from '../../../lib/aliexpress/apis';
import { installPageHook, type HookWindow } from '../../../lib/capture/page-hook';

const TRACKING = 'https://acs.aliexpress.com/h5/mtop.ae.ld.querydetail/1.0/?data=%7B%22tradeOrderId%22%3A%228212313961591322%22%7D';
const BODY = '{"data":{"module":{}}}';
const TRACKING_PAGE = 'https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=8212313961591322';
const LIST_PAGE = 'https://www.aliexpress.com/p/order/index.html';

/** A Response as the browser makes it, with the URL it really came from. */
class ServedResponse extends Response {
  readonly #from: string;
  constructor(body: string, from: string) {
    super(body);
    this.#from = from;
  }
  override get url(): string {
    return this.#from;
  }
}

/** Lets the answers' copies be read. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** These tests make no XMLHttpRequest; the hook still wraps its `open`. */
class XMLHttpRequestUnused {
  open(): void {}
}

/** A page window whose fetch answers every URL with `body`, as served from that URL. */
function pageWindow(body = BODY, href = TRACKING_PAGE, Xhr: unknown = XMLHttpRequestUnused) {
  const seen: ObservedAnswer[] = [];
  const win = {
    fetch: async (input: RequestInfo | URL) => new ServedResponse(body, String(input)),
    XMLHttpRequest: Xhr as typeof XMLHttpRequest,
    Response: ServedResponse as unknown as typeof Response,
    URL,
    JSON,
    location: { href },
  } satisfies HookWindow as HookWindow & Record<string, unknown>;
  installPageHook(win, (observed) => void seen.push(observed));
  return { win, seen };
}

describe('the page hook', () => {
  it('passes on what the page sent with a watched request (the list tab is in it), with fetch and with XMLHttpRequest', async () => {
    const listUrl = 'https://acs.aliexpress.com/h5/mtop.aliexpress.trade.buyer.order.list/1.0/?jsv=2';
    const answer = '{"ret":["SUCCESS::ok"]}';
    /** An XMLHttpRequest whose answer arrives on send, read through the prototype's getters as the browser's. */
    class AnsweringXhr extends EventTarget {
      #url = '';
      get responseURL(): string {
        return this.#url;
      }
      get responseType(): string {
        return '';
      }
      get responseText(): string {
        return answer;
      }
      open(_method: string, url: string): void {
        this.#url = url;
      }
      send(_body?: unknown): void {
        this.dispatchEvent(new Event('load'));
      }
    }
    const { win, seen } = pageWindow(answer, 'https://es.aliexpress.com/p/order/index.html', AnsweringXhr);
    await win.fetch(listUrl, { method: 'POST', body: new URLSearchParams({ data: '{"statusTab":"shipped"}' }) });
    const xhr = new win.XMLHttpRequest();
    xhr.open('POST', listUrl);
    xhr.send('data=%7B%22statusTab%22%3A%22processing%22%7D');
    await settle();
    expect(seen.map((o) => o.request)).toEqual(expect.arrayContaining(['data=%7B%22statusTab%22%3A%22shipped%22%7D', 'data=%7B%22statusTab%22%3A%22processing%22%7D']));
  });

  it("passes on an AliExpress API answer, and the page still reads the whole answer itself", async () => {
    const { win, seen } = pageWindow();
    const response = await win.fetch(TRACKING);
    expect(await response.text()).toBe(BODY);
    await settle();
    expect(seen).toEqual([{ api: 'mtop.ae.ld.querydetail', url: TRACKING, text: BODY }]);
  });

  it('passes on nothing from a host that is not AliExpress, whatever API its URL names', async () => {
    const { win, seen } = pageWindow('{"forged":true}');
    for (const url of ['https://evil.example/mtop.ae.ld.querydetail?tradeOrderId=8212313961591322', 'https://aliexpress.com.evil.example/mtop.ae.ld.querydetail', 'http://acs.aliexpress.com/h5/mtop.ae.ld.querydetail/']) {
      await win.fetch(url);
    }
    await settle();
    expect(seen).toEqual([]);
  });

  it("reads answers with the built-ins it started with, not ones a page script put in later", async () => {
    const { win, seen } = pageWindow();
    const { clone, text } = Response.prototype;
    ServedResponse.prototype.text = async () => '{"forged":true}';
    Response.prototype.text = async () => '{"forged":true}';
    Response.prototype.clone = function () {
      return new Response('{"forged":true}');
    };
    try {
      await win.fetch(TRACKING);
      await settle();
    } finally {
      Object.assign(Response.prototype, { clone, text });
      delete (ServedResponse.prototype as Partial<Response>).text;
    }
    expect(seen.map((o) => o.text)).toEqual([BODY]);
  });

  it("observes the order list's own init data once: not a function assigned later, nor the page's called again", () => {
    const { win, seen } = pageWindow(BODY, LIST_PAGE);
    win.__INIT_DATA_CALLBACK__ = (success: (data: unknown) => void) => success({ data: { page: 1 } });
    const pageCode = win.__INIT_DATA_CALLBACK__ as (success: (data: unknown) => void, error: unknown) => void;
    const pageGot: unknown[] = [];
    pageCode((data) => pageGot.push(data), undefined);
    // A script of the page, afterwards: its own function, then the page's called again.
    win.__INIT_DATA_CALLBACK__ = (success: (data: unknown) => void) => success({ data: { forged: true } });
    (win.__INIT_DATA_CALLBACK__ as (success: (data: unknown) => void, error: unknown) => void)(() => undefined, undefined);
    pageCode(() => undefined, undefined);
    expect(pageGot).toEqual([{ data: { page: 1 } }]);
    expect(seen).toEqual([{ api: 'init', url: win.location.href, text: '{"data":{"page":1}}' }]);
  });

  it('watches no init data on a page not known to have any: the first function assigned there could be any script\'s', () => {
    const { win, seen } = pageWindow();
    win.__INIT_DATA_CALLBACK__ = (success: (data: unknown) => void) => success({ data: { forged: true } });
    (win.__INIT_DATA_CALLBACK__ as (success: (data: unknown) => void, error: unknown) => void)(() => undefined, undefined);
    expect(seen).toEqual([]);
  });
});
