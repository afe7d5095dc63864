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

/** Why typed backend settings cannot be saved (each has its message in the options page). */
export type BackendProblem = 'not_http' | 'plain_http' | 'token_too_long';

/**
 * The backend URL and token as typed, trimmed, or why they cannot be saved: the URL must be empty
 * or https, the token at most API_TOKEN_MAX_LENGTH characters. Plain http only to this computer
 * (loopback): anywhere else, anyone on the network between (a café's Wi-Fi, a proxy) reads the
 * token in every request's header and can sync as the merchant.
 */
export function checkBackend(typed: BackendSettings): { settings: BackendSettings } | { problem: BackendProblem } {
  const backendUrl = typed.backendUrl.trim();
  const apiToken = typed.apiToken.trim();
  if (apiToken.length > API_TOKEN_MAX_LENGTH) return { problem: 'token_too_long' };
  if (backendUrl === '') return { settings: { backendUrl, apiToken } };
  let url: URL;
  try {
    url = new URL(backendUrl);
  } catch {
    return { problem: 'not_http' };
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) return { problem: 'plain_http' };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'not_http' };
  return { settings: { backendUrl, apiToken } };
}

/** This computer: `localhost` (and its subdomains), 127.0.0.0/8, [::1]. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '[::1]';
}

/** A build made for one backend (npm start, the end-to-end tests) starts configured for it. */
export const DEFAULT_SETTINGS: Settings = {
  backendUrl: import.meta.env.WXT_BACKEND_URL ?? '',
  apiToken: import.meta.env.WXT_API_TOKEN ?? '',
  autoSync: true,
  pauseBetweenPagesMs: 3000,
  notifications: true,
};

/**
 * Keeps `storage.local` (the settings, the API token among them) out of content scripts' reach:
 * only the worker and the extension's pages may read it. The content scripts never use storage,
 * so they lose nothing; a page that took over the renderer of an AliExpress tab cannot ask for
 * the token through them. Chrome keeps the level across restarts; the worker sets it again at
 * every start, before anything else, for a profile that had the extension before this.
 */
export function keepStorageFromContentScripts(): Promise<void> {
  return chrome.storage.local.setAccessLevel({ accessLevel: 'TRUSTED_CONTEXTS' });
}

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  // v2 added autoSync, pauseBetweenPagesMs and notifications: settings saved by v1 get their
  // defaults, so every reader can rely on every field being there.
  version: 2,
  migrations: { 2: (old: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...old }) },
});

let writing: Promise<unknown> = Promise.resolve();

/**
 * Changes some settings. They are stored whole, so each change is applied to what the one before
 * it wrote, in order: two checkboxes clicked in quick succession must not each write the value
 * read before the other's, losing one of them.
 */
export function updateSettings(patch: Partial<Settings>): Promise<void> {
  const written = writing.then(async () => settingsItem.setValue({ ...(await settingsItem.getValue()), ...patch }));
  writing = written.catch(() => undefined);
  return written;
}
