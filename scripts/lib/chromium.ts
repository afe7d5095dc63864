/** Finding a Chromium to run the extension in: CHROMIUM_PATH, then Debian's, then Playwright's own. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';

const DEBIAN_CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];
export const INSTALL_HINT = 'No Chromium found: install one with `sudo apt-get install -y chromium` (or set CHROMIUM_PATH).';

export function findChromium(env = process.env): string | undefined {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  const debian = DEBIAN_CHROMIUM.find((path) => existsSync(path));
  if (debian) return debian;
  const playwrights = chromium.executablePath();
  return playwrights && existsSync(playwrights) ? playwrights : undefined;
}

/** Fetches Playwright's own Chromium build (its CDN): true when the download finished. */
function installPlaywrightChromium(): boolean {
  const cli = join(import.meta.dirname, '../../node_modules/.bin/playwright');
  console.log("No Chromium found: fetching Playwright's own build (npx playwright install chromium) …");
  return spawnSync(cli, ['install', 'chromium'], { stdio: 'inherit' }).status === 0;
}

/**
 * A Chromium for `npm start`: the one found, else Playwright's own build fetched now. Undefined
 * only where that cannot work (no network to Playwright's CDN, say): the caller then says the one
 * command that installs one (INSTALL_HINT).
 */
export function ensureChromium(find: () => string | undefined = findChromium, install: () => boolean = installPlaywrightChromium): string | undefined {
  const found = find();
  if (found) return found;
  return install() ? find() : undefined;
}

export interface LaunchOptions {
  /** The unpacked extension to load; none for a plain browser (a benchmark's baseline). */
  extensionDir: string | undefined;
  userDataDir: string;
  headless: boolean;
}

/**
 * A browser profile with the unpacked extension loaded. The flags keep Chromium off the network
 * it cannot reach here (background requests, component updates, sync) and out of the GPU.
 */
export async function launchWithExtension({ extensionDir, userDataDir, headless }: LaunchOptions): Promise<BrowserContext> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(INSTALL_HINT);
  return chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless,
    viewport: { width: 1280, height: 800 },
    args: [
      ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The extension's service worker, waiting for it to start when it has not yet. */
export async function extensionWorker(context: BrowserContext) {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
}

export function extensionIdOf(workerUrl: string): string {
  return new URL(workerUrl).host;
}
