/**
 * AliExpress order status texts, per language, to the language-independent status. The new order
 * list carries only the localized `statusText`, so this dictionary is how the list is read.
 * An unknown text is never guessed: the caller keeps the raw text and reports it.
 */
import type { AliOrderStatus } from '../domain/snapshot';
import { cleanText } from './text';

type StatusTexts = Record<string, AliOrderStatus>;

/** English, as seen on the order list (PROVENANCE.md lists the texts seen on real pages). */
const en: StatusTexts = {
  'awaiting payment': 'awaiting_payment',
  'to pay': 'awaiting_payment',
  'awaiting shipment': 'awaiting_shipment',
  'to ship': 'awaiting_shipment',
  processing: 'awaiting_shipment',
  'partially shipped': 'partially_shipped',
  'awaiting delivery': 'shipped',
  shipped: 'shipped',
  completed: 'completed',
  closed: 'closed',
  cancelled: 'closed',
  canceled: 'closed',
  'payment expired': 'closed',
  'in dispute': 'dispute',
};

export const STATUS_TEXTS: Record<string, StatusTexts> = { en };

function normalise(text: string): string {
  return cleanText(text).toLowerCase();
}

const lookup = new Map<string, AliOrderStatus>();
for (const texts of Object.values(STATUS_TEXTS)) {
  for (const [text, status] of Object.entries(texts)) lookup.set(normalise(text), status);
}

/** The status a displayed text means, or undefined when no dictionary knows the text. */
export function statusFromText(text: string): AliOrderStatus | undefined {
  return lookup.get(normalise(text));
}
