import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { backendHostPattern } from './lib/settings-defaults';

// A build made for one backend (the demo, the end-to-end tests) is granted that origin up front;
// any other backend is asked for at run time from the options page.
const preconfiguredBackend = process.env.WXT_BACKEND_URL;

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'Ali Order Sync',
    description:
      'Syncs your AliExpress order statuses and tracking numbers to your order backend within minutes.',
    permissions: ['storage', 'alarms', 'unlimitedStorage'],
    host_permissions: preconfiguredBackend ? [backendHostPattern(preconfiguredBackend)] : [],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
  },
});
