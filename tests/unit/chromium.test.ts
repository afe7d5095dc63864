/** `npm start` on a machine without Chromium: it fetches Playwright's own build before giving up. */
import { describe, expect, it } from 'vitest';
import { ensureChromium } from '../../scripts/lib/chromium';

describe('finding a Chromium for npm start', () => {
  it('uses the Chromium it finds and fetches nothing', () => {
    let fetched = 0;
    expect(ensureChromium(() => '/usr/bin/chromium', () => (fetched++, true))).toBe('/usr/bin/chromium');
    expect(fetched).toBe(0);
  });

  it("fetches Playwright's own build when none is found, then uses it", () => {
    let installed = false;
    const path = ensureChromium(
      () => (installed ? '/root/.cache/ms-playwright/chromium/chrome' : undefined),
      () => (installed = true),
    );
    expect(path).toBe('/root/.cache/ms-playwright/chromium/chrome');
  });

  it('gives up (so the caller says the install command) when the download fails or leaves nothing', () => {
    expect(ensureChromium(() => undefined, () => false)).toBeUndefined();
    expect(ensureChromium(() => undefined, () => true)).toBeUndefined();
  });
});
