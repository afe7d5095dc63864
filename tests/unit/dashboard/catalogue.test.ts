import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_LOCALES, makeLookup, pickLocale, substitute } from '../../../lib/dashboard/catalogue';

const catalogue = (locale: string): Record<string, { message: string }> =>
  JSON.parse(readFileSync(new URL(`../../../dashboard/locales/${locale}.json`, import.meta.url), 'utf8'));
const placeholders = (message: string) => [...message.matchAll(/\$[1-9]/g)].map((m) => m[0]).sort();

describe("the dashboard's languages", () => {
  it('picks the browser language the dashboard has, by full tag then by language', () => {
    expect(pickLocale(['pt-BR'])).toBe('pt_BR');
    expect(pickLocale(['pt-PT', 'en'])).toBe('pt_BR');
    expect(pickLocale(['de-DE', 'fr-CA'])).toBe('fr');
    expect(pickLocale(['de'])).toBe('en');
  });

  it('substitutes as chrome.i18n does, and falls back through the catalogues', () => {
    expect(substitute('$1 of $2 left, $$5', ['3', '10'])).toBe('3 of 10 left, $5');
    const lookup = makeLookup({ a: { message: 'A $1' } }, { a: { message: 'no' }, b: { message: 'B' } });
    expect([lookup('a', ['x']), lookup('b'), lookup('c')]).toEqual(['A x', 'B', '']);
  });

  it.each(DASHBOARD_LOCALES.filter((l) => l !== 'en'))('%s has every English key with the same placeholders', (locale) => {
    const en = catalogue('en');
    const other = catalogue(locale);
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const [key, { message }] of Object.entries(en)) expect([key, placeholders(other[key]!.message)]).toEqual([key, placeholders(message)]);
  });
});
