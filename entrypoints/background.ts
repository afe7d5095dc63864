import { setupAlarms } from '@/lib/background/alarms';
import { setupMessaging } from '@/lib/background/messaging';
import { createSyncService } from '@/lib/background/sync-service';
import { setupSyncTabs } from '@/lib/background/sync-tab';

export default defineBackground(() => {
  const sync = createSyncService();
  setupMessaging(sync);
  setupSyncTabs();
  setupAlarms(() => sync.autoSync());
  void sync.recover();
});
