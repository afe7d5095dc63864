/**
 * Identifier rules without zod, for code that must stay small (content scripts run on every
 * AliExpress order page load; the schemas in snapshot.ts use the same pattern).
 */
/**
 * AliExpress order ids: 16 digits for current orders, 15 for older ones (a real 2019 order in a
 * real order-list capture is `100426841571559`); nothing else is an order id.
 */
export const ALI_ORDER_ID_PATTERN = /^\d{15,16}$/;
/** The same id inside a text: 15 or 16 digits not touching another digit. */
export const ALI_ORDER_ID_DIGITS = '(?<!\\d)\\d{15,16}(?!\\d)';

export function isAliOrderId(value: unknown): value is string {
  return typeof value === 'string' && ALI_ORDER_ID_PATTERN.test(value);
}
