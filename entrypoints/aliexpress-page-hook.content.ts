import { matchPatterns } from '@/lib/aliexpress/urls';
import { encodeObserved, installPageHook, OBSERVED_EVENT } from '@/lib/capture/page-hook';

// The page's world: no extension APIs here, only a DOM event to the isolated content script.
export default defineContentScript({
  matches: [...matchPatterns().pageHook],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    installPageHook(window as unknown as Parameters<typeof installPageHook>[0], (observed) => {
      document.dispatchEvent(new CustomEvent(OBSERVED_EVENT, { detail: encodeObserved(observed) }));
    });
  },
});
