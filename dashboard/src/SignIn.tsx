/** Signing in, and the first-run setup that creates the first merchant (with the setup code the backend printed). */
import { useEffect, useState } from 'preact/hooks';
import type { SessionResponse } from '../../lib/domain/dashboard';
import { api, ApiError, errorText } from './api';
import { d } from './i18n';

function Field({ label, name, type = 'text', autoComplete, value, onInput }: {
  label: string;
  name: string;
  type?: string;
  autoComplete?: string;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <label class="field">
      <span>{label}</span>
      <input name={name} type={type} autoComplete={autoComplete} required value={value} onInput={(e) => onInput(e.currentTarget.value)} />
    </label>
  );
}

export function SignIn({ onSignedIn }: { onSignedIn: (session: SessionResponse) => void }) {
  const [needsSetup, setNeedsSetup] = useState(false);
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [setupCode, setSetupCode] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api<{ needsSetup: boolean }>('GET', '/v1/setup').then((s) => setNeedsSetup(s.needsSetup), () => setNeedsSetup(false));
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (needsSetup) await api('POST', '/v1/setup', { setupCode, name, login, password });
      onSignedIn(await api<SessionResponse>('POST', '/v1/session', { login, password }));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 401 ? d('signInWrong') : e instanceof ApiError && e.status === 429 ? d('signInLocked') : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in">
      <h1>{d('appName')}</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{needsSetup ? d('setupTitle') : d('signInTitle')}</h2>
        {needsSetup && <p class="muted">{d('setupHint')}</p>}
        {needsSetup && <Field label={d('setupCode')} name="setupCode" value={setupCode} onInput={setSetupCode} autoComplete="off" />}
        {needsSetup && <Field label={d('merchantName')} name="name" value={name} onInput={setName} autoComplete="organization" />}
        <Field label={d('login')} name="login" value={login} onInput={setLogin} autoComplete="username" />
        <Field
          label={d('password')}
          name="password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete={needsSetup ? 'new-password' : 'current-password'}
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {needsSetup ? d('setupButton') : d('signInButton')}
        </button>
      </form>
    </main>
  );
}
