/** Live updates: the backend's event stream says when the merchant's orders changed; views refetch. */
import { useEffect, useState } from 'preact/hooks';

/** A number that goes up whenever the orders changed on the backend (a sync, an action in another tab). */
export function useLiveVersion(): { version: number; connected: boolean } {
  const [version, setVersion] = useState(0);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/v1/events');
    source.addEventListener('open', () => setConnected(true));
    source.addEventListener('error', () => setConnected(false));
    source.addEventListener('changed', () => setVersion((v) => v + 1));
    return () => source.close();
  }, []);
  return { version, connected };
}
