/**
 * Decides what one AliExpress page load reports: the page's own data (API answers and init data
 * observed by the page hook, passed on to the worker to read) first, its DOM as the fallback, and
 * a login page or bot check as such. Browser-free: the content script passes in the DOM reader,
 * the clock and the senders.
 */
import type { PageReading } from '../aliexpress/order-list';
import { carriesOrders } from '../domain/page-kinds';
import type { Snapshot, SnapshotKind } from '../domain/snapshot';
import type { ObservedAnswer } from '../aliexpress/apis';

export interface PageCaptureDeps {
  url: () => string;
  now: () => Date;
  readDom: () => PageReading;
  send: (snapshot: Snapshot) => void;
  /**
   * Passes an observed answer on to the worker, which reads it; resolves with the kind of page it
   * was read as, or undefined when the worker could not be asked.
   */
  forward: (observed: ObservedAnswer, capturedAt: string) => Promise<SnapshotKind | undefined>;
}

export interface PageCapture {
  /** An answer the page hook observed. */
  observed(observed: ObservedAnswer): void;
  /**
   * The page has rendered: read the DOM unless the page's own data was read already (once the
   * answers passed on so far are read). Resolves with whether the page is read from its DOM.
   */
  domSettled(): Promise<boolean>;
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
  const forwarded = new Set<Promise<void>>();

  /** Reads the DOM and sends what it shows, unless it shows what was sent last time. */
  const readDom = (): boolean => {
    const reading = deps.readDom();
    const current = signature(reading);
    if (current === lastDomSignature) return false;
    lastDomSignature = current;
    // Not validated here: the content script stays small, and the worker checks every snapshot
    // against the schema on arrival (a reader bug is refused there with a clear error).
    deps.send({ kind: reading.kind, url: deps.url(), capturedAt: deps.now().toISOString(), orders: reading.orders, warnings: reading.warnings });
    return true;
  };

  return {
    observed(observed) {
      const pending = deps
        .forward(observed, deps.now().toISOString())
        .catch(() => undefined)
        .then((kind) => {
          // An answer the readers do not know says nothing about the page; the DOM may still.
          if (kind && carriesOrders(kind)) dataRead = true;
        })
        .finally(() => forwarded.delete(pending));
      forwarded.add(pending);
    },
    async domSettled() {
      await Promise.all(forwarded);
      if (dataRead) return false;
      domMode = true;
      readDom();
      return true;
    },
    domChanged() {
      if (!domMode || dataRead) return false;
      return readDom();
    },
  };
}
