// Content script of the tracking pages (registered in wxt.config.ts).
import { runPageCapture } from '@/lib/capture/content-script';
import { trackingPage } from '@/lib/capture/pages/tracking';

export default defineUnlistedScript(() => runPageCapture(trackingPage));
