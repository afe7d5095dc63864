/**
 * Decides what one AliExpress page load reports: the page's own data (API answers and init data
 * observed by the page hook) first, its DOM as the fallback, and a login page or bot check as
 * such. Browser-free: the content script passes in the readers, the clock and the sender.
 */
import type { PageReading } from '../aliexpress/order-list';
import { parseJsonOrJsonp } from '../aliexpress/mtop';
import { carriesOrders } from '../domain/ids';
import type { Snapshot } from '../domain/snapshot';
import type { Observed } from './page-hook';

export interface PageCaptureDeps {
  url: () => string;
  now: () => Date;
  readDom: () => PageReading;
  readApi: (api: string, url: string, body: unknown) => PageReading;
  send: (snapshot: Snapshot) => void;
}

export interface PageCapture {
  /** An answer the page hook observed. */
  observed(observed: Observed): void;
  /** The page has rendered: read the DOM unless its data was read already. Returns whether it sent. */
  domSettled(): boolean;
  /** The DOM changed (more cards, say): read it again if the DOM is what this page is read from. */
  domChanged(): boolean;
}

/** What a DOM reading says, to tell a re-read that found something new from one that did not. */
function signature(reading: PageReading): string {
  return JSON.stringify([reading.kind, reading.orders]);
}

export function createPageCapture(deps: PageCaptureDeps): PageCapture {
  let dataRead = false;
  let domMode = false;
  let lastDomSignature: string | undefined;

  // Not validated here: the content script stays small, and the worker checks every snapshot
  // against the schema on arrival (a reader bug is refused there with a clear error).
  const emit = (reading: PageReading, url: string): Snapshot => {
    const snapshot: Snapshot = { kind: reading.kind, url, capturedAt: deps.now().toISOString(), orders: reading.orders, warnings: reading.warnings };
    deps.send(snapshot);
    return snapshot;
  };

  /** Reads the DOM and sends what it shows, unless it shows what was sent last time. */
  const readDom = (): boolean => {
    const reading = deps.readDom();
    const current = signature(reading);
    if (current === lastDomSignature) return false;
    lastDomSignature = current;
    emit(reading, deps.url());
    return true;
  };

  return {
    observed({ api, url, text }) {
      const body = parseJsonOrJsonp(text);
      if (body === undefined) return;
      const reading = deps.readApi(api, api === 'init' ? deps.url() : url, body);
      // An answer the readers do not know says nothing about the page; the DOM may still.
      if (reading.kind === 'unknown') return;
      if (carriesOrders(reading.kind)) dataRead = true;
      emit(reading, deps.url());
    },
    domSettled() {
      if (dataRead) return false;
      domMode = true;
      return readDom();
    },
    domChanged() {
      if (!domMode || dataRead) return false;
      return readDom();
    },
  };
}
