import { browser } from 'wxt/browser';
import { parseMessage, type Reply } from '../domain/messages';
import type { SyncService } from './sync-service';
import { deliverTabSnapshot, failTabWait, isSyncTab } from './sync-tab';

/** Answers every message; a malformed one gets an error reply and changes nothing. */
export async function handleMessage(raw: unknown, service: SyncService, senderTabId?: number): Promise<Reply> {
  const parsed = parseMessage(raw);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const { message } = parsed;
  try {
    switch (message.type) {
      case 'snapshot': {
        // A manual sync's own tab: the run pushes as it goes, and learns of the page once it is kept.
        const fromSyncTab = isSyncTab(senderTabId);
        try {
          await service.capture(message.snapshot, { pushSoon: !fromSyncTab, ...(message.sample && { sample: message.sample }) });
        } catch (error) {
          // The run waiting on this tab says why at once, instead of timing out on a page it got.
          if (fromSyncTab) failTabWait(senderTabId!, error);
          throw error;
        }
        if (fromSyncTab) deliverTabSnapshot(senderTabId!, message.snapshot);
        return { ok: true };
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
