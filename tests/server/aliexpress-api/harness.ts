/**
 * A backend with the AliExpress Open Platform configured against the contract server, on a moved
 * clock shared by both. `connect` walks the OAuth flow the way a browser does: the authorise URL,
 * the platform's redirect, the backend's callback.
 */
import { createApp } from '../../../server/app';
import { createMerchant } from '../../../server/auth';
import type { AliExpressConfig } from '../../../server/aliexpress-api/config';
import { AliExpressService, type AliExpressServiceOptions } from '../../../server/aliexpress-api/service';
import type { Database } from '../../../server/db';
import { silentLogger } from '../../../server/log';
import { newSecretsKey, secretBox } from '../../../server/secrets';
import { OpenPlatformContract, type ContractOrder } from '../../contract/aliexpress-open-platform/server';
import { Clock, openTestDatabase, type DatabaseKind } from '../helpers';

export const APP_KEY = '34567890';
export const APP_SECRET = 'contract-app-secret';
export const HOUR = 3_600_000;

export interface ApiBackend {
  db: Database;
  clock: Clock;
  platform: OpenPlatformContract;
  config: AliExpressConfig;
  /** SECRETS_KEY of this backend, for a process started on the same database. */
  secretsKey: string;
  service: AliExpressService;
  app: ReturnType<typeof createApp>;
  merchant(): Promise<{ id: string; token: string }>;
  call<T = any>(token: string | null, path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T; headers: Headers }>;
  /** Connects the merchant's AliExpress account `account` (the platform's consent given as it). */
  connect(token: string, account: string, orders?: Record<string, ContractOrder>): Promise<string>;
  close(): Promise<void>;
}

let merchants = 0;

export function apiConfig(origin: string, secretsKey = newSecretsKey(), passIntervalMs = 6 * HOUR): AliExpressConfig {
  return { appKey: APP_KEY, appSecret: APP_SECRET, apiOrigin: origin, passIntervalMs, secrets: secretBox(Buffer.from(secretsKey, 'base64')) };
}

export async function openApiBackend(
  kind: DatabaseKind,
  testFile: string,
  { storeLeg, ...options }: { accessTokenSeconds?: number; storeLeg?: AliExpressServiceOptions['storeLeg'] } = {},
): Promise<ApiBackend> {
  const db = await openTestDatabase(kind, testFile);
  const clock = new Clock();
  const platform = new OpenPlatformContract({ appKey: APP_KEY, appSecret: APP_SECRET, now: clock.now, ...options });
  const origin = await platform.start();
  const secretsKey = newSecretsKey();
  const config = apiConfig(origin, secretsKey);
  const service = new AliExpressService({ db, log: silentLogger, config, ...(storeLeg && { storeLeg }) });
  const app = createApp({ db, log: silentLogger, now: clock.now, aliexpress: service });
  const call: ApiBackend['call'] = async (token, path, init = {}) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await app.request(`http://backend.test${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a redirect's empty body): kept as text.
    }
    return { status: res.status, body: parsed as never, headers: res.headers };
  };
  return {
    db,
    clock,
    platform,
    config,
    secretsKey,
    service,
    app,
    call,
    async merchant() {
      const { merchant, token } = await createMerchant(db, `api merchant ${++merchants}`);
      return { id: merchant.id, token };
    },
    async connect(token, account, orders = {}) {
      platform.addAccount({ account, orders });
      platform.consentAs = account;
      const { body } = await call(token, '/v1/aliexpress-account/authorize', { method: 'POST' });
      const consent = await fetch(body.url, { redirect: 'manual' });
      const back = new URL(consent.headers.get('location')!);
      const done = await call(null, `${back.pathname}${back.search}`);
      return done.headers.get('location')!;
    },
    async close() {
      await platform.stop();
      await db.close();
    },
  };
}

/** A shipped order as the order call answers it, with its parcel's events as the tracking call does. */
export function shippedOrder(mailNo: string, events: Array<[string, string]>): ContractOrder {
  return {
    order_status: 'WAIT_BUYER_ACCEPT_GOODS',
    logistics_status: 'SELLER_SEND_GOODS',
    gmt_create: '2026-06-20 10:00:00',
    order_paidtime_string: '2026-06-20 10:05:00',
    store_info: { store_name: 'Contract Store' },
    order_amount: { amount: '12.34', currency_code: 'USD' },
    tracking: [{ mail_no: mailNo, carrier_name: 'Cainiao', detail_node_list: events.map(([at, name]) => ({ tracking_name: name, tracking_detail_desc: name, time_stamp: Date.parse(at) })) }],
  };
}
