import { runPageCapture } from '@/lib/capture/content-script';
import { trackingPage } from '@/lib/capture/pages/tracking';

export default defineContentScript({
  matches: ['https://*.aliexpress.com/p/tracking/*', 'https://track.aliexpress.com/*'],
  runAt: 'document_start',
  main: (ctx) => runPageCapture(ctx, trackingPage),
});
