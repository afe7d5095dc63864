import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Message } from '@/lib/domain/messages';
import { settingsItem, settingsSchema } from '@/lib/settings';
import { backendHostPattern } from '@/lib/settings-defaults';

type Notice = { tone: 'ok' | 'error'; text: string } | undefined;

export function Options() {
  const [backendUrl, setBackendUrl] = useState('');
  const [apiToken, setApiToken] = useState('');
  const [notice, setNotice] = useState<Notice>();

  useEffect(() => {
    void settingsItem.getValue().then((s) => {
      setBackendUrl(s.backendUrl);
      setApiToken(s.apiToken);
    });
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    const parsed = settingsSchema.safeParse({ backendUrl: backendUrl.trim(), apiToken: apiToken.trim() });
    if (!parsed.success) {
      setNotice({ tone: 'error', text: 'The backend URL must start with http:// or https://.' });
      return;
    }
    if (parsed.data.backendUrl) {
      // Asked for straight from the click: Chrome only shows the prompt during a user gesture.
      const granted = await browser.permissions.request({ origins: [backendHostPattern(parsed.data.backendUrl)] });
      if (!granted) {
        setNotice({ tone: 'error', text: 'Without access to the backend address the extension cannot sync. Settings not saved.' });
        return;
      }
    }
    await settingsItem.setValue(parsed.data);
    setNotice({ tone: 'ok', text: 'Saved. Syncing now…' });
    await browser.runtime.sendMessage({ type: 'sync-now' } satisfies Message);
    setNotice({ tone: 'ok', text: 'Saved.' });
  };

  return (
    <main class="options">
      <h1>Ali Order Sync settings</h1>
      <form onSubmit={save}>
        <label>
          Backend URL
          <input name="backendUrl" type="url" placeholder="https://orders.example.com" value={backendUrl} onInput={(e) => setBackendUrl(e.currentTarget.value)} />
        </label>
        <label>
          API token
          <input name="apiToken" type="password" autoComplete="off" value={apiToken} onInput={(e) => setApiToken(e.currentTarget.value)} />
        </label>
        <button type="submit">Save</button>
      </form>
      {notice && (
        <p class={`notice ${notice.tone}`} role="status">
          {notice.text}
        </p>
      )}
    </main>
  );
}
