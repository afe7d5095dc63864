/**
 * An AliExpress Open Platform contract server: a local HTTP server that speaks the documented
 * protocol (reference/aliexpress-open-platform.md, the official IopClient SDK), so the backend's
 * client is tested against the contract, not against itself. It proves our side of the contract,
 * not that the live platform agrees.
 *
 * - `GET /oauth/authorize` (response_type=code, client_id, redirect_uri, state): the merchant's
 *   consent is given by the test (`consentAs`), and the browser is sent back with `code` and `state`.
 * - `POST /rest/auth/token/create` (code) and `/rest/auth/token/refresh` (refresh_token): signed with
 *   the path in front; answers `access_token`, `refresh_token`, `expires_in`, `refresh_expires_in`,
 *   `expire_time`, `account`, `user_nick`, `code: "0"`; errors at the top level (`type`, `code`,
 *   `message`, `request_id`), as REST calls answer them.
 * - `POST /sync` (TOP protocol: app_key, method, session, timestamp, sign_method=sha256, sign):
 *   `aliexpress.trade.ds.order.get` (single_order_query {"order_id"}) and
 *   `aliexpress.ds.order.tracking.get` (ae_order_id, language); answers `<method>_response` with
 *   `result`; errors wrapped in `error_response` (`type`, `code`, `msg`, `request_id`). An order
 *   the account does not hold: tracking answers the documented 1001 "TRACKING DATA NOT FOUND";
 *   order.get, for which nothing is documented, answers UNDOCUMENTED_REFUSAL (its own code).
 * A wrong signature is refused with IncompleteSignature ("The request signature does not conform
 * to platform standards"), as the platform refuses it.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { hasValidSignature } from '../../../server/aliexpress-api/signing';

export interface ContractOrder {
  order_status: string;
  logistics_status?: string;
  gmt_create?: string;
  order_paidtime_string?: string;
  store_info?: { store_name: string; store_id?: number };
  order_amount?: { amount: string; currency_code: string };
  /** Absent: the tracking call answers TRACKING DATA NOT FOUND (nothing shipped yet). */
  tracking?: Array<{
    mail_no: string;
    carrier_name?: string;
    detail_node_list: Array<{ tracking_name?: string; tracking_detail_desc?: string; time_stamp: number }>;
  }>;
}

export interface ContractAccount {
  /** The AliExpress account's name (`account`, `user_nick`). */
  account: string;
  /** The orders placed through `aliexpress.ds.order.create`: the only ones the DS calls serve. */
  orders: Record<string, ContractOrder>;
}

export interface ContractOptions {
  appKey: string;
  appSecret: string;
  /** The platform's clock (token expiry); tests move it. */
  now?: () => Date;
  /** Seconds an access token lives (`expires_in`). */
  accessTokenSeconds?: number;
  refreshTokenSeconds?: number;
}

interface Grant {
  account: string;
  expiresAt: number;
}

export interface RecordedCall {
  path: string;
  method?: string;
  orderId?: string;
  refused?: string;
}

const SIGNATURE_MESSAGE = 'The request signature does not conform to platform standards';
/** Not a platform code: this server's refusal of an order it does not hold (see sync()). */
export const UNDOCUMENTED_REFUSAL = 'contract-server.undocumented-refusal';

export class OpenPlatformContract {
  readonly accounts = new Map<string, ContractAccount>();
  readonly calls: RecordedCall[] = [];
  /** Who approves the next authorisation page. */
  consentAs: string | undefined;
  /** The app lacks the dropshipping API: every DS call answers isv.insufficient-permission. */
  withoutDropshippingPermission = false;
  /** Until this instant every call of the app is throttled (ApiCallLimit, "ban will last for N more seconds"). */
  throttledUntil = 0;
  /** The platform is down: every business call answers HTTP 503 without JSON (no platform error at all). */
  outage = false;
  private readonly codes = new Map<string, string>();
  private readonly accessTokens = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, Grant>();
  private server: ServerType | undefined;
  origin = '';

  constructor(private readonly options: ContractOptions) {}

  private now(): number {
    return (this.options.now?.() ?? new Date()).getTime();
  }

  addAccount(account: ContractAccount): void {
    this.accounts.set(account.account, account);
  }

  /** The merchant revoked the app on AliExpress: every token of the account stops working. */
  revoke(account: string): void {
    for (const tokens of [this.accessTokens, this.refreshTokens]) {
      for (const [token, grant] of tokens) if (grant.account === account) tokens.delete(token);
    }
  }

  /** The access tokens handed out, as the platform holds them (tests check none leaks). */
  issuedAccessTokens(): string[] {
    return [...this.accessTokens.keys()];
  }

  app(): Hono {
    const app = new Hono();
    app.get('/oauth/authorize', (c) => {
      const q = c.req.query();
      if (q.client_id !== this.options.appKey) return c.text('unknown client_id', 400);
      if (q.response_type !== 'code' || !q.redirect_uri) return c.text('response_type=code and redirect_uri are required', 400);
      const back = new URL(q.redirect_uri);
      if (!this.consentAs) {
        back.searchParams.set('error', 'access_denied');
      } else {
        const code = `code_${randomBytes(12).toString('hex')}`;
        this.codes.set(code, this.consentAs);
        back.searchParams.set('code', code);
      }
      if (q.state !== undefined) back.searchParams.set('state', q.state);
      this.calls.push({ path: '/oauth/authorize' });
      return c.redirect(back.href, 302);
    });
    app.post('/rest/auth/token/create', async (c) => this.token(c, '/auth/token/create'));
    app.post('/rest/auth/token/refresh', async (c) => this.token(c, '/auth/token/refresh'));
    app.post('/sync', async (c) => this.sync(c));
    return app;
  }

  private async parameters(c: Context): Promise<Record<string, string>> {
    const form = await c.req.parseBody();
    const parameters: Record<string, string> = { ...c.req.query() };
    for (const [name, value] of Object.entries(form)) if (typeof value === 'string') parameters[name] = value;
    return parameters;
  }

  private restError(c: Context, code: string, message: string, path: string) {
    this.calls.push({ path, refused: code });
    return c.json({ type: 'ISV', code, message, request_id: randomBytes(6).toString('hex') });
  }

  private async token(c: Context, apiPath: string) {
    const p = await this.parameters(c);
    const path = `/rest${apiPath}`;
    if (p.app_key !== this.options.appKey) return this.restError(c, 'InvalidAppKey', 'The specified App Key is invalid', path);
    if (p.sign_method !== 'sha256' || !hasValidSignature(this.options.appSecret, p, apiPath)) return this.restError(c, 'IncompleteSignature', SIGNATURE_MESSAGE, path);
    let account: string | undefined;
    if (apiPath === '/auth/token/create') {
      account = p.code === undefined ? undefined : this.codes.get(p.code);
      if (!account) return this.restError(c, 'InvalidCode', 'The authorization code is invalid or has been used', path);
      this.codes.delete(p.code!);
    } else {
      const grant = p.refresh_token === undefined ? undefined : this.refreshTokens.get(p.refresh_token);
      if (!grant || grant.expiresAt <= this.now()) return this.restError(c, 'IllegalRefreshToken', 'The specified refresh token is invalid or expired', path);
      // A refresh hands out a new pair; the old refresh token is spent.
      this.refreshTokens.delete(p.refresh_token!);
      account = grant.account;
    }
    this.calls.push({ path });
    const accessSeconds = this.options.accessTokenSeconds ?? 86_400;
    const refreshSeconds = this.options.refreshTokenSeconds ?? 30 * 86_400;
    const access = `50000${randomBytes(16).toString('hex')}`;
    const refresh = `50001${randomBytes(16).toString('hex')}`;
    this.accessTokens.set(access, { account, expiresAt: this.now() + accessSeconds * 1000 });
    this.refreshTokens.set(refresh, { account, expiresAt: this.now() + refreshSeconds * 1000 });
    return c.json({
      access_token: access,
      refresh_token: refresh,
      expires_in: accessSeconds,
      refresh_expires_in: refreshSeconds,
      expire_time: this.now() + accessSeconds * 1000,
      refresh_token_valid_time: this.now() + refreshSeconds * 1000,
      account,
      user_nick: account,
      account_platform: 'buyerApp',
      sp: 'ae',
      locale: 'en_US',
      code: '0',
      request_id: randomBytes(6).toString('hex'),
    });
  }

  private syncError(c: Context, call: RecordedCall, type: string, code: string, msg: string) {
    this.calls.push({ ...call, refused: code });
    return c.json({ error_response: { type, code, msg, request_id: randomBytes(6).toString('hex') } });
  }

  private async sync(c: Context) {
    if (this.outage) return c.text('Service Unavailable', 503);
    const p = await this.parameters(c);
    const method = p.method;
    const call: RecordedCall = { path: '/sync', ...(method && { method }) };
    if (p.app_key !== this.options.appKey) return this.syncError(c, call, 'ISV', 'InvalidAppKey', 'The specified App Key is invalid');
    if (p.sign_method !== 'sha256' || !hasValidSignature(this.options.appSecret, p)) return this.syncError(c, call, 'ISV', 'IncompleteSignature', SIGNATURE_MESSAGE);
    const ban = this.throttledUntil - this.now();
    if (ban > 0) return this.syncError(c, call, 'ISP', 'ApiCallLimit', `This ban will last for ${Math.ceil(ban / 1000)} more seconds`);
    const grant = p.session === undefined ? undefined : this.accessTokens.get(p.session);
    if (!grant || grant.expiresAt <= this.now()) return this.syncError(c, call, 'ISV', 'IllegalAccessToken', 'The specified access token is invalid or expired');
    if (method !== 'aliexpress.trade.ds.order.get' && method !== 'aliexpress.ds.order.tracking.get') {
      return this.syncError(c, call, 'ISV', 'InvalidApiPath', 'The specified API path is invalid');
    }
    if (this.withoutDropshippingPermission) return this.syncError(c, call, 'ISV', 'isv.insufficient-permission', 'Insufficient isv permissions');
    const orders = this.accounts.get(grant.account)?.orders ?? {};
    const key = `${method.replaceAll('.', '_')}_response`;
    const requestId = randomBytes(6).toString('hex');
    if (method === 'aliexpress.trade.ds.order.get') {
      let orderId: string | undefined;
      try {
        const query = JSON.parse(p.single_order_query ?? '') as { order_id?: unknown };
        orderId = query.order_id === undefined ? undefined : String(query.order_id);
      } catch {
        orderId = undefined;
      }
      if (!orderId) return this.syncError(c, call, 'ISV', 'MissingParameter', 'The input parameter "single_order_query" that is mandatory for processing this request is not supplied');
      call.orderId = orderId;
      const order = orders[orderId];
      // The documentation serves orders placed through aliexpress.ds.order.create; what the live
      // platform answers for another is not published (reference/aliexpress-open-platform.md
      // documents no error of this call but isv.insufficient-permission). This server stands in
      // with an error in the TOP shape whose code says it is its own, so nothing can mistake it
      // for a documented one: the backend must read it as any refusal it does not recognise.
      if (!order) return this.syncError(c, call, 'ISV', UNDOCUMENTED_REFUSAL, 'the contract server refuses an order it does not hold; what the platform answers here is not documented');
      this.calls.push(call);
      const { tracking: _tracking, ...result } = order;
      return c.json({ [key]: { result, request_id: requestId } });
    }
    const orderId = p.ae_order_id;
    call.orderId = orderId;
    const order = orderId === undefined ? undefined : orders[orderId];
    this.calls.push(call);
    if (!order?.tracking) return c.json({ [key]: { result: { ret: false, code: '1001', msg: 'TRACKING DATA NOT FOUND' }, request_id: requestId } });
    const lines = order.tracking.map((line) => ({ ...line, package_item_list: [] }));
    return c.json({ [key]: { result: { ret: true, data: { tracking_detail_line_list: lines } }, request_id: requestId } });
  }

  async start(): Promise<string> {
    const app = this.app();
    await new Promise<void>((resolve) => {
      this.server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
    });
    this.origin = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
