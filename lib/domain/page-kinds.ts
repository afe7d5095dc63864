/**
 * Which page kinds carry orders. The others (a login page, a bot check, a page the readers did not
 * recognise) explain why a page has none, and never touch what is known of an order. Zod-free, for
 * the content scripts; snapshot.ts declares the kinds' schema.
 */
export const ORDER_PAGE_KINDS = ['order_list', 'order_detail', 'tracking'] as const;
export type OrderPageKind = (typeof ORDER_PAGE_KINDS)[number];

export function carriesOrders(kind: string): kind is OrderPageKind {
  return (ORDER_PAGE_KINDS as readonly string[]).includes(kind);
}
