import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';

/** A Dexie query whose result re-renders the component whenever the data behind it changes. */
export function useLiveQuery<T>(query: () => Promise<T>, deps: unknown[] = []): T | undefined {
  const [value, setValue] = useState<T>();
  useEffect(() => {
    const subscription = liveQuery(query).subscribe({ next: setValue, error: (error) => console.error(error) });
    return () => subscription.unsubscribe();
  }, deps);
  return value;
}
