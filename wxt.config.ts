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
    // Translated in public/_locales (English, Portuguese, Spanish, French).
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // notifications: an order turning abnormal or needing attention (can be turned off in the options).
    permissions: ['storage', 'alarms', 'unlimitedStorage', 'notifications'],
    host_permissions: preconfiguredBackend ? [backendHostPattern(preconfiguredBackend)] : [],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
  },
});
