/** Reading the human-formatted bits of AliExpress pages: prices, dates, times, spacing. */
import type { Money } from '../domain/snapshot';

/** Collapses runs of white space (AliExpress texts carry trailing spaces, e.g. "Concluído "). */
export function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}

/** Lower case without accents or dots, so "Concluído", "concluido" and "juil." compare equal. */
export function foldText(text: string): string {
  return cleanText(text)
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.+/g, '')
    .trim();
}

/**
 * Reads a displayed price such as "R$132,74", "US $1,234.56", "1.234,56 €" or "€ 12".
 * The last separator followed by one or two digits is the decimal one; a separator followed by
 * three digits groups thousands ("R$1.234" is 1234).
 */
function parseAmount(text: string): number | undefined {
  const digits = text.replace(/[^\d.,]/g, '');
  if (!/\d/.test(digits)) return undefined;
  const decimal = /[.,](\d{1,2})$/.exec(digits);
  const whole = (decimal ? digits.slice(0, decimal.index) : digits).replace(/[.,]/g, '');
  if (whole === '' && !decimal) return undefined;
  const amount = Number(decimal ? `${whole || '0'}.${decimal[1]}` : whole);
  return Number.isFinite(amount) ? amount : undefined;
}

/**
 * The order list's `formatPriceInfo` ("R$132,74|132|74": display|whole|cents) with its currency
 * code, falling back to the display text alone.
 */
export function parseMoney(display: string | undefined, currency: string | undefined, formatPriceInfo?: string): Money | undefined {
  if (!currency || !/^[A-Z]{3}$/.test(currency)) return undefined;
  const parts = formatPriceInfo?.split('|');
  if (parts && parts.length === 3 && /^\d+$/.test((parts[1] ?? '').replace(/[.,\s]/g, '')) && /^\d{1,2}$/.test(parts[2] ?? '')) {
    const whole = (parts[1] ?? '').replace(/[.,\s]/g, '');
    return { amount: Number(`${whole}.${(parts[2] ?? '').padEnd(2, '0')}`), currency };
  }
  const amount = display === undefined ? undefined : parseAmount(display);
  return amount === undefined ? undefined : { amount, currency };
}

/**
 * Currency symbols as AliExpress prints them, most specific first. A bare "$" or "kr" is left
 * out on purpose: it is shared by several currencies, and a wrong currency is worse than none.
 */
const CURRENCY_SYMBOLS: ReadonlyArray<[RegExp, string]> = [
  [/R\$/, 'BRL'],
  [/US\s?\$/, 'USD'],
  [/C(?:A)?\s?\$/, 'CAD'],
  [/A(?:U)?\s?\$/, 'AUD'],
  [/MX\s?\$/, 'MXN'],
  [/NZ\s?\$/, 'NZD'],
  [/€/, 'EUR'],
  [/£/, 'GBP'],
  [/zł/i, 'PLN'],
  [/₽|руб/i, 'RUB'],
  [/₺|\bTL\b/, 'TRY'],
  [/₴/, 'UAH'],
  [/¥|円/, 'JPY'],
  [/₩/, 'KRW'],
  [/₹/, 'INR'],
  [/CHF/, 'CHF'],
];

/** The ISO currency a displayed price is in, from a 3-letter code or an unambiguous symbol. */
function currencyOf(text: string): string | undefined {
  const code = /(?:^|[^A-Za-z])([A-Z]{3})(?![A-Za-z])/.exec(text)?.[1];
  if (code && code !== 'US' && /^(?:BRL|USD|EUR|GBP|PLN|RUB|TRY|UAH|CAD|AUD|MXN|NZD|JPY|KRW|INR|CHF|CLP|COP|PEN|SEK|NOK|DKK|CZK|HUF|ILS|KZT|SAR|AED)$/.test(code)) return code;
  for (const [symbol, currency] of CURRENCY_SYMBOLS) if (symbol.test(text)) return currency;
  return undefined;
}

/** A price as the DOM shows it ("R$132,74", "12,34 €"), with its currency, or undefined. */
export function parseDisplayMoney(text: string, fallbackCurrency?: string): Money | undefined {
  const cleaned = cleanText(text);
  const currency = currencyOf(cleaned) ?? fallbackCurrency;
  if (!currency) return undefined;
  const amount = parseAmount(cleaned);
  return amount === undefined ? undefined : { amount, currency };
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Locales whose month names the date reader knows (AliExpress serves these languages). */
const DATE_LOCALES = ['en-US', 'pt-BR', 'pt-PT', 'es-ES', 'fr-FR', 'de-DE', 'it-IT', 'nl-NL', 'pl-PL', 'tr-TR', 'ru-RU'];

/**
 * Month names per language, taken from the runtime's CLDR data (Intl) rather than typed in, in
 * both the standalone form and the form used inside a date (Russian and Polish decline months:
 * "июля", "lipca"). A name two languages use for different months is dropped, never guessed.
 * Built on the first date read, not when the module loads, and with one formatter per locale and
 * form: creating formatters is what costs on an order page's main thread.
 */
let months: ReadonlyMap<string, number> | undefined;
function monthTable(): ReadonlyMap<string, number> {
  if (months) return months;
  const found = new Map<string, Set<number>>();
  const add = (name: string, month: number): void => {
    const key = foldText(name);
    if (key.length < 3 || /\d/.test(key)) return;
    if (!found.has(key)) found.set(key, new Set());
    found.get(key)!.add(month);
  };
  for (const locale of DATE_LOCALES) {
    for (const style of ['short', 'long'] as const) {
      let alone: Intl.DateTimeFormat;
      let inDate: Intl.DateTimeFormat;
      try {
        alone = new Intl.DateTimeFormat(locale, { month: style, timeZone: 'UTC' });
        inDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: style, timeZone: 'UTC' });
      } catch {
        // A runtime without that locale simply knows fewer month names.
        continue;
      }
      for (let month = 1; month <= 12; month++) {
        const date = new Date(Date.UTC(2026, month - 1, 15));
        add(alone.format(date), month);
        for (const part of inDate.formatToParts(date)) if (part.type === 'month') add(part.value, month);
      }
    }
  }
  // English abbreviations AliExpress prints with a dot ("Jul. 28") are covered by foldText.
  const table = new Map<string, number>();
  for (const [key, set] of found) if (set.size === 1) table.set(key, [...set][0]!);
  months = table;
  return table;
}

function isoDay(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** English month names, the common case, answered without building the Intl table. */
const ENGLISH_MONTHS: ReadonlyMap<string, number> = new Map(
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].flatMap(
    (name, i) => [
      [name, i + 1],
      [name.slice(0, 3), i + 1],
    ] as [string, number][],
  ),
);

/** The month a word names in any known language ("jul", "juil.", "июля", "Tem"), if any. */
export function monthFromWord(word: string): number | undefined {
  const key = foldText(word);
  // Numbers and punctuation are never month names: no need to build the table for them.
  if (!/\p{L}{3}/u.test(key)) return undefined;
  return ENGLISH_MONTHS.get(key) ?? monthTable().get(key);
}

/**
 * A calendar day as AliExpress shows it ("Jul 15, 2026", "15 de jul. de 2026", "15 juil. 2026",
 * "15. Juli 2026", "15 июл. 2026 г.", "2026-07-15", "15.07.2026") to ISO 8601 ("2026-07-15").
 * Undefined when it cannot be read without guessing, e.g. "07/08/2026", which is July 8th in
 * the US and August 7th elsewhere.
 */
export function parseDisplayDate(text: string): string | undefined {
  const cleaned = cleanText(text);
  const iso = /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/.exec(cleaned);
  if (iso) return isoDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dotted = /(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)/.exec(cleaned);
  if (dotted) return isoDay(Number(dotted[3]), Number(dotted[2]), Number(dotted[1]));
  const slashed = /(?<!\d)(\d{1,2})\/(\d{1,2})\/(\d{4})(?!\d)/.exec(cleaned);
  if (slashed) {
    const [a, b, year] = [Number(slashed[1]), Number(slashed[2]), Number(slashed[3])];
    if (a > 12 && b <= 12) return isoDay(year, b, a);
    if (b > 12 && a <= 12) return isoDay(year, a, b);
    return a === b ? isoDay(year, a, b) : undefined;
  }
  // Words: one month name, one day number (1..31) and one 4-digit year, in any order.
  const year = /(?<!\d)(\d{4})(?!\d)/.exec(cleaned);
  if (!year) return undefined;
  const rest = cleaned.slice(0, year.index) + ' ' + cleaned.slice(year.index + 4);
  let month: number | undefined;
  for (const word of rest.split(/[\s,]+/)) {
    const candidate = monthFromWord(word.replace(/^(?:de|del)$/i, ''));
    if (candidate !== undefined) {
      if (month !== undefined && month !== candidate) return undefined;
      month = candidate;
    }
  }
  const days = [...rest.matchAll(/(?<!\d)(\d{1,2})(?!\d)/g)].map((m) => Number(m[1]));
  if (month === undefined || days.length !== 1) return undefined;
  return isoDay(Number(year[1]), month, days[0]!);
}

/**
 * The zone rule for times shown without a zone: they are read as UTC+08:00 (China time), the
 * zone Cainiao and the older AliExpress tracking page print in. Evidence: in the real Cainiao
 * captures every `timeStr` equals its epoch `time` at +08:00, even where `timeZone` names the
 * event's own zone (cainiao-detail-in-customs.json: "14:18:40" with timeZone "GMT+2" is
 * 1787465920000, 06:18:40Z). Where the data carries an epoch, the epoch wins and is written in UTC.
 */
export const ZONELESS_TIME_OFFSET = '+08:00';

/** Epoch milliseconds to ISO 8601 in UTC; 0, negatives and absurd values are "absent". */
export function isoFromEpochMs(value: unknown): string | undefined {
  const ms = typeof value === 'string' && /^\d{10,13}$/.test(value) ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) return undefined;
  // Ten digits are seconds; the AliExpress and Cainiao APIs send milliseconds.
  const millis = ms < 1e11 ? ms * 1000 : ms;
  const date = new Date(millis);
  const year = date.getUTCFullYear();
  return year >= 2000 && year <= 2100 ? date.toISOString() : undefined;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A date and time of day shown without a zone ("2026-02-06 15:25:17", "2026/02/06 15:25",
 * "15.07.2026 10:07") as ISO 8601 with `offset` (default: ZONELESS_TIME_OFFSET). Undefined
 * when the text has no full date or no time of day.
 */
export function parseZonelessDateTime(text: string, offset: string = ZONELESS_TIME_OFFSET): string | undefined {
  const cleaned = cleanText(text);
  const time = /(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)/.exec(cleaned);
  if (!time) return undefined;
  const withoutTime = cleaned.slice(0, time.index) + ' ' + cleaned.slice(time.index + time[0].length);
  const day = parseDisplayDate(withoutTime.replace(/(\d{4})\/(\d{1,2})\/(\d{1,2})/, '$1-$2-$3'));
  const [hours, minutes, seconds] = [Number(time[1]), Number(time[2]), Number(time[3] ?? '0')];
  if (!day || hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return `${day}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}${offset === 'Z' ? 'Z' : offset}`;
}
