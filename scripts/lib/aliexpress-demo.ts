/**
 * The demo's AliExpress Open Platform: the contract server (tests/contract/aliexpress-open-platform)
 * standing in for api-sg.aliexpress.com, with a demo account whose one order the sandbox's pages do
 * not show, so the demo can connect the merchant and sync it without Chrome. It is a contract server,
 * not AliExpress: the README says how to configure a real app.
 */
import { AliExpressService } from '../../server/aliexpress-api/service';
import type { Database } from '../../server/db';
import type { Logger } from '../../server/log';
import { newSecretsKey, secretBox } from '../../server/secrets';
import { OpenPlatformContract } from '../../tests/contract/aliexpress-open-platform/server';

const APP_KEY = 'demo-app-key';
const APP_SECRET = 'demo-app-secret';
export const DEMO_ALIEXPRESS_ACCOUNT = 'demo-buyer@example.com';
/** #1013 in the demo seed: paid 8 days ago, no tracking number yet; the API knows it has shipped. */
const DEMO_API_ORDER = '8100000000001013';

export interface AliExpressDemo {
  service: AliExpressService;
  origin: string;
  /** Connects the merchant by walking the OAuth redirects, as their browser would. */
  connect(merchantId: string, backendUrl: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startAliExpressDemo(db: Database, log: Logger): Promise<AliExpressDemo> {
  const platform = new OpenPlatformContract({ appKey: APP_KEY, appSecret: APP_SECRET });
  const day = 86_400_000;
  platform.addAccount({
    account: DEMO_ALIEXPRESS_ACCOUNT,
    orders: {
      [DEMO_API_ORDER]: {
        order_status: 'WAIT_BUYER_ACCEPT_GOODS',
        logistics_status: 'SELLER_SEND_GOODS',
        store_info: { store_name: 'Demo Supplier 1' },
        tracking: [
          {
            mail_no: 'LP00DEMO1013API',
            carrier_name: 'Cainiao',
            detail_node_list: [
              { tracking_name: 'Accepted by carrier', tracking_detail_desc: 'Accepted by carrier', time_stamp: Date.now() - 2 * day },
              { tracking_name: 'In transit', tracking_detail_desc: 'In transit', time_stamp: Date.now() - day },
            ],
          },
        ],
      },
    },
  });
  // The platform's authorise page approves as the demo account (a real one asks the merchant to sign in).
  platform.consentAs = DEMO_ALIEXPRESS_ACCOUNT;
  const origin = await platform.start();
  const service = new AliExpressService({
    db,
    log,
    config: { appKey: APP_KEY, appSecret: APP_SECRET, apiOrigin: origin, passIntervalMs: 6 * 3_600_000, secrets: secretBox(Buffer.from(newSecretsKey(), 'base64')) },
  });
  return {
    service,
    origin,
    async connect(merchantId, backendUrl) {
      const authorize = await service.authorizeUrl(merchantId, backendUrl, new Date());
      const callback = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!;
      return (await fetch(callback, { redirect: 'manual' })).headers.get('location') ?? '';
    },
    stop: () => platform.stop(),
  };
}
