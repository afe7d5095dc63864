/** The messages between content scripts, extension pages and the service worker. */
import { z } from 'zod';
import { MAX_PAGE_SAMPLE_CHARS } from './page-sample';
import { isoDateTimeSchema, snapshotKindSchema, snapshotSchema } from './snapshot';

/** The largest page answer passed on: the order list's pages are tens of kilobytes. */
export const MAX_OBSERVED_CHARS = 5_000_000;

export const messageSchema = z.discriminatedUnion('type', [
  /** A content script read a page; for a page it did not recognise, a bounded copy of it. */
  z.object({ type: z.literal('snapshot'), snapshot: snapshotSchema, sample: z.string().max(MAX_PAGE_SAMPLE_CHARS).optional() }),
  /**
   * An order page's own data, as its page hook saw it: an API answer, or the page's inline init
   * data (api `init`). The worker reads it, so the merchant's page does not pay for the parsing.
   * No URL: the page it was seen on is the sending tab's, as the browser reports it.
   */
  z.object({
    type: z.literal('observed'),
    api: z.string().min(1).max(200),
    capturedAt: isoDateTimeSchema,
    /** What the page sent with the request (a POST's form body): the order list names its tab there. */
    request: z.string().max(8_000).optional(),
    text: z.string().max(MAX_OBSERVED_CHARS),
  }),
  /** Push what is queued and pull the backend's view now (settings saved, popup opened). */
  z.object({ type: z.literal('sync-now') }),
  /** The Sync button: a full manual pass, if the backend grants a slot. A running one is not restarted. */
  z.object({ type: z.literal('manual-sync-start') }),
  /** Cancel the running manual sync; what it pushed stays pushed. */
  z.object({ type: z.literal('manual-sync-cancel') }),
  /** Bring one store order up to date now (its row's refresh button), without the manual-sync quota. */
  z.object({ type: z.literal('order-refresh'), storeOrderId: z.string().min(1).max(64) }),
  /** "Sync through the AliExpress API": the backend reads the watched orders itself, on the same quota. */
  z.object({ type: z.literal('aliexpress-sync-start') }),
]);
export type Message = z.infer<typeof messageSchema>;

export const replySchema = z.discriminatedUnion('ok', [
  /**
   * `read`: for an `observed` answer, the kind of page it was read as (`unknown` when it says nothing).
   * `apiSync`: for a sync through the AliExpress API, what the backend read.
   */
  z.object({
    ok: z.literal(true),
    read: snapshotKindSchema.optional(),
    apiSync: z
      .object({ asked: z.number().int(), read: z.number().int(), changed: z.number().int(), notServed: z.number().int() })
      .optional(),
  }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type Reply = z.infer<typeof replySchema>;

/** Validates anything that arrives on the message channel; never throws. */
export function parseMessage(raw: unknown): { message: Message } | { error: string } {
  const parsed = messageSchema.safeParse(raw);
  if (parsed.success) return { message: parsed.data };
  return { error: `malformed message: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}` };
}

/** Messages from the worker to the content script of a tab it drives (a manual sync's tab). */
export const tabMessageSchema = z.discriminatedUnion('type', [
  /** Click "View orders" to load the next page of the order list. */
  z.object({ type: z.literal('load-more') }),
  /** Click the order list's tab with this title (the page's own, from its `statusTabList`). */
  z.object({ type: z.literal('show-tab'), title: z.string().min(1).max(200) }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;
/** The answer to `load-more` and `show-tab`: whether the button or tab was there to click. */
export const loadMoreReplySchema = z.object({ clicked: z.boolean() });
