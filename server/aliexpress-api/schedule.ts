/**
 * The scheduled pass's timer: every tick, this process runs the passes that are due (claimed in
 * the database, so several processes share them and none runs one twice). The timer holds no
 * state: what is due is in the database, so a restarted process picks up where the others are.
 */
import type { Logger } from '../log';
import type { AliExpressService } from './service';

/** How often a process looks for due passes; a pass itself is due every ALIEXPRESS_SYNC_INTERVAL_HOURS. */
export const PASS_TICK_MS = 60_000;

export function startScheduledPasses(service: AliExpressService, log: Logger, tickMs = PASS_TICK_MS, now = () => new Date()): { stop(): void } {
  if (!service.configured) return { stop: () => undefined };
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await service.runDuePasses(now());
    } catch (error) {
      log.error('aliexpress scheduled passes failed', { error: String((error as Error).stack ?? error) });
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
