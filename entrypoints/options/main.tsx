import { render } from 'preact';
import { Options } from '@/components/Options';
import '@/assets/ui.css';

render(<Options />, document.getElementById('app')!);
