/**
 * The AliExpress Open Platform client: the OAuth page, token create and refresh (REST paths under
 * `/rest`), and the two business calls through `/sync` (TOP protocol), every request signed (see
 * signing.ts). Errors become an AliExpressApiError whose `kind` says what the merchant or the
 * operator has to do. Never logs a token or the secret.
 */
import { sign } from './signing';

export interface OpenPlatformApp {
  appKey: string;
  appSecret: string;
  apiOrigin: string;
}

/**
 * - `permission`: the app lacks the dropshipping API (`isv.insufficient-permission`);
 * - `token`: the merchant's authorisation is gone (expired, revoked, a used code): reconnect;
 * - `throttled`: AliExpress limits the calls; `retryAfterMs` says when to try again;
 * - `app`: the operator's app key or secret is wrong (the signature is refused);
 * - `order`: this one order was refused, with a code none of the above (nothing documents what
 *   the API answers for an order it does not serve, so any unrecognised refusal lands here); the
 *   Chrome sync can still read it;
 * - `unavailable`: no usable answer (network, HTTP error, not JSON).
 */
export type ApiProblemKind = 'permission' | 'token' | 'throttled' | 'app' | 'order' | 'unavailable';

export class AliExpressApiError extends Error {
  constructor(
    readonly kind: ApiProblemKind,
    /** The platform's own code (`IllegalAccessToken`, `isv.insufficient-permission` …), when it sent one. */
    readonly code: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'AliExpressApiError';
  }
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date;
  refreshExpiresAt: Date | null;
  /** The AliExpress account the merchant authorised (`account`, else `user_nick`), to show them. */
  account: string | null;
}

export const ORDER_GET = 'aliexpress.trade.ds.order.get';
export const TRACKING_GET = 'aliexpress.ds.order.tracking.get';

/** Answers above this are not read: an order's answer is a few kilobytes. */
const MAX_ANSWER_CHARS = 2_000_000;
const REQUEST_TIMEOUT_MS = 20_000;
/** When a throttled answer does not say how long the ban lasts. */
const DEFAULT_THROTTLE_MS = 60_000;

type Fetch = typeof fetch;

export class OpenPlatformClient {
  constructor(
    private readonly app: OpenPlatformApp,
    private readonly fetchFn: Fetch = fetch,
  ) {}

  /** The page where the merchant authorises the app; AliExpress sends them to `redirectUri` with `code` and `state`. */
  authorizeUrl(redirectUri: string, state: string): string {
    const url = new URL('/oauth/authorize', this.app.apiOrigin);
    url.search = new URLSearchParams({
      response_type: 'code',
      force_auth: 'true',
      redirect_uri: redirectUri,
      client_id: this.app.appKey,
      state,
    }).toString();
    return url.href;
  }

  createToken(code: string, now: Date): Promise<TokenSet> {
    return this.tokenCall('/auth/token/create', { code }, now);
  }

  refreshToken(refreshToken: string, now: Date): Promise<TokenSet> {
    return this.tokenCall('/auth/token/refresh', { refresh_token: refreshToken }, now);
  }

  /** `aliexpress.trade.ds.order.get`: the order's `result` object. */
  async getOrder(session: string, aliOrderId: string, now: Date): Promise<Record<string, unknown>> {
    const answer = await this.businessCall(ORDER_GET, { single_order_query: JSON.stringify({ order_id: aliOrderId }) }, session, now);
    const result = answer.result;
    if (!isRecord(result) || typeof result.order_status !== 'string') {
      throw new AliExpressApiError('order', undefined, `the API answered no order ${aliOrderId}`);
    }
    return result;
  }

  /**
   * `aliexpress.ds.order.tracking.get`: its `result` object; `{ ret: false, code: "1001" }` ("TRACKING
   * DATA NOT FOUND", nothing shipped yet) is an answer, not an error.
   */
  async getTracking(session: string, aliOrderId: string, language: string, now: Date): Promise<Record<string, unknown>> {
    const answer = await this.businessCall(TRACKING_GET, { ae_order_id: aliOrderId, language }, session, now);
    const result = answer.result;
    if (!isRecord(result)) throw new AliExpressApiError('order', undefined, `the API answered no tracking for order ${aliOrderId}`);
    return result;
  }

  private async tokenCall(apiPath: string, own: Record<string, string>, now: Date): Promise<TokenSet> {
    const parameters = { app_key: this.app.appKey, timestamp: String(now.getTime()), sign_method: 'sha256', ...own };
    const body = await this.post(`/rest${apiPath}`, { ...parameters, sign: sign(this.app.appSecret, parameters, apiPath) });
    return tokenSetOf(body, now);
  }

  private async businessCall(method: string, own: Record<string, string>, session: string, now: Date): Promise<Record<string, unknown>> {
    const parameters = {
      app_key: this.app.appKey,
      method,
      session,
      timestamp: String(now.getTime()),
      sign_method: 'sha256',
      format: 'json',
      simplify: 'false',
      ...own,
    };
    const body = await this.post('/sync', { ...parameters, sign: sign(this.app.appSecret, parameters) });
    const answer = body[`${method.replaceAll('.', '_')}_response`];
    if (!isRecord(answer)) throw new AliExpressApiError('unavailable', undefined, `AliExpress answered ${method} without its response`);
    return answer;
  }

  /** One form-encoded POST; the answer's JSON, or the error it carries thrown. */
  private async post(path: string, parameters: Record<string, string>): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await this.fetchFn(new URL(path, this.app.apiOrigin), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
        body: new URLSearchParams(parameters).toString(),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new AliExpressApiError('unavailable', undefined, `AliExpress could not be reached (${(error as Error).name})`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text.length > MAX_ANSWER_CHARS ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!isRecord(body)) throw new AliExpressApiError('unavailable', undefined, `AliExpress answered HTTP ${response.status} without JSON`);
    const problem = problemOf(body);
    if (problem) throw problem;
    if (!response.ok) throw new AliExpressApiError('unavailable', undefined, `AliExpress answered HTTP ${response.status}`);
    return body;
  }
}

/**
 * The error an answer carries: TOP calls (`/sync`) wrap it in `error_response` (`code`, `msg`,
 * `sub_code`, `sub_msg`); REST calls put `code` (other than "0"), `type` and `message` at the top.
 */
export function problemOf(body: Record<string, unknown>): AliExpressApiError | undefined {
  const wrapped = isRecord(body.error_response) ? body.error_response : undefined;
  const source = wrapped ?? body;
  const code = textField(source, 'code');
  if (!wrapped && (code === undefined || code === '0')) return undefined;
  const subCode = textField(source, 'sub_code');
  const message = textField(source, 'sub_msg') ?? textField(source, 'msg') ?? textField(source, 'message') ?? '';
  return classify(subCode ?? code, message, code);
}

function classify(code: string | undefined, platformMessage: string, outerCode: string | undefined): AliExpressApiError {
  const said = platformMessage ? ` (AliExpress: "${platformMessage.slice(0, 200)}")` : '';
  const codes = [code, outerCode].filter((c): c is string => c !== undefined);
  const has = (pattern: RegExp) => codes.some((c) => pattern.test(c));
  if (has(/insufficient-permission/i)) {
    return new AliExpressApiError('permission', code, `the AliExpress app has no permission for this call: the operator must add the Dropshipping API to the app on the AliExpress Open Platform${said}`);
  }
  if (has(/^(IllegalAccessToken|IllegalRefreshToken|InvalidCode|AccessTokenExpired|IllegalSession|InvalidSession)$/i)) {
    return new AliExpressApiError('token', code, `the AliExpress authorisation has expired or was revoked: connect the AliExpress account again${said}`);
  }
  if (has(/^(ApiCallLimit|AppCallLimit|isp\.call-limited|accesscontrol\.limited-by-api-access-count)$/i)) {
    const seconds = /(\d+)\s*more\s*seconds?/i.exec(platformMessage)?.[1];
    const retryAfterMs = seconds === undefined ? DEFAULT_THROTTLE_MS : Math.max(1, Number(seconds)) * 1000;
    return new AliExpressApiError('throttled', code, `AliExpress is limiting calls from this app${said}`, retryAfterMs);
  }
  if (has(/^(IncompleteSignature|InvalidSignature|InvalidApiKey|InvalidAppKey|AppKeyNotExist)$/i)) {
    return new AliExpressApiError('app', code, `AliExpress refused the app's key or signature: the operator must check ALIEXPRESS_APP_KEY and ALIEXPRESS_APP_SECRET${said}`);
  }
  // Unrecognised: reported as AliExpress said it, without guessing what it means.
  return new AliExpressApiError('order', code, `AliExpress refused the call${code ? ` with ${code}` : ''}${said}`);
}

function tokenSetOf(body: Record<string, unknown>, now: Date): TokenSet {
  const accessToken = textField(body, 'access_token');
  if (!accessToken) throw new AliExpressApiError('unavailable', undefined, 'AliExpress answered the token call without an access token');
  return {
    accessToken,
    refreshToken: textField(body, 'refresh_token') ?? null,
    expiresAt: expiry(body, 'expires_in', 'expire_time', now) ?? new Date(now.getTime() + 3_600_000),
    refreshExpiresAt: expiry(body, 'refresh_expires_in', 'refresh_token_valid_time', now) ?? null,
    account: textField(body, 'account') ?? textField(body, 'user_nick') ?? null,
  };
}

/** An expiry from seconds-to-live (`expires_in`), else from an epoch in milliseconds (`expire_time`). */
function expiry(body: Record<string, unknown>, secondsField: string, epochField: string, now: Date): Date | undefined {
  const seconds = Number(body[secondsField]);
  if (Number.isFinite(seconds) && seconds > 0) return new Date(now.getTime() + seconds * 1000);
  const epoch = Number(body[epochField]);
  if (Number.isFinite(epoch) && epoch > now.getTime()) return new Date(epoch);
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function textField(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
