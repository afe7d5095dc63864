/**
 * What the page report collects from ordinary reads: the status texts and codes the readers did
 * not know, with the page's own words, found from the readers' warnings (the expected snapshots are
 * the readers' output: fixtures.test.ts checks them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statusFields } from '../../../lib/aliexpress/order-list';
import { unreadIn } from '../../../lib/aliexpress/unread';
import type { Snapshot } from '../../../lib/domain/snapshot';

const expected = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/pages/${name}.expected.json`, import.meta.url), 'utf8')) as Snapshot;

describe('texts and codes the readers did not know', () => {
  it('a Spanish list: every unsourced text, once, with the status other evidence gave it or unknown', () => {
    const found = unreadIn(expected('mtop-order-list-es-all'));
    expect(found.map(({ what, value, aliOrderId, status, statusSource }) => ({ what, value, aliOrderId, status, statusSource }))).toEqual([
      // Twice on the page (8212313961591322 and 100426841571559): collected once.
      { what: 'status_text', value: '[es] completed', aliOrderId: '8212313961591322', status: 'completed', statusSource: 'buttons' },
      { what: 'status_text', value: '[es] expired', aliOrderId: '8212611134562621', status: 'unknown', statusSource: undefined },
      { what: 'status_text', value: '[es] awaiting delivery', aliOrderId: '8214398062177351', status: 'shipped', statusSource: 'buttons' },
      { what: 'status_text', value: '[es] other', aliOrderId: '8211781299384136', status: 'unknown', statusSource: undefined },
    ]);
    expect(found[3]!.warning).toBe('order 8211781299384136: unknown status text "[es] other"');
  });

  it('a tracking code no source names, with its package and order', () => {
    expect(unreadIn(expected('mtop-tracking-pickup'))).toEqual([
      {
        what: 'tracking_code',
        value: 'AE_GTMS_NOT_A_SOURCED_CODE',
        trackingNumber: 'UC0000000001BR',
        aliOrderId: '100426841571559',
        warning: expect.stringContaining('unknown tracking code AE_GTMS_NOT_A_SOURCED_CODE'),
      },
    ]);
  });

  it('a status code no source names, beside a text no dictionary knows; nothing from pages read fine', () => {
    const warnings: string[] = [];
    // A code invented on purpose (no source names it), as the fixtures do for tracking codes.
    const status = statusFields({ code: 'NOT_A_SOURCED_STATUS', text: '[es] other' }, '8214398062177351', warnings);
    const order = { aliOrderId: '8214398062177351', ...status, statusText: '[es] other', packages: [] };
    expect(unreadIn({ orders: [order], warnings }).map((u) => [u.what, u.value, u.status])).toEqual([
      ['status_code', 'NOT_A_SOURCED_STATUS', 'unknown'],
      ['status_text', '[es] other', 'unknown'],
    ]);
    expect(unreadIn(expected('order-list-en'))).toEqual([]);
    expect(unreadIn(expected('mtop-tracking-failure-return'))).toEqual([]);
  });
});
