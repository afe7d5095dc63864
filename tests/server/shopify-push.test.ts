/**
 * Pushing to the Shopify contract server directly: a retry after a lost answer adopts the
 * fulfillment it made instead of making a second one; a refused fulfillment is a permanent failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopifyClient, ShopifyError, ShopThrottle } from '../../server/shopify/client';
import { pushFulfillment, type FulfillmentToPush } from '../../server/shopify/push';
import { startShopifyContractServer, type ShopifyContractServer } from '../contract/shopify/server';

describe('pushing a fulfillment', () => {
  let shopify: ShopifyContractServer;
  beforeAll(async () => {
    shopify = await startShopifyContractServer();
  });
  afterAll(() => shopify.close());

  it('reads what is fulfilled before creating, so a retry never fulfils twice', async () => {
    const shop = shopify.shop({ domain: 'push-retry.myshopify.com', accessToken: 'shpat_push_retry', clientSecret: 'shpss_push_retry' });
    const order = shop.placeOrder({ lineItems: [{ title: 'Bowl', quantity: 2 }] });
    const client = shopifyClient({ shopDomain: shop.domain, accessToken: 'shpat_push_retry', adminOrigin: shopify.origin, throttle: new ShopThrottle() });
    const push: FulfillmentToPush = {
      orderId: `gid://shopify/Order/${order.id}`,
      trackingNumbers: ['LP00RETRY001'],
      carriers: new Map([['LP00RETRY001', 'China Post']]),
      lineItems: null,
      storeFulfillmentId: null,
      notifyCustomer: false,
      trackingUrl: (n) => `https://track.example/${n}`,
    };
    const first = await pushFulfillment(client, push);
    // The answer was lost: the job runs again, with no fulfillment id recorded.
    const again = await pushFulfillment(client, push);
    expect(again).toBe(first);
    expect(shop.fulfillments()).toHaveLength(1);
    expect(shop.fulfillments()[0]!.trackingInfo).toEqual([{ company: 'China Post', number: 'LP00RETRY001', url: 'https://track.example/LP00RETRY001' }]);
    expect(shop.calls.filter((c) => c.operation === 'FulfillmentCreate')).toHaveLength(1);

    // Items fulfilled by someone else leave nothing to fulfil: a permanent failure, not a retry.
    const other = await pushFulfillment(client, { ...push, trackingNumbers: ['LP00OTHER001'] }).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(ShopifyError);
    expect((other as ShopifyError).failure).toBe('permanent');
  });
});
