import { runPageCapture } from '@/lib/capture/content-script';
import { blockedPage } from '@/lib/capture/pages/blocked';

// Where AliExpress sends a merchant who must log in or pass the slider check.
export default defineContentScript({
  matches: ['https://login.aliexpress.com/*', 'https://*.aliexpress.com/_____tmd_____/*'],
  runAt: 'document_start',
  main: (ctx) => runPageCapture(ctx, blockedPage),
});
