/** The merchant's settings, in extension storage (shared by the worker, the popup and the options page). */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';

export const PAUSE_BETWEEN_PAGES_MIN_MS = 500;
export const PAUSE_BETWEEN_PAGES_MAX_MS = 60_000;

export const settingsSchema = z.object({
  backendUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  apiToken: z.string().trim().max(200),
  /** The 10-minute background sync (push the queue, pull the backend's view). */
  autoSync: z.boolean().default(true),
  /** Between two page loads of a manual sync: AliExpress rations page loads, so never hammer it. */
  pauseBetweenPagesMs: z.number().int().min(PAUSE_BETWEEN_PAGES_MIN_MS).max(PAUSE_BETWEEN_PAGES_MAX_MS).default(3000),
  /** A desktop notification when an order turns abnormal or needs attention. */
  notifications: z.boolean().default(true),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A build made for one backend (npm start, the end-to-end tests) starts configured for it. */
export const DEFAULT_SETTINGS: Settings = {
  backendUrl: import.meta.env.WXT_BACKEND_URL ?? '',
  apiToken: import.meta.env.WXT_API_TOKEN ?? '',
  autoSync: true,
  pauseBetweenPagesMs: 3000,
  notifications: true,
};

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  // v2 added autoSync, pauseBetweenPagesMs and notifications: settings saved by v1 get their
  // defaults, so every reader can rely on every field being there.
  version: 2,
  migrations: { 2: (old: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...old }) },
});
