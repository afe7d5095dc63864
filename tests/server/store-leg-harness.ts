/**
 * A backend with the store leg, served on a real port (the Shopify contract server delivers its
 * webhooks there), on the test database, with a fresh SECRETS_KEY and its own URL as PUBLIC_URL,
 * so connecting a store subscribes its webhooks there; the runner is driven by hand
 * (`leg.runOnce()`) so each test says when the background work happens.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../../server/app';
import { createMerchant } from '../../server/auth';
import type { Database } from '../../server/db';
import { createStoreLeg, type StoreLeg } from '../../server/jobs/runner';
import { silentLogger } from '../../server/log';
import { newSecretsKey, parseSecretsKey, secretBox } from '../../server/secrets';
import { startShopifyContractServer, type ContractShop, type ShopifyContractServer } from '../contract/shopify/server';
import { newAliOrderId, openTestDatabase, type DatabaseKind } from './helpers';

export interface StoreLegBackend {
  db: Database;
  url: string;
  leg: StoreLeg;
  shopify: ShopifyContractServer;
  call<T = any>(token: string | null, path: string, init?: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> }): Promise<{ status: number; body: T }>;
  /** A merchant with a Shopify store connected to a contract shop, whose webhooks come here by the subscriptions made on connect. */
  merchantWithShop(options?: { plan?: { restoreRate: number; maximumAvailable: number }; scopes?: string[] }): Promise<{ token: string; merchantId: string; storeId: string; shop: ContractShop; connected: any }>;
  /** Runs the background work until a round does nothing. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

let shops = 0;

/** `allowPrivateWebhookUrls`: ALLOW_PRIVATE_WEBHOOK_URLS, for tests whose webhook receivers listen on 127.0.0.1. */
export async function openStoreLegBackend(kind: DatabaseKind, testFile: string, { allowPrivateWebhookUrls = false } = {}): Promise<StoreLegBackend> {
  const db = await openTestDatabase(kind, testFile);
  const box = secretBox(parseSecretsKey(newSecretsKey()));
  const shopify = await startShopifyContractServer();
  const leg = createStoreLeg({ db, log: silentLogger, box, adminOrigin: shopify.origin, sweepMs: 0, allowPrivateWebhookUrls });
  // The port first: the app is made knowing its own URL.
  let app: ReturnType<typeof createApp> | undefined;
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: (request) => app!.fetch(request), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = createApp({ db, log: silentLogger, box, storeLeg: leg, publicUrl: url, allowPrivateWebhookUrls });
  const call: StoreLegBackend['call'] = async (token, path, init = {}) => {
    const headers: Record<string, string> = { ...init.headers };
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(url + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    db,
    url,
    leg,
    shopify,
    call,
    async merchantWithShop({ plan, scopes } = {}) {
      const { merchant, token } = await createMerchant(db, `store merchant ${++shops}`);
      const domain = `shop-${newAliOrderId().slice(-6)}-${shops}.myshopify.com`;
      const accessToken = `shpat_${newAliOrderId()}`;
      const clientSecret = `shpss_${newAliOrderId()}`;
      const shop = shopify.shop({ domain, accessToken, clientSecret, plan, scopes });
      const connected = await call(token, '/v1/stores', { body: { platform: 'shopify', shopDomain: domain, accessToken, clientSecret } });
      if (connected.status !== 201) throw new Error(`connect failed: ${JSON.stringify(connected.body)}`);
      return { token, merchantId: merchant.id, storeId: connected.body.id, shop, connected: connected.body };
    },
    async drain() {
      for (let i = 0; i < 50; i++) {
        for (const shop of shopify.shops.values()) await shop.settled();
        const round = await leg.runOnce();
        if (round.sent + round.retried + round.failed + round.deliveries === 0 && !round.reconciled) return;
      }
    },
    async close() {
      await shopify.close();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    },
  };
}
