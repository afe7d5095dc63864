import { render } from 'preact';
import { Options } from '@/components/Options';
import { openCacheReader } from '@/lib/cache/reader';
import { t, uiLocale } from '@/lib/presentation/i18n';
import '@/assets/ui.css';

document.documentElement.lang = uiLocale();
document.title = t('optionsTitle');
render(<Options cache={openCacheReader()} />, document.getElementById('app')!);
