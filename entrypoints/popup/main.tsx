import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { openCache } from '@/lib/cache/db';
import { uiLocale } from '@/lib/ui/i18n';
import '@/assets/ui.css';

document.documentElement.lang = uiLocale();
render(<Popup cache={openCache()} />, document.getElementById('app')!);
