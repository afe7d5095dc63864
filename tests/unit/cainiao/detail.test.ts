/**
 * Cainiao's detail.json answers, read for the numbers asked: the real captures, several numbers in
 * one answer, and every way Cainiao says no (HTTP errors, its slider check, not JSON).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCainiaoAnswer } from '../../../lib/cainiao/detail';
import { CAINIAO_BATCH_SIZE, CAINIAO_URL_LIMIT, cainiaoDetailUrl } from '../../../lib/cainiao/url';

const REAL = 'tests/fixtures/aliexpress-real/';
const realText = (file: string) => readFileSync(REAL + file, 'utf8');
const realModule = (file: string) => JSON.parse(realText(file)).module[0];

describe('the request', () => {
  it('asks for several numbers at once, comma-separated, in English', () => {
    expect(cainiaoDetailUrl(['RC000000001EE', 'LP00000000000'])).toBe('https://global.cainiao.com/global/detail.json?mailNos=RC000000001EE,LP00000000000&lang=en-US');
  });

  it('keeps a full batch of the longest numbers the cache accepts under a common server limit, with room to spare', () => {
    const longest = Array.from({ length: CAINIAO_BATCH_SIZE }, (_, i) => `X${String(i).padStart(63, '0')}`);
    expect(cainiaoDetailUrl(longest).length).toBeLessThan(CAINIAO_URL_LIMIT / 3);
  });
});

describe('an answer', () => {
  it('reads the real in-customs capture as a package in transit, newest event first', () => {
    const answer = readCainiaoAnswer({ status: 200, text: realText('cainiao-detail-in-customs.json') }, ['RC000000002EE']);
    expect(answer.kind).toBe('ok');
    if (answer.kind !== 'ok') return;
    expect(answer.packages).toHaveLength(1);
    expect(answer.packages[0]).toMatchObject({ trackingNumber: 'RC000000002EE', trackingStatus: 'in_transit' });
    expect(answer.packages[0]!.events[0]).toMatchObject({ at: '2026-08-23T06:18:40.000Z', code: 'CC_HO_OUT_SUCCESS', text: 'Departed from customs' });
    expect(answer.unserved).toEqual([]);
    expect(answer.missing).toEqual([]);
  });

  it('reads one entry per number from a batch, and tells the numbers Cainiao cannot serve from those it left out', () => {
    const module = [realModule('cainiao-detail-delivered.json'), realModule('cainiao-detail-in-customs.json'), realModule('cainiao-detail-unknown-number.json')];
    const asked = ['RC000000001EE', 'RC000000002EE', 'LP00000000000', 'LP99999999999'];
    const answer = readCainiaoAnswer({ status: 200, text: JSON.stringify({ module, success: true }) }, asked);
    expect(answer.kind).toBe('ok');
    if (answer.kind !== 'ok') return;
    expect(answer.packages.map((p) => [p.trackingNumber, p.trackingStatus])).toEqual([
      ['RC000000001EE', 'delivered'],
      ['RC000000002EE', 'in_transit'],
    ]);
    // The real unknown number is EXTERNAL: another carrier's, which keeps its AliExpress tracking page.
    expect(answer.unserved).toEqual([{ trackingNumber: 'LP00000000000', reason: 'external' }]);
    expect(answer.missing).toEqual(['LP99999999999']);
  });

  it('counts a number Cainiao tracks itself but shows no event for as one it cannot serve yet', () => {
    const quiet = { ...realModule('cainiao-detail-in-customs.json'), detailList: [] };
    const answer = readCainiaoAnswer({ status: 200, text: JSON.stringify({ module: [quiet], success: true }) }, ['RC000000002EE']);
    expect(answer).toMatchObject({ kind: 'ok', packages: [], unserved: [{ trackingNumber: 'RC000000002EE', reason: 'no_events' }] });
  });

  it('never takes a package it was not asked about', () => {
    const answer = readCainiaoAnswer({ status: 200, text: realText('cainiao-detail-delivered.json') }, ['RC000000002EE']);
    expect(answer).toMatchObject({ kind: 'ok', packages: [], missing: ['RC000000002EE'] });
  });

  it('is a refusal when Cainiao answers an HTTP error, with the wait it asked for', () => {
    expect(readCainiaoAnswer({ status: 503, retryAfter: '120', text: '<html>Service Unavailable</html>' }, ['A1'])).toEqual({
      kind: 'refused',
      reason: 'http_error',
      status: 503,
      message: 'Cainiao answered HTTP 503',
      retryAfterSeconds: 120,
    });
  });

  it('is a refusal when Cainiao shows its slider check instead of JSON', () => {
    const punish = readFileSync('tests/fixtures/pages/bot-check-punish.html', 'utf8');
    expect(readCainiaoAnswer({ status: 200, text: punish }, ['A1'])).toMatchObject({ kind: 'refused', reason: 'slider_check' });
    expect(readCainiaoAnswer({ status: 200, text: '<html><body>hello</body></html>' }, ['A1'])).toMatchObject({ kind: 'refused', reason: 'not_json' });
  });

  it('is a refusal when Cainiao says it failed, or answers JSON without any number', () => {
    expect(readCainiaoAnswer({ status: 200, text: '{"success":false,"module":[]}' }, ['A1'])).toMatchObject({ kind: 'refused', reason: 'not_success' });
    expect(readCainiaoAnswer({ status: 200, text: '{"data":{}}' }, ['A1'])).toMatchObject({ kind: 'refused', reason: 'not_success' });
  });
});
