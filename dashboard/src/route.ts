/** Hash routes: `#/orders?tab=…&q=…`, `#/orders/ID`, `#/settings` (`?aliexpress=connected|error&message=…` after AliExpress). */
import { useEffect, useState } from 'preact/hooks';

/** `aliexpress` (and `message`): how connecting the AliExpress account ended, as the backend's callback says. */
export type Route = { page: 'orders'; tab: string; q: string } | { page: 'order'; id: string } | { page: 'settings'; aliexpress?: AliExpressOutcome };

export type AliExpressOutcome = { kind: 'connected' } | { kind: 'error'; message: string };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const order = /^\/orders\/(\d{1,18})$/.exec(path);
  if (order) return { page: 'order', id: order[1]! };
  if (path === '/settings') {
    const outcome = params.get('aliexpress');
    if (outcome === 'connected') return { page: 'settings', aliexpress: { kind: 'connected' } };
    if (outcome === 'error') return { page: 'settings', aliexpress: { kind: 'error', message: (params.get('message') ?? '').slice(0, 300) } };
    return { page: 'settings' };
  }
  return { page: 'orders', tab: params.get('tab') ?? 'all', q: params.get('q') ?? '' };
}

export function ordersHref(tab: string, q = ''): string {
  const params = new URLSearchParams({ tab });
  if (q) params.set('q', q);
  return `#/orders?${params}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
