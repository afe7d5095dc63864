/**
 * The dashboard's languages: its own catalogue (dashboard/locales) over the extension's
 * (public/_locales), installed as chrome.i18n so lib/ui's `t()` and reason texts work in a web page.
 */
import { makeLookup, pickLocale, type ChromeCatalogue, type DashboardLocale } from '../../lib/dashboard/catalogue';
import type en from '../locales/en.json';

export type DashboardKey = keyof typeof en;

const own = import.meta.glob<ChromeCatalogue>('../locales/*.json', { import: 'default' });
const extension = import.meta.glob<ChromeCatalogue>('../../public/_locales/*/messages.json', { import: 'default' });

let lookup: (key: string, subs?: readonly string[]) => string = () => '';
let current: DashboardLocale = 'en';

const LANGUAGE_KEY = 'aos.language';

export function chosenLocale(): DashboardLocale {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  return pickLocale([...(saved ? [saved] : []), ...navigator.languages]);
}

/** Loads one language's catalogues (English underneath, for anything missing) and installs them. */
export async function loadLocale(locale: DashboardLocale, remember = false): Promise<void> {
  if (remember) localStorage.setItem(LANGUAGE_KEY, locale);
  const load = (table: typeof own, path: string) => table[path]!();
  const [ownLocal, extLocal, ownEn, extEn] = await Promise.all([
    load(own, `../locales/${locale}.json`),
    load(extension, `../../public/_locales/${locale}/messages.json`),
    load(own, '../locales/en.json'),
    load(extension, '../../public/_locales/en/messages.json'),
  ]);
  lookup = makeLookup(ownLocal, extLocal, ownEn, extEn);
  current = locale;
  const tag = locale.replace('_', '-');
  document.documentElement.lang = tag;
  const chromeGlobal = ((globalThis as { chrome?: object }).chrome ??= {}) as Record<string, unknown>;
  chromeGlobal.i18n = { getMessage: (key: string, subs?: string[]) => lookup(key, subs), getUILanguage: () => tag };
}

export const currentLocale = (): DashboardLocale => current;

/** A dashboard string; `$1`… take `subs`. A missing one shows its key, so it is noticed. */
export function d(key: DashboardKey, ...subs: (string | number)[]): string {
  return lookup(key, subs.map(String)) || key;
}
