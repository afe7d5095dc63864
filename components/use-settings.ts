import { useEffect, useState } from 'preact/hooks';
import { settingsItem, type Settings } from '@/lib/settings';

/** The merchant's settings, kept current when the options page changes them. */
export function useSettings(): Settings | undefined {
  const [settings, setSettings] = useState<Settings>();
  useEffect(() => {
    void settingsItem.getValue().then(setSettings);
    return settingsItem.watch((value) => setSettings(value));
  }, []);
  return settings;
}
