/** Hash routes: `#/orders?tab=…&q=…`, `#/orders/ID`, `#/settings`. */
import { useEffect, useState } from 'preact/hooks';

export type Route = { page: 'orders'; tab: string; q: string } | { page: 'order'; id: string } | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const order = /^\/orders\/(\d{1,18})$/.exec(path);
  if (order) return { page: 'order', id: order[1]! };
  if (path === '/settings') return { page: 'settings' };
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
