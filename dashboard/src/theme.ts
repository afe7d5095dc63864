/** Light, dark, or as the system says (the default): set on <html> so the stylesheet can follow. */
export type Theme = 'system' | 'light' | 'dark';
const THEME_KEY = 'aos.theme';

export function savedTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

export function applyTheme(theme: Theme, remember = false): void {
  if (remember) localStorage.setItem(THEME_KEY, theme);
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
