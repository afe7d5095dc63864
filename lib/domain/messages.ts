/** The messages between content scripts, extension pages and the service worker. */
import { z } from 'zod';
import { snapshotSchema } from './snapshot';

export const messageSchema = z.discriminatedUnion('type', [
  /** A content script read a page; for a page it did not recognise, a bounded copy of it. */
  z.object({ type: z.literal('snapshot'), snapshot: snapshotSchema, sample: z.string().max(200_000).optional() }),
  /** Push what is queued and pull the backend's view now (settings saved, popup opened). */
  z.object({ type: z.literal('sync-now') }),
  /** The Sync button: a full manual pass, if the backend grants a slot. A running one is not restarted. */
  z.object({ type: z.literal('manual-sync-start') }),
  /** Cancel the running manual sync; what it pushed stays pushed. */
  z.object({ type: z.literal('manual-sync-cancel') }),
]);
export type Message = z.infer<typeof messageSchema>;

export const replySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
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
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;
export const loadMoreReplySchema = z.object({ clicked: z.boolean() });
