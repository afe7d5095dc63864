/**
 * The webhooks a connected store must send, subscribed over the Admin API when the store is
 * connected: `webhookSubscriptionCreate` for each topic to `<PUBLIC_URL>/v1/webhooks/shopify`.
 * Idempotent: the app's subscriptions are read first and only the topics missing at that URL are
 * created, so connecting again (or asking again) never subscribes twice. The app's granted scopes
 * are read too, so a scope the merchant forgot is said on the store at once, not on the first
 * fulfillment weeks later.
 */
import type { Queryable } from '../db';
import { markStore } from '../stores/stores';
import { ShopifyError, type ShopifyClient } from './client';
import {
  ACCESS_SCOPES,
  WEBHOOK_SUBSCRIPTION_CREATE,
  WEBHOOK_SUBSCRIPTION_DELETE,
  WEBHOOK_SUBSCRIPTIONS,
  type AccessScopesAnswer,
  type UserError,
  type WebhookSubscriptionCreateAnswer,
  type WebhookSubscriptionDeleteAnswer,
  type WebhookSubscriptionsAnswer,
} from './operations';

/** What the backend listens to (server/shopify/webhooks.ts applies them). */
export const WEBHOOK_TOPICS = ['orders/create', 'orders/paid', 'orders/updated', 'orders/cancelled', 'orders/fulfilled', 'orders/partially_fulfilled', 'app/uninstalled'] as const;

/** What the custom app must be granted (README, "Connect a Shopify store"). */
export const REQUIRED_SCOPES = ['read_orders', 'read_merchant_managed_fulfillment_orders', 'write_merchant_managed_fulfillment_orders'] as const;

export const SHOPIFY_WEBHOOK_PATH = '/v1/webhooks/shopify';

/** `orders/partially_fulfilled` → the GraphQL enum value `ORDERS_PARTIALLY_FULFILLED`. */
const enumOf = (topic: string) => topic.toUpperCase().replace('/', '_');

export interface WebhookRegistration {
  callbackUrl: string | null;
  /** The topics subscribed at the callback URL. */
  topics: string[];
  missingScopes: string[];
  error: string | null;
}

const describe = (errors: UserError[]) => errors.map((e) => e.message).join('; ');

/** A scope granted, or implied by its write_ twin. */
const granted = (handles: ReadonlySet<string>, scope: string) => handles.has(scope) || handles.has(scope.replace(/^read_/, 'write_'));

const subscriptionsAt = async (client: ShopifyClient, callbackUrl: string) =>
  (await client.request<WebhookSubscriptionsAnswer>('WebhookSubscriptions', WEBHOOK_SUBSCRIPTIONS, { topics: WEBHOOK_TOPICS.map(enumOf) })).webhookSubscriptions.nodes.filter(
    (s) => s.uri === callbackUrl,
  );

export async function registerWebhooks(client: ShopifyClient, callbackUrl: string): Promise<WebhookRegistration> {
  const scopes = await client.request<AccessScopesAnswer>('AccessScopes', ACCESS_SCOPES);
  const handles = new Set(scopes.currentAppInstallation.accessScopes.map((s) => s.handle));
  const missingScopes = REQUIRED_SCOPES.filter((s) => !granted(handles, s));

  const subscribed = new Set((await subscriptionsAt(client, callbackUrl)).map((s) => s.topic));
  const topics: string[] = [];
  const refused: string[] = [];
  for (const topic of WEBHOOK_TOPICS) {
    if (subscribed.has(enumOf(topic))) {
      topics.push(topic);
      continue;
    }
    const answer = await client.request<WebhookSubscriptionCreateAnswer>('WebhookSubscriptionCreate', WEBHOOK_SUBSCRIPTION_CREATE, {
      topic: enumOf(topic),
      webhookSubscription: { uri: callbackUrl, format: 'JSON' },
    });
    const result = answer.webhookSubscriptionCreate;
    if (result?.webhookSubscription && result.userErrors.length === 0) topics.push(topic);
    else refused.push(`${topic}: ${describe(result?.userErrors ?? []) || 'refused'}`);
  }

  const problems = [
    ...(missingScopes.length ? [`the app lacks the access scopes ${missingScopes.join(', ')}: add them to the custom app's Admin API scopes in the Shopify admin and install it again`] : []),
    ...(refused.length ? [`Shopify refused the webhook subscriptions (${refused.join('; ')})`] : []),
  ];
  return { callbackUrl, topics, missingScopes, error: problems.length ? problems.join('. ').slice(0, 1000) : null };
}

/**
 * Subscribes a store's webhooks and writes the outcome on the store (`GET /v1/stores` shows it).
 * Never throws for Shopify's answers: a refused token marks the store revoked, the rest is its error.
 */
export async function registerStoreWebhooks(
  db: Queryable,
  store: { id: string; client: ShopifyClient | undefined },
  publicUrl: string | undefined,
): Promise<WebhookRegistration> {
  let registration: WebhookRegistration;
  if (!store.client) {
    registration = { callbackUrl: null, topics: [], missingScopes: [], error: 'the store is disconnected' };
  } else if (!publicUrl) {
    registration = {
      callbackUrl: null,
      topics: [],
      missingScopes: [],
      error: `this server has no PUBLIC_URL, so it cannot tell Shopify where to send webhooks: set PUBLIC_URL (https://your-backend) and ask again, or subscribe ${WEBHOOK_TOPICS.join(', ')} to https://<your backend>${SHOPIFY_WEBHOOK_PATH} in the app's settings`,
    };
  } else {
    const callbackUrl = publicUrl + SHOPIFY_WEBHOOK_PATH;
    try {
      registration = await registerWebhooks(store.client, callbackUrl);
    } catch (error) {
      if (!(error instanceof ShopifyError)) throw error;
      if (error.failure === 'revoked') await markStore(db, store.id, 'revoked', error.message);
      registration = { callbackUrl, topics: [], missingScopes: [], error: `the webhooks could not be subscribed: ${error.message}`.slice(0, 1000) };
    }
  }
  await db.query('update stores set webhook_callback_url = $2, webhook_topics = $3, webhook_error = $4, missing_scopes = $5 where id = $1', [
    store.id,
    registration.callbackUrl,
    registration.topics,
    registration.error,
    registration.missingScopes,
  ]);
  return registration;
}

/**
 * Disconnecting: the subscriptions made at the store's callback URL are deleted while its token is
 * still known, so Shopify stops sending what this backend would refuse. Best effort: a store that
 * no longer answers (uninstalled, token refused) took its subscriptions with it or keeps them
 * until Shopify gives up on the refused deliveries; the disconnect goes on either way.
 */
export async function unsubscribeStoreWebhooks(client: ShopifyClient | undefined, callbackUrl: string | null): Promise<number> {
  if (!client || !callbackUrl) return 0;
  let deleted = 0;
  try {
    for (const s of await subscriptionsAt(client, callbackUrl)) {
      const answer = await client.request<WebhookSubscriptionDeleteAnswer>('WebhookSubscriptionDelete', WEBHOOK_SUBSCRIPTION_DELETE, { id: s.id });
      if (answer.webhookSubscriptionDelete?.deletedWebhookSubscriptionId) deleted++;
    }
  } catch (error) {
    if (!(error instanceof ShopifyError)) throw error;
  }
  return deleted;
}
