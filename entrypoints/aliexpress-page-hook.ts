// The page's own world (MAIN), first of the document_start scripts (declared in wxt.config.ts).
import { runPageHook } from '@/lib/capture/page-hook';

export default defineUnlistedScript(() => runPageHook());
