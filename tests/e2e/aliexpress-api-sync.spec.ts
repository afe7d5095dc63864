/**
 * "Sync through the AliExpress API" from the popup: a backend process configured with an
 * AliExpress app (against the Open Platform contract server), the merchant's account connected by
 * following the OAuth redirects, one click at the bottom of the sync panel: the quota spent, the
 * order updated without a page load, and the popup showing it.
 */
import { newSecretsKey } from '../../server/secrets';
import { OpenPlatformContract } from '../contract/aliexpress-open-platform/server';
import { configureFastSync, expect, launchBackend, test } from './fixtures';

const ALI_ORDER = '8100000000077001';

test('Sync through the AliExpress API: one click in the popup, the quota spent, the order fulfilled without a page load', async ({ extension }) => {
  test.setTimeout(120_000);
  const platform = new OpenPlatformContract({ appKey: 'e2e-app', appSecret: 'e2e-secret' });
  const origin = await platform.start();
  const backend = await launchBackend({ ALIEXPRESS_APP_KEY: 'e2e-app', ALIEXPRESS_APP_SECRET: 'e2e-secret', ALIEXPRESS_API_ORIGIN: origin, SECRETS_KEY: newSecretsKey() });
  try {
    const { id } = await backend.api<{ id: string }>('/v1/store-orders', { body: { storeOrderNumber: '#7001', paid: true } });
    await backend.api(`/v1/store-orders/${id}/place`, { body: { aliOrders: [{ aliOrderId: ALI_ORDER, supplier: 'API Supplier' }] } });
    platform.addAccount({
      account: 'e2e-buyer@example.com',
      orders: {
        [ALI_ORDER]: {
          order_status: 'WAIT_BUYER_ACCEPT_GOODS',
          logistics_status: 'SELLER_SEND_GOODS',
          tracking: [{ mail_no: 'LP00E2E7001', carrier_name: 'Cainiao', detail_node_list: [{ tracking_name: 'In transit', time_stamp: Date.now() - 3_600_000 }] }],
        },
      },
    });
    platform.consentAs = 'e2e-buyer@example.com';
    const { url } = await backend.api<{ url: string }>('/v1/aliexpress-account/authorize', { method: 'POST' });
    const callback = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
    expect((await fetch(callback, { redirect: 'manual' })).headers.get('location')).toBe('/#/settings?aliexpress=connected');

    await configureFastSync(extension, backend);
    const popup = await extension.openPage('popup.html');
    await popup.getByRole('button', { name: 'Sync through the AliExpress API' }).click();
    await expect(popup.getByTestId('api-sync-summary')).toHaveText('Through the AliExpress API: 1 of 1 watched orders read, 1 changed');
    await expect(popup.getByTestId('quota')).toContainText('9 of 10 left today');
    await expect(popup.locator('[data-store-order="#7001"]')).toContainText('LP00E2E7001');
    expect(extension.sandbox.requests.filter((u) => u.includes('aliexpress.com'))).toEqual([]);
    const order = await backend.api<{ state: string }>(`/v1/store-orders/${id}`);
    expect(order.state).toBe('fulfilled');
  } finally {
    await backend.dispose();
    await platform.stop();
  }
});
