/**
 * The Sync button clicks the order list's tabs by the titles the page's own data gives them: on
 * the saved English list, every tab is found, a card whose status reads like a tab is not taken
 * for it, and a title the page does not show finds nothing (the run then falls back to the all-tab).
 */
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { findListTab } from '../../../lib/capture/list-tabs';
import { readOrderListJson } from '../../../lib/aliexpress/order-list';

const html = readFileSync('tests/fixtures/pages/order-list-en.html', 'utf8');
const page = () => parseHTML(html).document as unknown as Document;
const real = JSON.parse(readFileSync('tests/fixtures/aliexpress-real/mtop-order-list-page1.json', 'utf8'));

describe('finding a list tab by its title', () => {
  it("finds every tab of the page's statusTabList, by title", () => {
    const tabs = readOrderListJson(real).list?.tabs ?? [];
    expect(tabs.map((t) => t.code)).toEqual(['all', 'unpaid', 'processing', 'shipped', 'completed']);
    const doc = page();
    for (const tab of tabs) expect(findListTab(doc, tab.title)?.closest('[data-tab]')?.getAttribute('data-tab'), tab.title).toBe(tab.code);
  });

  it('never takes an order card whose status reads like a tab ("Completed")', () => {
    const doc = page();
    expect(doc.querySelectorAll('.order-item-header-status-text').length).toBeGreaterThan(0);
    expect(findListTab(doc, 'Completed')?.closest('.order-item')).toBeNull();
  });

  it('finds nothing for a title the page does not show, or on a page without the tab bar', () => {
    expect(findListTab(page(), 'Procesando')).toBeUndefined();
    const bare = parseHTML(html.replace(/<div class="order-tabs">[\s\S]*?<\/div>\s*<\/div>/, '')).document as unknown as Document;
    expect(findListTab(bare, 'Processing')).toBeUndefined();
  });
});
