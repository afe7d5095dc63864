import { runPageCapture } from '@/lib/capture/content-script';
import { orderDetailPage } from '@/lib/capture/pages/order-detail';

export default defineContentScript({
  matches: ['https://*.aliexpress.com/p/order/detail.html*'],
  runAt: 'document_start',
  main: (ctx) => runPageCapture(ctx, orderDetailPage),
});
