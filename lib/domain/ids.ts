/**
 * Identifier rules without zod, for code that must stay small (content scripts run on every
 * AliExpress order page load; the schemas in snapshot.ts use the same pattern).
 */
export const ALI_ORDER_ID_PATTERN = /^\d{16}$/;

export function isAliOrderId(value: unknown): value is string {
  return typeof value === 'string' && ALI_ORDER_ID_PATTERN.test(value);
}
