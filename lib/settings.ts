/**
 * The merchant's settings, in extension storage (shared by the worker, the popup and the options
 * page). Only the options page writes them, and it checks what it writes (checkBackend, the pause
 * range), so readers take them as stored. Zod-free: the popup reads them on every open.
 */
import { storage } from 'wxt/utils/storage';

export const PAUSE_BETWEEN_PAGES_MIN_MS = 500;
export const PAUSE_BETWEEN_PAGES_MAX_MS = 60_000;
export const API_TOKEN_MAX_LENGTH = 200;

export interface Settings {
  /** The backend's http(s) URL, or '' while not configured. */
  backendUrl: string;
  apiToken: string;
  /** The 10-minute background sync (push the queue, pull the backend's view). */
  autoSync: boolean;
  /** Between two page loads of a manual sync: AliExpress rations page loads, so never hammer it. */
  pauseBetweenPagesMs: number;
  /** A desktop notification when an order turns abnormal or needs attention. */
  notifications: boolean;
}

export type BackendSettings = Pick<Settings, 'backendUrl' | 'apiToken'>;

/**
 * The backend URL and token as typed, trimmed, or undefined when they cannot be saved: the URL
 * must be empty or http(s), the token at most API_TOKEN_MAX_LENGTH characters.
 */
export function checkBackend(typed: BackendSettings): BackendSettings | undefined {
  const backendUrl = typed.backendUrl.trim();
  const apiToken = typed.apiToken.trim();
  if (apiToken.length > API_TOKEN_MAX_LENGTH) return undefined;
  if (backendUrl !== '' && !isHttpUrl(backendUrl)) return undefined;
  return { backendUrl, apiToken };
}

function isHttpUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}

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
