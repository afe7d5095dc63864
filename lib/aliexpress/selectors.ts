/**
 * Every CSS selector and label pattern the DOM readers rely on, in one place, each checked against
 * the saved pages in tests/fixtures/pages. When AliExpress changes a layout, this is the file to
 * mend.
 */
export const ORDER_LIST = {
  /** One card per order. */
  card: '.order-item',
  orderLinks: 'a[href*="orderId="], a[href*="tradeOrderId="]',
  /** Lines that carry "Label: value" pairs in the card header. */
  infoLines: '.order-item-header-right-info > div',
  orderIdLabel: /^(?:Order ID|Ref\. Number)\s*:?\s*/i,
  orderDateLabel: /^Order date\s*:?\s*/i,
  status: '.order-item-header-status-text',
  storeName: '.order-item-store-name',
  /** The "View orders" button under the list, which loads the next page. */
  viewMore: '.order-more button',
} as const;
