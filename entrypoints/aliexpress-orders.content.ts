import { browser } from 'wxt/browser';
import { readOrderListDom } from '@/lib/aliexpress/order-list';
import type { Message } from '@/lib/domain/messages';
import { snapshotSchema } from '@/lib/domain/snapshot';

export default defineContentScript({
  matches: ['https://www.aliexpress.com/p/order/index.html*'],
  runAt: 'document_idle',
  async main() {
    const reading = readOrderListDom(document);
    const snapshot = snapshotSchema.parse({ ...reading, url: location.href, capturedAt: new Date().toISOString() });
    const message: Message = { type: 'snapshot', snapshot };
    await browser.runtime.sendMessage(message);
  },
});
