/** Where the merchant reads an AliExpress order or its tracking on AliExpress itself (addresses: lib/aliexpress/urls.ts). */
export { orderDetailUrl as aliOrderDetailUrl, trackingUrl as aliTrackingUrl } from '../aliexpress/urls';
