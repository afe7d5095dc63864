import { render } from 'preact';
import { Options } from '@/components/Options';
import { openCache } from '@/lib/cache/db';
import { t, uiLocale } from '@/lib/ui/i18n';
import '@/assets/ui.css';

document.documentElement.lang = uiLocale();
document.title = t('optionsTitle');
render(<Options cache={openCache()} />, document.getElementById('app')!);
