/**
 * UI strings through chrome.i18n, typed by the English catalogue: a key missing from
 * public/_locales/en/messages.json is a compile error, and tests/unit/ui/locales.test.ts checks
 * that every other locale has the same keys and substitutions.
 *
 * Numbers, durations and "3 days ago" go through Intl in the browser's UI language, which knows
 * each language's plural rules, so the catalogues never need one message per plural form.
 */
import type en from '../../public/_locales/en/messages.json';

export type MessageKey = keyof typeof en;

/** The translated message; `$1`…`$9` in it take `subs`. A missing message shows its key, so it is noticed. */
export function t(key: MessageKey, ...subs: (string | number)[]): string {
  const text = globalThis.chrome?.i18n?.getMessage(key, subs.map(String));
  return text || key;
}

/** The language the browser shows its own UI in, which chrome.i18n also picked the catalogue by. */
export function uiLocale(): string {
  return globalThis.chrome?.i18n?.getUILanguage?.() || 'en';
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The largest whole unit of a duration: 3 days, 5 hours, 12 minutes (rounded down, as "3 days" means "at least 3"). */
export function durationParts(ms: number): { value: number; unit: 'day' | 'hour' | 'minute' } {
  const clamped = Math.max(0, ms);
  if (clamped >= DAY) return { value: Math.floor(clamped / DAY), unit: 'day' };
  if (clamped >= HOUR) return { value: Math.floor(clamped / HOUR), unit: 'hour' };
  return { value: Math.floor(clamped / MINUTE), unit: 'minute' };
}

/**
 * Intl formatters load locale data when built, and the popup formats the ages of every row in
 * view once a second: each is built once per locale and options.
 */
const formatters = new Map<string, unknown>();
function formatter<F>(key: string, build: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (made === undefined) {
    made = build();
    formatters.set(key, made);
  }
  return made;
}

/** "3 days", "1 hour", "3 jours", in the UI language. */
export function formatDuration(ms: number, locale = uiLocale()): string {
  const { value, unit } = durationParts(ms);
  return formatter(`duration ${locale} ${unit}`, () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' })).format(value);
}

/** "3 days ago", "il y a 3 jours"; under a minute is "just now" in the catalogue's words. */
export function formatAgo(iso: string, now: Date, locale = uiLocale()): string {
  const ms = now.getTime() - Date.parse(iso);
  if (!Number.isFinite(ms)) return t('timeUnknown');
  if (ms < MINUTE) return t('timeJustNow');
  const { value, unit } = durationParts(ms);
  return formatter(`ago ${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'always' })).format(-value, unit);
}

/** "8:42" left of a countdown, or "1:02:05" when it runs over an hour. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / SECOND));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A clock time in the UI language ("00:00", "12:00 AM"), for "next sync at …". */
export function formatClock(iso: string, now: Date, locale = uiLocale()): string {
  const at = new Date(iso);
  const sameDay = at.toDateString() === now.toDateString();
  const options: Intl.DateTimeFormatOptions = sameDay ? { timeStyle: 'short' } : { weekday: 'short', hour: 'numeric', minute: '2-digit' };
  return formatter(`clock ${locale} ${sameDay}`, () => new Intl.DateTimeFormat(locale, options)).format(at);
}

export const formatNumber = (n: number, locale = uiLocale()): string => formatter(`number ${locale}`, () => new Intl.NumberFormat(locale)).format(n);
