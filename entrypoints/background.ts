import { setupAlarms } from '@/lib/background/alarms';
import { setupBadge } from '@/lib/background/badge';
import { setupNotifications } from '@/lib/background/notifications';
import { setupMessaging } from '@/lib/background/messaging';
import { createSyncService } from '@/lib/background/sync-service';
import { setupSyncTabs } from '@/lib/background/sync-tab';
import { openCache } from '@/lib/cache/db';

export default defineBackground(() => {
  const sync = createSyncService();
  setupMessaging(sync);
  setupSyncTabs();
  setupAlarms(() => sync.autoSync());
  void sync.recover();
  setupBadge(openCache());
  setupNotifications(openCache());
});
