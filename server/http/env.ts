/** What every route of the API is built with: the request's variables and the app's dependencies. */
import type { Merchant } from '../auth';
import type { Session } from '../dashboard/sessions';
import type { Database } from '../db';
import type { StoreLeg } from '../jobs/runner';
import type { SecretBox } from '../secrets';

/** `session` is set when the dashboard's cookie signed the request in, `token` when a Bearer token did. */
export type Env = { Variables: { merchant: Merchant; token: string; session: Session } };

export interface Deps {
  db: Database;
  /** The clock; tests move it. */
  now: () => Date;
  /** Seals and opens secrets at rest (SECRETS_KEY); without it stores cannot be connected. */
  box?: SecretBox;
  /** The store leg's background work: told of store orders that changed. */
  storeLeg?: StoreLeg;
  /** PUBLIC_URL: where Shopify's webhook subscriptions point. */
  publicUrl?: string;
  /** ALLOW_PRIVATE_WEBHOOK_URLS: outgoing webhook endpoints may be private addresses or plain http. */
  allowPrivateWebhookUrls?: boolean;
}
