// Content script of the order list (registered in wxt.config.ts, see lib/capture/order-list-tab.ts).
import { runOrderListTab } from '@/lib/capture/order-list-tab';

export default defineUnlistedScript(runOrderListTab);
