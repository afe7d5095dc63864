/**
 * Every real capture and every authored page parses to the snapshot written beside it
 * (NAME.expected.json, written from reading the data), and the contract accepts every snapshot.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { parseFileText } from '../../../lib/aliexpress/parse-file';
import { snapshotSchema, type Snapshot } from '../../../lib/domain/snapshot';

const DIRS = ['tests/fixtures/aliexpress-real/', 'tests/fixtures/pages/'];
const parseHtml = (html: string) => parseHTML(html).document as unknown as Document;

describe.each(DIRS)('fixtures in %s', (dir) => {
  const expected = readdirSync(dir).filter((name) => name.endsWith('.expected.json'));
  it.each(expected)('%s', (name) => {
    const want = JSON.parse(readFileSync(dir + name, 'utf8')) as Snapshot;
    const source = readdirSync(dir).find((f) => f !== name && f.startsWith(name.replace('.expected.json', '.')) && /\.(?:json|html)$/.test(f));
    expect(source, `source file of ${name}`).toBeDefined();
    // NAME.request.txt: what the page sent with the API call (the order list's tab is in it).
    const requestFile = dir + name.replace('.expected.json', '.request.txt');
    const request = existsSync(requestFile) ? readFileSync(requestFile, 'utf8').trim() : undefined;
    const result = parseFileText(readFileSync(dir + source!, 'utf8'), source!, { url: want.url, capturedAt: want.capturedAt, parseHtml, ...(request !== undefined && { request }) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(snapshotSchema.safeParse(result.snapshot).success).toBe(true);
    expect(result.snapshot).toEqual(want);
  });
  it('covers at least the files it should', () => {
    expect(expected.length).toBeGreaterThanOrEqual(dir.includes('real') ? 7 : 24);
  });
});
