/**
 * The operator's AliExpress app, from the environment. Without ALIEXPRESS_APP_KEY and
 * ALIEXPRESS_APP_SECRET the feature is off (the routes say so); with them, SECRETS_KEY is required,
 * since the merchants' tokens are kept encrypted.
 */
import type { SecretBox } from '../secrets';
import { secretBoxFromEnv } from '../secrets';

export const DEFAULT_API_ORIGIN = 'https://api-sg.aliexpress.com';
export const DEFAULT_PASS_INTERVAL_HOURS = 6;

export interface AliExpressConfig {
  appKey: string;
  appSecret: string;
  /** Where the Open Platform answers: `ALIEXPRESS_API_ORIGIN`, else https://api-sg.aliexpress.com. */
  apiOrigin: string;
  /**
   * Where AliExpress sends the merchant back (`ALIEXPRESS_REDIRECT_URI`); it must be the callback
   * registered for the app. Unset: the callback under the origin the merchant's request came to.
   */
  redirectUri?: string;
  /** Between two scheduled passes of one merchant (`ALIEXPRESS_SYNC_INTERVAL_HOURS`, default 6). */
  passIntervalMs: number;
  secrets: SecretBox;
}

export function aliexpressConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AliExpressConfig | undefined {
  const appKey = env.ALIEXPRESS_APP_KEY?.trim();
  const appSecret = env.ALIEXPRESS_APP_SECRET?.trim();
  if (!appKey && !appSecret) return undefined;
  if (!appKey || !appSecret) throw new Error('set both ALIEXPRESS_APP_KEY and ALIEXPRESS_APP_SECRET, or neither');
  const secrets = secretBoxFromEnv(env);
  if (!secrets) throw new Error('ALIEXPRESS_APP_KEY is set: set SECRETS_KEY too (base64 of 32 random bytes), the merchants\' AliExpress tokens are kept encrypted with it');
  const apiOrigin = originOf('ALIEXPRESS_API_ORIGIN', env.ALIEXPRESS_API_ORIGIN ?? DEFAULT_API_ORIGIN);
  const redirectUri = env.ALIEXPRESS_REDIRECT_URI?.trim();
  if (redirectUri) originOf('ALIEXPRESS_REDIRECT_URI', redirectUri);
  const hours = env.ALIEXPRESS_SYNC_INTERVAL_HOURS === undefined ? DEFAULT_PASS_INTERVAL_HOURS : Number(env.ALIEXPRESS_SYNC_INTERVAL_HOURS);
  if (!Number.isFinite(hours) || hours < 0.25 || hours > 24 * 7) {
    throw new Error(`ALIEXPRESS_SYNC_INTERVAL_HOURS must be a number of hours from 0.25 to 168, not "${env.ALIEXPRESS_SYNC_INTERVAL_HOURS}"`);
  }
  return { appKey, appSecret, apiOrigin, ...(redirectUri && { redirectUri }), passIntervalMs: Math.round(hours * 3_600_000), secrets };
}

function originOf(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be a URL, not "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${name} must be an http(s) URL, not "${value}"`);
  return name === 'ALIEXPRESS_API_ORIGIN' ? url.origin : url.href;
}
