/**
 * The dashboard's strings: the extension's catalogue (chrome.i18n's messages.json format) for the
 * words the popup already says (states, reasons), plus the dashboard's own. A web page has no
 * chrome.i18n, so the dashboard installs this lookup under the same name and lib/ui's `t()` and
 * reason texts work unchanged.
 */
export const DASHBOARD_LOCALES = ['en', 'pt_BR', 'es', 'fr'] as const;
export type DashboardLocale = (typeof DASHBOARD_LOCALES)[number];

/** The first of the browser's languages we have, by full tag then by language: pt-BR, pt-PT and pt all pick pt_BR. */
export function pickLocale(preferred: readonly string[]): DashboardLocale {
  for (const tag of preferred) {
    const normalized = tag.replace('-', '_');
    const exact = DASHBOARD_LOCALES.find((l) => l.toLowerCase() === normalized.toLowerCase());
    if (exact) return exact;
    const language = normalized.split('_')[0]!.toLowerCase();
    const byLanguage = DASHBOARD_LOCALES.find((l) => l.split('_')[0]!.toLowerCase() === language);
    if (byLanguage) return byLanguage;
  }
  return 'en';
}

/** chrome.i18n's substitution: `$1`…`$9` take `subs`, `$$` is a dollar sign. */
export function substitute(message: string, subs: readonly string[]): string {
  return message.replace(/\$(\$|[1-9])/g, (_, which: string) => (which === '$' ? '$' : (subs[Number(which) - 1] ?? '')));
}

export type ChromeCatalogue = Record<string, { message: string }>;

/** One lookup over the dashboard's catalogue, then the extension's, then English, as chrome.i18n falls back to the default locale. */
export function makeLookup(...catalogues: readonly ChromeCatalogue[]): (key: string, subs?: readonly string[]) => string {
  return (key, subs = []) => {
    for (const catalogue of catalogues) {
      const entry = catalogue[key];
      if (entry) return substitute(entry.message, subs);
    }
    return '';
  };
}
