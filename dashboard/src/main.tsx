import { render } from 'preact';
import '../../assets/ui.css';
import './dashboard.css';
import { App } from './App';
import { chosenLocale, loadLocale } from './i18n';
import { applyTheme, savedTheme } from './theme';

applyTheme(savedTheme());
await loadLocale(chosenLocale());
render(<App />, document.getElementById('app')!);
