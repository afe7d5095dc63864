/**
 * The worker's message channel: every message is checked (its shape by the zod messages, its sender
 * by where that kind of message may come from), then handed to the one handler for its type.
 */
import { browser } from 'wxt/browser';
import { siteOfHost } from '../aliexpress/urls';
import { readObservedInTab } from '../capture/observed-answer';
import { parseMessage, type Message, type Reply } from '../domain/messages';
import { snapshotSchema } from '../domain/snapshot';
import type { SyncService } from './sync-service';

/** Who sent a message, as the browser says (runtime.MessageSender, the parts checked here). */
export interface Sender {
  /** The extension the sender belongs to. */
  id?: string;
  /** The page or frame that sent it. */
  url?: string;
  /** Set for content scripts: the tab they run in. */
  tab?: { id?: number; url?: string };
}

/** This extension: its id and the base URL of its own pages (`chrome-extension://<id>/`). */
export interface Self {
  id: string;
  pagesUrl: string;
}

type Handler<T extends Message['type']> = (message: Extract<Message, { type: T }>, sender: Sender) => Promise<Reply>;
export type Handlers = { [T in Message['type']]: Handler<T> };

/**
 * Where each kind of message may come from: what a page showed only from this extension's content
 * scripts on an AliExpress tab; what the merchant asked for only from the extension's own pages
 * (popup, options). Any other page (or extension) could otherwise feed the cache made-up orders or
 * spend the day's manual syncs.
 */
const FROM: Record<Message['type'], 'aliexpress_tab' | 'extension_page'> = {
  snapshot: 'aliexpress_tab',
  observed: 'aliexpress_tab',
  'sync-now': 'extension_page',
  'manual-sync-start': 'extension_page',
  'aliexpress-sync-start': 'extension_page',
  'manual-sync-cancel': 'extension_page',
  'order-refresh': 'extension_page',
};

function isAliExpressPage(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'https:' && siteOfHost(hostname) !== undefined;
  } catch {
    return false;
  }
}

export function senderAllowed(type: Message['type'], sender: Sender, self: Self): boolean {
  if (sender.id !== self.id) return false;
  if (FROM[type] === 'aliexpress_tab') return sender.tab !== undefined && isAliExpressPage(sender.url ?? sender.tab.url);
  return sender.url !== undefined && sender.url.startsWith(self.pagesUrl);
}

export function messageHandlers(service: SyncService): Handlers {
  return {
    async snapshot({ snapshot, sample }, sender) {
      await service.capture(snapshot, { fromTab: sender.tab?.id, ...(sample && { sample }) });
      return { ok: true };
    },
    async observed({ api, request, text, capturedAt }, sender) {
      // The page the answer belongs to is the sending tab's, as the browser reports it, never one
      // the message names: a page script could name any order.
      const pageUrl = sender.url;
      if (sender.tab?.id === undefined || !pageUrl) return { ok: false, error: 'an observed answer is taken only from the tab it was seen in' };
      const reading = readObservedInTab({ api, ...(request !== undefined && { request }), text }, pageUrl);
      // An answer the readers do not know says nothing about the page; its DOM may still.
      if (reading.kind === 'unknown') return { ok: true, read: 'unknown' };
      const snapshot = snapshotSchema.safeParse({ kind: reading.kind, url: pageUrl, capturedAt, orders: reading.orders, warnings: reading.warnings, ...(reading.list && { list: reading.list }) });
      if (!snapshot.success) return { ok: false, error: `the ${api} answer was read into an invalid snapshot: ${snapshot.error.issues[0]?.message ?? ''}` };
      await service.capture(snapshot.data, { fromTab: sender.tab?.id });
      return { ok: true, read: snapshot.data.kind };
    },
    async 'sync-now'() {
      await service.syncNow('merchant');
      return { ok: true };
    },
    async 'manual-sync-start'() {
      await service.startManualSync();
      return { ok: true };
    },
    async 'aliexpress-sync-start'() {
      const result = await service.startApiSync();
      return result.ok ? { ok: true, apiSync: result.read } : { ok: false, error: result.error };
    },
    async 'manual-sync-cancel'() {
      await service.cancelManualSync();
      return { ok: true };
    },
    async 'order-refresh'({ storeOrderId }) {
      // Goes on by itself; the order's row follows it in the cache (meta `orderRefresh`).
      void service.refreshOrder(storeOrderId).catch((error) => console.error('order refresh', error));
      return { ok: true };
    },
  };
}

/** Answers every message; a malformed one, or one from a sender it may not come from, gets an error reply and changes nothing. */
export async function handleMessage(raw: unknown, handlers: Handlers, sender: Sender, self: Self): Promise<Reply> {
  const parsed = parseMessage(raw);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const { message } = parsed;
  if (!senderAllowed(message.type, sender, self)) return { ok: false, error: `a ${message.type} message is not accepted from this sender` };
  try {
    return await (handlers[message.type] as Handler<typeof message.type>)(message, sender);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Must run synchronously at the worker's top level. */
export function setupMessaging(service: SyncService): void {
  const handlers = messageHandlers(service);
  const self: Self = { id: browser.runtime.id, pagesUrl: browser.runtime.getURL('/') };
  browser.runtime.onMessage.addListener((raw: unknown, sender) => handleMessage(raw, handlers, sender, self));
}
