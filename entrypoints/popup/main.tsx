import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { openCache } from '@/lib/cache/db';
import '@/assets/ui.css';

render(<Popup cache={openCache()} />, document.getElementById('app')!);
