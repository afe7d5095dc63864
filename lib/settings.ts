/** The merchant's settings, in extension storage (shared by the worker, the popup and the options page). */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';

export const settingsSchema = z.object({
  backendUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
  apiToken: z.string().trim().max(200),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A build made for one backend (npm start, the end-to-end tests) starts configured for it. */
export const DEFAULT_SETTINGS: Settings = {
  backendUrl: import.meta.env.WXT_BACKEND_URL ?? '',
  apiToken: import.meta.env.WXT_API_TOKEN ?? '',
};

export const settingsItem = storage.defineItem<Settings>('local:settings', { fallback: DEFAULT_SETTINGS });
