import { browser } from 'wxt/browser';

export const SYNC_ALARM = 'auto-sync';
export const SYNC_PERIOD_MINUTES = 10;
/** One pull of the backend's view, later (after an API sync still running at the backend). */
export const PULL_ALARM = 'pull-backend';

/** Pulls the backend's view in `minutes`, whether or not automatic sync is on: the merchant asked for this one. */
export async function schedulePull(minutes: number): Promise<void> {
  await browser.alarms.create(PULL_ALARM, { delayInMinutes: minutes });
}

/** Creates the periodic sync alarm unless it exists; alarms can vanish with a browser restart. */
export async function ensureSyncAlarm(): Promise<void> {
  const existing = await browser.alarms.get(SYNC_ALARM);
  if (!existing) await browser.alarms.create(SYNC_ALARM, { periodInMinutes: SYNC_PERIOD_MINUTES, delayInMinutes: SYNC_PERIOD_MINUTES });
}

/** Must run synchronously at the worker's top level so the listeners exist before any event. */
export function setupAlarms(onSyncAlarm: () => Promise<void>, onPullAlarm: () => Promise<void>): void {
  browser.runtime.onInstalled.addListener(() => void ensureSyncAlarm());
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void onSyncAlarm();
    if (alarm.name === PULL_ALARM) void onPullAlarm().catch(() => undefined);
  });
  void ensureSyncAlarm();
}
