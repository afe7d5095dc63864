import { browser } from 'wxt/browser';
import { parseMessage, type Reply } from '../domain/messages';
import type { SyncService } from './sync-service';

/** Answers every message; a malformed one gets an error reply and changes nothing. */
export async function handleMessage(raw: unknown, service: SyncService): Promise<Reply> {
  const parsed = parseMessage(raw);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const { message } = parsed;
  try {
    switch (message.type) {
      case 'snapshot':
        await service.capture(message.snapshot);
        return { ok: true };
      case 'sync-now':
        await service.syncNow();
        return { ok: true };
    }
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Must run synchronously at the worker's top level. */
export function setupMessaging(service: SyncService): void {
  browser.runtime.onMessage.addListener((raw: unknown) => handleMessage(raw, service));
}
