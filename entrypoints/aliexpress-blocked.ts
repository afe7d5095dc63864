// Content script of the login page and the slider check (registered in wxt.config.ts).
import { runPageCapture } from '@/lib/capture/content-script';
import { blockedPage } from '@/lib/capture/pages/blocked';

export default defineUnlistedScript(() => runPageCapture(blockedPage));
