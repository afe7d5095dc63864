/** Dates and labels the pages share. */
import type { MessageKey } from '../../lib/presentation/i18n';
import { t, uiLocale } from '../../lib/presentation/i18n';

const dateTime = new Map<string, Intl.DateTimeFormat>();
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const locale = uiLocale();
  let format = dateTime.get(locale);
  if (!format) dateTime.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })));
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : format.format(at);
}

/** The extension's words for a state, an AliExpress status, a tracking status. */
export const stateLabel = (state: string) => t(`state_${state}` as MessageKey);
export const aliStatusLabel = (status: string) => t(`ali_${status}` as MessageKey);
export const trackingLabel = (status: string) => t(`tracking_${status}` as MessageKey);
