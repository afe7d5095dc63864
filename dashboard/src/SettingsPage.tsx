/**
 * Settings: Tracking (shipping confirmation e-mail), Fulfillment (split orders), Other (sync the
 * payment status of Pending orders for a date range), the store connection, the extension's API
 * tokens, outgoing webhooks and the AliExpress account. A section whose API this backend lacks
 * says so instead of showing anything made up.
 */
import { useState } from 'preact/hooks';
import type { ApiToken, IssuedToken } from '../../lib/domain/dashboard';
import type { StoreView } from '../../lib/domain/stores';
import { api } from './api';
import { formatDateTime } from './format';
import { d } from './i18n';
import type { AliExpressOutcome } from './route';
import { DeleteButton, Loading, Section, Status, useLoad } from './settings-parts';
import { useAction } from './use-action';

interface MerchantSettings {
  shippingConfirmationEmail: boolean;
  splitFulfillment: 'wait_for_all' | 'each_supplier';
}

function TrackingAndFulfillment() {
  const state = useLoad<MerchantSettings>('GET/PUT /v1/settings', '/v1/settings', 0);
  const [message, busy, act] = useAction();
  // The merchant's choice shows at once, then the settings as the backend answers them saved; a
  // refused change falls back to what was loaded. Never the old value in between.
  const [choice, setChoice] = useState<Partial<MerchantSettings>>({});
  const save = (change: Partial<MerchantSettings>) => (current: MerchantSettings) => {
    const shown = { ...current, ...choice, ...change };
    setChoice(shown);
    void act(async () => {
      try {
        setChoice(await api<MerchantSettings>('PUT', '/v1/settings', shown));
      } catch (error) {
        setChoice({});
        throw error;
      }
    }, d('saved'));
  };
  return (
    <>
      <Section id="tracking" title={d('settingsTracking')}>
        <Loading state={state}>
          {(saved) => (
            <label class="check">
              <input type="checkbox" checked={{ ...saved, ...choice }.shippingConfirmationEmail} disabled={busy} onChange={(e) => save({ shippingConfirmationEmail: e.currentTarget.checked })(saved)} />
              {d('shippingEmailLabel')}
            </label>
          )}
        </Loading>
        <p class="muted small">{d('shippingEmailHint')}</p>
      </Section>
      <Section id="fulfillment" title={d('settingsFulfillment')}>
        <Loading state={state}>
          {(saved) => {
            const s = { ...saved, ...choice };
            return (
            <fieldset>
              <legend>{d('splitLegend')}</legend>
              <label class="check">
                <input type="radio" name="split" checked={s.splitFulfillment === 'wait_for_all'} disabled={busy} onChange={() => save({ splitFulfillment: 'wait_for_all' })(saved)} />
                {d('splitWaitForAll')}
              </label>
              <label class="check">
                <input type="radio" name="split" checked={s.splitFulfillment === 'each_supplier'} disabled={busy} onChange={() => save({ splitFulfillment: 'each_supplier' })(saved)} />
                {d('splitEachSupplier')}
              </label>
            </fieldset>
            );
          }}
        </Loading>
        <Status message={message} id="settings" />
      </Section>
    </>
  );
}

/** A connected store as GET /v1/stores answers it (type only: the dashboard bundle carries no zod). */
type Store = StoreView;

function StoresAndOther() {
  const [version, setVersion] = useState(0);
  const state = useLoad<Store[]>('GET/POST/DELETE /v1/stores', '/v1/stores', version);
  const [message, busy, act] = useAction();
  const [shopDomain, setShopDomain] = useState('');
  const [accessToken, setAccessToken] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [storeId, setStoreId] = useState('');
  const [syncMessage, syncBusy, syncAct] = useAction();
  return (
    <>
      <Section id="store" title={d('settingsStore')}>
        <Loading state={state}>
          {(stores) => (
            <>
              {stores.length === 0 && <p class="muted">{d('storeNone')}</p>}
              <ul>
                {stores.map((s) => (
                  <li key={s.id}>
                    {s.shopDomain} · {s.status} · {formatDateTime(s.connectedAt)}
                    {s.lastError && <span class="error"> · {s.lastError}</span>}
                    <div class="muted small">{s.webhooks.topics.length > 0 ? d('storeWebhooks', s.webhooks.topics.join(', ')) : d('storeWebhooksNone')}</div>
                    {s.webhooks.error && <div class="error">{s.webhooks.error}</div>}
                    {s.missingScopes.length > 0 && <div class="error">{d('storeMissingScopes', s.missingScopes.join(', '))}</div>}{' '}
                    <DeleteButton path={`/v1/stores/${s.id}`} busy={busy} act={act} reload={() => setVersion((v) => v + 1)} done={d('storeRemoved')}>
                      {d('storeRemove', s.shopDomain)}
                    </DeleteButton>
                  </li>
                ))}
              </ul>
              <form
                class="stack"
                onSubmit={(e) => {
                  e.preventDefault();
                  void act(async () => {
                    await api('POST', '/v1/stores', { platform: 'shopify', shopDomain: shopDomain.trim(), accessToken, clientSecret });
                    setAccessToken('');
                    setClientSecret('');
                    setVersion((v) => v + 1);
                  }, d('storeConnected'));
                }}
              >
                <label class="field"><span>{d('shopDomain')}</span><input value={shopDomain} required maxLength={255} placeholder="example.myshopify.com" onInput={(e) => setShopDomain(e.currentTarget.value)} /></label>
                <label class="field"><span>{d('accessToken')}</span><input type="password" value={accessToken} required maxLength={255} autoComplete="off" onInput={(e) => setAccessToken(e.currentTarget.value)} /></label>
                <label class="field"><span>{d('clientSecret')}</span><input type="password" value={clientSecret} required maxLength={255} autoComplete="off" onInput={(e) => setClientSecret(e.currentTarget.value)} /></label>
                <button type="submit" disabled={busy}>{d('storeConnect')}</button>
              </form>
              <Status message={message} id="store" />
            </>
          )}
        </Loading>
      </Section>
      <Section id="other" title={d('settingsOther')}>
        <p class="muted">{d('syncPaymentHint')}</p>
        <Loading state={state}>
          {(stores) =>
            stores.length === 0 ? (
              <p class="muted">{d('syncPaymentNeedsStore')}</p>
            ) : (
              <form
                class="stack"
                onSubmit={(e) => {
                  e.preventDefault();
                  const id = storeId || stores[0]!.id;
                  void syncAct(() => api('POST', `/v1/stores/${id}/sync-payment-status`, { from, to }), d('syncPaymentDone'));
                }}
              >
                <label class="field">
                  <span>{d('syncPaymentStore')}</span>
                  <select value={storeId || stores[0]!.id} onChange={(e) => setStoreId(e.currentTarget.value)}>
                    {stores.map((s) => <option key={s.id} value={s.id}>{s.shopDomain}</option>)}
                  </select>
                </label>
                <label class="field"><span>{d('dateFrom')}</span><input type="date" value={from} required onInput={(e) => setFrom(e.currentTarget.value)} /></label>
                <label class="field"><span>{d('dateTo')}</span><input type="date" value={to} required onInput={(e) => setTo(e.currentTarget.value)} /></label>
                <button type="submit" disabled={syncBusy}>{d('syncPaymentButton')}</button>
                <Status message={syncMessage} id="other" />
              </form>
            )
          }
        </Loading>
      </Section>
    </>
  );
}

function Tokens() {
  const [version, setVersion] = useState(0);
  const state = useLoad<{ tokens: ApiToken[] }>('GET/POST/DELETE /v1/tokens', '/v1/tokens', version);
  const [message, busy, act] = useAction();
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<IssuedToken>();
  return (
    <Section id="tokens" title={d('settingsTokens')}>
      <p class="muted small">{d('tokensHint')}</p>
      <Loading state={state}>
        {({ tokens }) => (
          <>
            <ul data-testid="token-list">
              {tokens.map((t) => (
                <li key={t.id} data-revoked={t.revokedAt ? 'true' : 'false'}>
                  {t.name} · {d('tokenCreated', formatDateTime(t.createdAt))}
                  {t.revokedAt ? (
                    <span class="muted"> · {d('tokenRevokedAt', formatDateTime(t.revokedAt))}</span>
                  ) : (
                    <>
                      {' '}
                      <DeleteButton path={`/v1/tokens/${t.id}`} busy={busy} act={act} reload={() => setVersion((v) => v + 1)} done={d('tokenRevoked')}>
                        {d('tokenRevoke', t.name)}
                      </DeleteButton>
                    </>
                  )}
                </li>
              ))}
            </ul>
            <form
              class="row"
              onSubmit={(e) => {
                e.preventDefault();
                void act(async () => {
                  setIssued(await api<IssuedToken>('POST', '/v1/tokens', { name: name.trim() }));
                  setName('');
                  setVersion((v) => v + 1);
                }, d('tokenIssued'));
              }}
            >
              <label class="field inline"><span>{d('tokenName')}</span><input value={name} required maxLength={100} onInput={(e) => setName(e.currentTarget.value)} /></label>
              <button type="submit" disabled={busy}>{d('tokenIssue')}</button>
            </form>
            {issued && (
              <p class="token-once">
                {d('tokenOnce')} <code data-testid="issued-token">{issued.token}</code>
              </p>
            )}
            <Status message={message} id="tokens" />
          </>
        )}
      </Loading>
    </Section>
  );
}

interface WebhookEndpoint {
  id: string;
  url: string;
  createdAt?: string;
  secret?: string;
}

function Webhooks() {
  const [version, setVersion] = useState(0);
  const state = useLoad<WebhookEndpoint[] | { endpoints: WebhookEndpoint[] }>('GET/POST/DELETE /v1/webhook-endpoints', '/v1/webhook-endpoints', version);
  const [message, busy, act] = useAction();
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string>();
  return (
    <Section id="webhooks" title={d('settingsWebhooks')}>
      <p class="muted small">{d('webhooksHint')}</p>
      <Loading state={state}>
        {(data) => {
          const endpoints = Array.isArray(data) ? data : data.endpoints;
          return (
            <>
              <ul>
                {endpoints.map((w) => (
                  <li key={w.id}>
                    <span class="mono">{w.url}</span>{' '}
                    <DeleteButton path={`/v1/webhook-endpoints/${w.id}`} busy={busy} act={act} reload={() => setVersion((v) => v + 1)} done={d('webhookRemoved')}>
                      {d('webhookRemove', w.url)}
                    </DeleteButton>
                  </li>
                ))}
              </ul>
              <form
                class="row"
                onSubmit={(e) => {
                  e.preventDefault();
                  void act(async () => {
                    const made = await api<WebhookEndpoint>('POST', '/v1/webhook-endpoints', { url: url.trim() });
                    setSecret(made.secret);
                    setUrl('');
                    setVersion((v) => v + 1);
                  }, d('webhookAdded'));
                }}
              >
                <label class="field inline"><span>{d('webhookUrl')}</span><input type="url" value={url} required maxLength={2000} placeholder="https://" onInput={(e) => setUrl(e.currentTarget.value)} /></label>
                <button type="submit" disabled={busy}>{d('webhookAdd')}</button>
              </form>
              {secret && <p class="token-once">{d('webhookSecretOnce')} <code data-testid="webhook-secret">{secret}</code></p>}
              <Status message={message} id="webhooks" />
            </>
          );
        }}
      </Loading>
    </Section>
  );
}

interface AliExpressAccount {
  connected: boolean;
  account?: string;
  expiresAt?: string;
  lastSync?: string;
  lastError?: string;
}

function AliExpressAccountSection({ outcome }: { outcome?: AliExpressOutcome }) {
  const [version, setVersion] = useState(0);
  const state = useLoad<AliExpressAccount>('GET/POST/DELETE /v1/aliexpress-account', '/v1/aliexpress-account', version);
  const [actionMessage, busy, act] = useAction();
  // Back from AliExpress: the callback's outcome is said until the merchant does something here.
  const message = actionMessage ?? (outcome?.kind === 'connected' ? d('aliexpressConnectedNow') : outcome?.kind === 'error' ? d('aliexpressConnectFailed', outcome.message) : undefined);
  return (
    <Section id="aliexpress" title={d('settingsAliExpress')}>
      <p class="muted small">{d('aliexpressHint')}</p>
      <Loading state={state}>
        {(a) =>
          a.connected ? (
            <>
              <p>{d('aliexpressConnected', a.account ?? '—')}</p>
              {a.expiresAt && <p class="muted small">{d('aliexpressExpires', formatDateTime(a.expiresAt))}</p>}
              {a.lastSync && <p class="muted small">{d('aliexpressLastSync', formatDateTime(a.lastSync))}</p>}
              {a.lastError && <p class="error">{a.lastError}</p>}
              <DeleteButton path="/v1/aliexpress-account" busy={busy} act={act} reload={() => setVersion((v) => v + 1)} done={d('aliexpressDisconnected')}>
                {d('aliexpressDisconnect')}
              </DeleteButton>
            </>
          ) : (
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void act(async () => {
                  const { url } = await api<{ url: string }>('POST', '/v1/aliexpress-account/authorize');
                  location.assign(url);
                }, d('aliexpressRedirecting'))
              }
            >
              {d('aliexpressConnect')}
            </button>
          )
        }
      </Loading>
      <Status message={message} id="aliexpress" />
    </Section>
  );
}

export function SettingsPage({ aliexpress }: { aliexpress?: AliExpressOutcome }) {
  return (
    <section aria-labelledby="settings-title" class="settings">
      <h1 id="settings-title">{d('navSettings')}</h1>
      <TrackingAndFulfillment />
      <StoresAndOther />
      <Tokens />
      <Webhooks />
      <AliExpressAccountSection outcome={aliexpress} />
    </section>
  );
}
