import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { openCacheReader } from '@/lib/cache/reader';
import { uiLocale } from '@/lib/presentation/i18n';
import '@/assets/ui.css';

document.documentElement.lang = uiLocale();
render(<Popup cache={openCacheReader()} />, document.getElementById('app')!);
