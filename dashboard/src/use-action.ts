/** A change made from the dashboard (a save, a delete, a Re-track), and what it came to, said in a live region. */
import { useState } from 'preact/hooks';
import { errorText } from './api';

/** Runs a change and says how it went, in a live region. */
export function useAction(): [string | undefined, boolean, (run: () => Promise<unknown>, done: string) => Promise<void>] {
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await run();
      setMessage(done);
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return [message, busy, act];
}

export type Act = ReturnType<typeof useAction>[2];
