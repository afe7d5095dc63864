import { setupAlarms } from '@/lib/background/alarms';
import { setupBadge } from '@/lib/background/badge';
import { setupCacheSignal } from '@/lib/background/cache-signal';
import { setupMessaging } from '@/lib/background/messaging';
import { setupNotifications } from '@/lib/background/notifications';
import { setupSync } from '@/lib/background/sync-service';
import { openCache } from '@/lib/cache/db';
import { keepStorageFromContentScripts } from '@/lib/settings';

// Every listener is registered synchronously here, before any await (MV3: the worker may have been
// woken by the very event it listens for).
export default defineBackground(() => {
  void keepStorageFromContentScripts();
  const cache = openCache();
  setupCacheSignal(cache);
  const sync = setupSync(cache);
  setupMessaging(sync);
  setupAlarms(() => sync.autoSync(), () => sync.syncNow('merchant'));
  setupBadge(cache);
  setupNotifications(cache);
});
