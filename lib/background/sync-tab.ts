/**
 * The background tab a manual sync works in: it never takes focus, it is driven by URL loads and
 * by "View orders" clicks, and what its pages show arrives as the content script's snapshots.
 */
import { browser } from 'wxt/browser';
import { loadMoreReplySchema, type TabMessage } from '../domain/messages';
import type { Snapshot } from '../domain/snapshot';
import { PageLoadError, PageTimeoutError, type SyncTab } from '../sync/manual-sync';

/** A page that shows nothing in this long is reported as failed rather than waited for forever. */
export const PAGE_TIMEOUT_MS = 45_000;

interface Waiter {
  accept: (snapshot: Snapshot) => boolean;
  resolve: (snapshot: Snapshot) => void;
  /** `tabClosed`: the tab is gone and must not be navigated or closed again. */
  reject: (error: Error, tabClosed?: boolean) => void;
}

const waiters = new Map<number, Waiter>();
const noop = (): void => undefined;
const idsOf = (snapshot: Snapshot) => snapshot.orders.map((o) => o.aliOrderId).join();

/** Whether a snapshot from a tab answers the page a sync asked for. */
function answersUrl(target: string) {
  const want = new URL(target);
  return (snapshot: Snapshot) => {
    // A login page or a bot check answers any load: it is what came instead.
    if (snapshot.kind === 'login' || snapshot.kind === 'bot_check') return true;
    const got = new URL(snapshot.url);
    if (got.pathname !== want.pathname) return false;
    const id = want.searchParams.get('tradeOrderId') ?? want.searchParams.get('orderId');
    return !id || got.searchParams.get('tradeOrderId') === id || got.searchParams.get('orderId') === id;
  };
}

/** Hands a snapshot from a tab to the sync waiting on it; true when one was. */
export function deliverTabSnapshot(tabId: number, snapshot: Snapshot): boolean {
  const waiter = waiters.get(tabId);
  if (!waiter?.accept(snapshot)) return false;
  waiters.delete(tabId);
  waiter.resolve(snapshot);
  return true;
}

/** Ends the wait of the sync on a tab whose page was read but could not be kept. */
export function failTabWait(tabId: number, error: unknown): void {
  const waiter = waiters.get(tabId);
  if (!waiter) return;
  waiters.delete(tabId);
  const reason = error instanceof Error ? error.message : String(error);
  waiter.reject(new PageLoadError(`The page was read but could not be kept in the extension's cache: ${reason}`, ''));
}

export function isSyncTab(tabId: number | undefined): boolean {
  return tabId !== undefined && waiters.has(tabId);
}

/** Must run at the worker's top level: a merchant closing the sync tab ends the wait at once. */
export function setupSyncTabs(): void {
  browser.tabs.onRemoved.addListener((tabId) => {
    const waiter = waiters.get(tabId);
    if (!waiter) return;
    waiters.delete(tabId);
    waiter.reject(new PageLoadError('The sync tab was closed before its page was read.', ''), true);
  });
}

/** How long a new tab's blank page may take to load before it is navigated anyway. */
const BLANK_PAGE_WAIT_MS = 2000;

/**
 * Until a new tab's blank page has loaded. A navigation asked for while the tab is still loading
 * it can be lost: in Chromium driven by Playwright, one in five such first loads never arrived and
 * the sync waited 45 s for nothing; asked for after it, none was lost in the same trial.
 */
async function blankPageLoaded(tabId: number): Promise<void> {
  for (let waited = 0; waited < BLANK_PAGE_WAIT_MS; waited += 25) {
    const tab = await browser.tabs.get(tabId).catch(() => undefined);
    if (tab?.status !== 'loading') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function openSyncTab(timeoutMs = PAGE_TIMEOUT_MS): SyncTab {
  let tabId: number | undefined;
  // Tabs that were closed by the merchant must not be navigated again.
  let closed = false;

  /** Waits for the tab's next snapshot that `accept`s; `cancel` stops waiting without an error. */
  const waitFor = (accept: (s: Snapshot) => boolean, url: string) => {
    const id = tabId!;
    let cancel: () => void = noop;
    const promise = new Promise<Snapshot>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (waiters.get(id) === waiter) waiters.delete(id);
        reject(new PageTimeoutError(`AliExpress did not show the page within ${Math.round(timeoutMs / 1000)} s: ${url}`, url));
      }, timeoutMs);
      const waiter: Waiter = {
        accept,
        resolve: (snapshot) => {
          clearTimeout(timer);
          resolve(snapshot);
        },
        reject: (error, tabClosed) => {
          clearTimeout(timer);
          if (tabClosed) closed = true;
          reject(error);
        },
      };
      waiters.set(id, waiter);
      cancel = () => {
        clearTimeout(timer);
        if (waiters.get(id) === waiter) waiters.delete(id);
      };
    });
    return { promise, cancel: () => cancel() };
  };

  /** Order ids of the page this tab showed last, to tell the next list page from a late re-read of it. */
  let lastShown: string | undefined;
  const shown = async (answer: Promise<Snapshot>) => {
    const snapshot = await answer;
    lastShown = idsOf(snapshot) || undefined;
    return snapshot;
  };
  /**
   * A page is read twice at times (its own data, then its DOM when that data came late): the
   * second read of the page just shown must not pass for the page "View orders" brings.
   */
  const isNextPage = (snapshot: Snapshot) => !lastShown || idsOf(snapshot) !== lastShown;

  /**
   * Asks the list's content script to click something, and waits for the list page it brings
   * (`accept`: one of the right tab); undefined when there was nothing to click.
   */
  const clickInList = async (message: TabMessage, accept: (s: Snapshot) => boolean, what: string): Promise<Snapshot | undefined> => {
    if (tabId === undefined || closed) return undefined;
    const answer = waitFor((s) => (s.kind === 'order_list' && accept(s)) || s.kind === 'login' || s.kind === 'bot_check', what);
    const reply = loadMoreReplySchema.safeParse(await browser.tabs.sendMessage(tabId, message).catch(() => undefined));
    if (reply.success && reply.data.clicked) return shown(answer.promise);
    answer.cancel();
    return undefined;
  };

  return {
    id: () => tabId,
    async load(url) {
      if (closed) throw new PageLoadError('The sync tab was closed.', url);
      if (tabId === undefined) {
        // Created blank first, so the waiter exists before the page can answer.
        const tab = await browser.tabs.create({ url: 'about:blank', active: false });
        tabId = tab.id!;
        await blankPageLoaded(tabId);
      }
      const answer = waitFor(answersUrl(url), url);
      await browser.tabs.update(tabId, { url });
      return shown(answer.promise);
    },
    loadMore: () => clickInList({ type: 'load-more' }, isNextPage, 'the next order list page'),
    async showTab(title, code) {
      try {
        return await clickInList({ type: 'show-tab', title }, (s) => s.list?.tab === code, `the order list's "${title}" tab`);
      } catch (error) {
        // Nothing sourced says the live list names the tab it answers for: a click that brings
        // no answer naming it counts as a tab not found, and the all-tab reads the rest.
        if (error instanceof PageTimeoutError) return undefined;
        throw error;
      }
    },
    async close() {
      if (tabId === undefined) return;
      waiters.delete(tabId);
      if (!closed) await browser.tabs.remove(tabId).catch(() => undefined);
      closed = true;
    },
  };
}
