import { setupAlarms } from '@/lib/background/alarms';
import { setupMessaging } from '@/lib/background/messaging';
import { createSyncService } from '@/lib/background/sync-service';

export default defineBackground(() => {
  const sync = createSyncService();
  setupMessaging(sync);
  setupAlarms(() => sync.syncNow());
});
