// Content script of an order's detail page (registered in wxt.config.ts).
import { runPageCapture } from '@/lib/capture/content-script';
import { orderDetailPage } from '@/lib/capture/pages/order-detail';

export default defineUnlistedScript(() => runPageCapture(orderDetailPage));
