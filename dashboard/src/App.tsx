/** The dashboard: signed out it asks to sign in; signed in, the order screen, an order, or the settings. */
import { useEffect, useState } from 'preact/hooks';
import { DASHBOARD_LOCALES, type DashboardLocale } from '../../lib/dashboard/catalogue';
import type { SessionResponse } from '../../lib/domain/dashboard';
import { api, setCsrfToken, whenSignedOut } from './api';
import { currentLocale, d, loadLocale } from './i18n';
import { useLiveVersion } from './live';
import { OrderPage } from './OrderPage';
import { OrdersPage } from './OrdersPage';
import { useRoute } from './route';
import { SettingsPage } from './SettingsPage';
import { SignIn } from './SignIn';
import { SyncWindow } from './SyncWindow';
import { applyTheme, savedTheme, type Theme } from './theme';

const LANGUAGE_NAMES: Record<DashboardLocale, string> = { en: 'English', pt_BR: 'Português (Brasil)', es: 'Español', fr: 'Français' };

function Preferences({ onLanguage }: { onLanguage: () => void }) {
  const [theme, setTheme] = useState<Theme>(savedTheme());
  return (
    <div class="preferences">
      <label>
        <span class="visually-hidden">{d('language')}</span>
        <select
          value={currentLocale()}
          onChange={(e) => void loadLocale(e.currentTarget.value as DashboardLocale, true).then(onLanguage)}
          aria-label={d('language')}
        >
          {DASHBOARD_LOCALES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span class="visually-hidden">{d('theme')}</span>
        <select
          value={theme}
          aria-label={d('theme')}
          onChange={(e) => {
            const next = e.currentTarget.value as Theme;
            setTheme(next);
            applyTheme(next, true);
          }}
        >
          <option value="system">{d('themeSystem')}</option>
          <option value="light">{d('themeLight')}</option>
          <option value="dark">{d('themeDark')}</option>
        </select>
      </label>
    </div>
  );
}

function SignedIn({ session, onSignOut, onLanguage }: { session: SessionResponse; onSignOut: () => void; onLanguage: () => void }) {
  const route = useRoute();
  const live = useLiveVersion();
  const [syncOpen, setSyncOpen] = useState(false);
  const signOut = async () => {
    await api('DELETE', '/v1/session').catch(() => undefined);
    onSignOut();
  };
  return (
    <>
      <header class="app-header">
        <a class="brand" href="#/orders">
          {d('appName')}
        </a>
        <nav aria-label={d('mainNav')}>
          <a href="#/orders" aria-current={route.page !== 'settings' ? 'page' : undefined}>
            {d('navOrders')}
          </a>
          <a href="#/settings" aria-current={route.page === 'settings' ? 'page' : undefined}>
            {d('navSettings')}
          </a>
        </nav>
        <button type="button" class="primary" onClick={() => setSyncOpen(true)} data-testid="open-sync">
          {d('syncWindowButton')}
        </button>
        <span class="muted small live" data-testid="live" data-connected={String(live.connected)}>
          {live.connected ? d('liveOn') : d('liveOff')}
        </span>
        <Preferences onLanguage={onLanguage} />
        <span class="merchant">{session.merchant.name}</span>
        <button type="button" onClick={() => void signOut()}>
          {d('signOut')}
        </button>
      </header>
      <main class="app-main">
        {route.page === 'orders' && <OrdersPage tab={route.tab} q={route.q} version={live.version} />}
        {route.page === 'order' && <OrderPage id={route.id} version={live.version} />}
        {route.page === 'settings' && <SettingsPage aliexpress={route.aliexpress} />}
      </main>
      {syncOpen && <SyncWindow onClose={() => setSyncOpen(false)} />}
    </>
  );
}

export function App() {
  const [session, setSession] = useState<SessionResponse | null>();
  const [, setLanguageVersion] = useState(0);
  useEffect(() => {
    whenSignedOut(() => setSession(null));
    void api<SessionResponse>('GET', '/v1/session').then(
      (s) => setSession(s),
      () => setSession(null),
    );
  }, []);
  useEffect(() => {
    if (session) setCsrfToken(session.csrfToken);
  }, [session]);
  if (session === undefined) return <p class="loading">{d('loading')}</p>;
  if (session === null)
    return (
      <SignIn
        onSignedIn={(s) => {
          setCsrfToken(s.csrfToken);
          setSession(s);
        }}
      />
    );
  return <SignedIn session={session} onSignOut={() => setSession(null)} onLanguage={() => setLanguageVersion((v) => v + 1)} />;
}
