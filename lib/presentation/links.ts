/** Where the merchant reads an AliExpress order or its tracking on AliExpress itself. */
const id = (aliOrderId: string) => encodeURIComponent(aliOrderId);

export const aliOrderDetailUrl = (aliOrderId: string) => `https://www.aliexpress.com/p/order/detail.html?orderId=${id(aliOrderId)}`;
export const aliTrackingUrl = (aliOrderId: string) => `https://www.aliexpress.com/p/tracking/index.html?tradeOrderId=${id(aliOrderId)}`;
