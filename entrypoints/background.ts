import { setupAlarms } from '@/lib/background/alarms';
import { setupBadge } from '@/lib/background/badge';
import { setupCacheSignal } from '@/lib/background/cache-signal';
import { setupMessaging } from '@/lib/background/messaging';
import { setupNotifications } from '@/lib/background/notifications';
import { createSyncService } from '@/lib/background/sync-service';
import { setupSyncTabs } from '@/lib/background/sync-tab';
import { openCache } from '@/lib/cache/db';
import { keepStorageFromContentScripts } from '@/lib/settings';

export default defineBackground(() => {
  void keepStorageFromContentScripts();
  const cache = openCache();
  setupCacheSignal(cache);
  const sync = createSyncService({ cache });
  setupMessaging(sync);
  setupSyncTabs();
  setupAlarms(() => sync.autoSync());
  setupBadge(cache);
  setupNotifications(cache);
  void sync.recover();
});
