import { browser } from 'wxt/browser';
import { readObservedAnswer } from '../aliexpress/read-page';
import { parseMessage, type Reply } from '../domain/messages';
import { snapshotSchema, type Snapshot } from '../domain/snapshot';
import type { SyncService } from './sync-service';
import { deliverTabSnapshot, failTabWait, isSyncTab } from './sync-tab';

/** Keeps a page's reading; a manual sync's own tab pushes as it goes, and learns of the page once it is kept. */
async function keep(snapshot: Snapshot, service: SyncService, senderTabId: number | undefined, sample?: string): Promise<void> {
  const fromSyncTab = isSyncTab(senderTabId);
  try {
    await service.capture(snapshot, { pushSoon: !fromSyncTab, ...(sample && { sample }) });
  } catch (error) {
    // The run waiting on this tab says why at once, instead of timing out on a page it got.
    if (fromSyncTab) failTabWait(senderTabId!, error);
    throw error;
  }
  if (fromSyncTab) deliverTabSnapshot(senderTabId!, snapshot);
}

/** Answers every message; a malformed one gets an error reply and changes nothing. */
export async function handleMessage(raw: unknown, service: SyncService, senderTabId?: number): Promise<Reply> {
  const parsed = parseMessage(raw);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const { message } = parsed;
  try {
    switch (message.type) {
      case 'snapshot':
        await keep(message.snapshot, service, senderTabId, message.sample);
        return { ok: true };
      case 'observed': {
        const { api, url, request, text, pageUrl, capturedAt } = message;
        const reading = readObservedAnswer({ api, url, ...(request !== undefined && { request }), text }, pageUrl);
        // An answer the readers do not know says nothing about the page; its DOM may still.
        if (reading.kind === 'unknown') return { ok: true, read: 'unknown' };
        const snapshot = snapshotSchema.safeParse({ kind: reading.kind, url: pageUrl, capturedAt, orders: reading.orders, warnings: reading.warnings });
        if (!snapshot.success) return { ok: false, error: `the ${api} answer was read into an invalid snapshot: ${snapshot.error.issues[0]?.message ?? ''}` };
        await keep(snapshot.data, service, senderTabId);
        return { ok: true, read: snapshot.data.kind };
      }
      case 'sync-now':
        await service.syncNow('merchant');
        return { ok: true };
      case 'manual-sync-start':
        await service.startManualSync();
        return { ok: true };
      case 'manual-sync-cancel':
        await service.cancelManualSync();
        return { ok: true };
      default:
        return { ok: false, error: 'unhandled message' };
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Must run synchronously at the worker's top level. */
export function setupMessaging(service: SyncService): void {
  browser.runtime.onMessage.addListener((raw: unknown, sender) => handleMessage(raw, service, sender.tab?.id));
}
