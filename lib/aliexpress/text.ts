/** Reading the human-formatted bits of AliExpress pages: prices, dates, spacing. */
import type { Money } from '../domain/snapshot';

/** Collapses runs of white space (AliExpress texts carry trailing spaces, e.g. "Concluído "). */
export function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0]+/g, ' ').trim();
}

/**
 * Reads a displayed price such as "R$132,74", "US $1,234.56", "1.234,56 €" or "€ 12".
 * The last separator followed by one or two digits is the decimal one.
 */
export function parseAmount(text: string): number | undefined {
  const digits = text.replace(/[^\d.,]/g, '');
  if (!/\d/.test(digits)) return undefined;
  const decimal = /[.,](\d{1,2})$/.exec(digits);
  const whole = (decimal ? digits.slice(0, decimal.index) : digits).replace(/[.,]/g, '');
  const amount = Number(decimal ? `${whole}.${decimal[1]}` : whole);
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

const ENGLISH_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A calendar day as AliExpress shows it in the order list ("Jul 15, 2026", "2026-07-15",
 * "15/07/2026") to ISO 8601 ("2026-07-15"). Undefined when it cannot be read without guessing.
 */
export function parseDisplayDate(text: string): string | undefined {
  const cleaned = cleanText(text);
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  const iso = /(\d{4})-(\d{1,2})-(\d{1,2})/.exec(cleaned);
  const english = /([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})/.exec(cleaned);
  const dayFirst = /(\d{1,2})[./](\d{1,2})[./](\d{4})/.exec(cleaned);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (english) {
    const index = ENGLISH_MONTHS.indexOf((english[1] ?? '').toLowerCase());
    if (index >= 0) [year, month, day] = [Number(english[3]), index + 1, Number(english[2])];
  } else if (dayFirst) {
    [year, month, day] = [Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1])];
  }
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}
