/**
 * The pieces every settings section is built of: loading a section's data (or saying its API is
 * missing here), the section frame, and a delete-and-reload button.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, errorText } from './api';
import { d } from './i18n';
import type { Act } from './use-action';

export type Loaded<T> = { kind: 'loading' } | { kind: 'missing'; route: string } | { kind: 'error'; message: string } | { kind: 'ok'; data: T };

export function useLoad<T>(route: string, path: string, version: number): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  useEffect(() => {
    void api<T>('GET', path).then(
      (data) => setState({ kind: 'ok', data }),
      (e) => setState(e instanceof ApiError && e.missing ? { kind: 'missing', route } : { kind: 'error', message: errorText(e) }),
    );
  }, [path, version]);
  return state;
}

export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="settings-section" aria-labelledby={`${id}-title`} data-testid={`settings-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

export function Loading<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (state.kind === 'loading') return <p class="muted">{d('loading')}</p>;
  if (state.kind === 'missing') return <p class="muted" data-testid="api-missing">{d('apiMissing', state.route)}</p>;
  if (state.kind === 'error') return <p class="error" role="alert">{state.message}</p>;
  return <>{children(state.data)}</>;
}

/** A button that deletes `path` on the backend, then reloads its section; `done` is said once it has. */
export function DeleteButton({ path, busy, act, reload, done, children }: { path: string; busy: boolean; act: Act; reload: () => void; done: string; children: ComponentChildren }) {
  return (
    <button type="button" disabled={busy} onClick={() => void act(async () => { await api('DELETE', path); reload(); }, done)}>
      {children}
    </button>
  );
}

export const Status = ({ message, id }: { message?: string; id: string }) => (
  <p role="status" class="small" data-testid={`${id}-status`}>
    {message ?? ''}
  </p>
);
