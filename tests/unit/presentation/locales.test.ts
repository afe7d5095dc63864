import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { durationParts, formatCountdown, formatDuration } from '../../../lib/presentation/i18n';

const load = (lang: string) => JSON.parse(readFileSync(new URL(`../../../public/_locales/${lang}/messages.json`, import.meta.url), 'utf8')) as Record<string, { message: string }>;
const substitutions = (text: string) => [...new Set(text.match(/\$\d/g) ?? [])].sort();

describe('locales', () => {
  const en = load('en');
  for (const lang of ['pt_BR', 'es', 'fr']) {
    it(`${lang} has every English message, with the same substitutions`, () => {
      const other = load(lang);
      expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
      for (const [key, { message }] of Object.entries(en)) {
        expect([key, substitutions(other[key]!.message)]).toEqual([key, substitutions(message)]);
        expect(other[key]!.message.trim()).not.toBe('');
      }
    });
  }
});

describe('time in words', () => {
  it('rounds a duration down to its largest unit, plural rules by Intl', () => {
    expect(durationParts(9 * 86_400_000 + 3_600_000)).toEqual({ value: 9, unit: 'day' });
    expect(durationParts(90 * 60_000)).toEqual({ value: 1, unit: 'hour' });
    expect(formatDuration(86_400_000, 'en')).toBe('1 day');
    expect(formatDuration(3 * 86_400_000, 'fr').replace(/\s/g, ' ')).toBe('3 jours');
  });
  it('counts down in minutes and seconds', () => {
    expect(formatCountdown(9 * 60_000 + 1)).toBe('9:01');
    expect(formatCountdown(59_000)).toBe('0:59');
    expect(formatCountdown(3_725_000)).toBe('1:02:05');
  });
});
