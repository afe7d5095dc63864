import { useEffect, useState } from 'preact/hooks';

/**
 * The current time, refreshed every `everyMs`: ages ("3 min ago") every 30 s, a cooldown countdown
 * every second while one runs. `clock` is injectable so a test can freeze time.
 */
export function useNow(everyMs: number, clock: () => Date = () => new Date()): Date {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** navigator.onLine, kept current. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    addEventListener('online', update);
    addEventListener('offline', update);
    return () => {
      removeEventListener('online', update);
      removeEventListener('offline', update);
    };
  }, []);
  return online;
}
