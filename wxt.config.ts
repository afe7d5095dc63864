import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { matchPatterns } from './lib/aliexpress/urls';
import { backendHostPattern } from './lib/settings-defaults';
import { CAINIAO_HOST_PATTERN } from './lib/cainiao/url';

// A build made for one backend (the demo, the end-to-end tests) is granted that origin up front;
// any other backend is asked for at run time from the options page.
const preconfiguredBackend = process.env.WXT_BACKEND_URL;

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  hooks: {
    // WXT_API_TOKEN becomes the default settings' token (lib/settings.ts): it is in the built
    // files, so in any zip made of them, for whoever gets a copy.
    'build:done': (wxt) => {
      if (process.env.WXT_API_TOKEN) {
        wxt.logger.warn(`This build carries WXT_API_TOKEN in its files (${wxt.config.outDir}): the zip of it gives that backend token to whoever gets it. Build without it for anything you hand out.`);
      }
    },
  },
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    // Translated in public/_locales (English, Portuguese, Spanish, French).
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // notifications: an order turning abnormal or needing attention (can be turned off in the options).
    permissions: ['storage', 'alarms', 'unlimitedStorage', 'notifications'],
    // Cainiao's public tracking: the worker refreshes parcels there without loading a page.
    host_permissions: [CAINIAO_HOST_PATTERN, ...(preconfiguredBackend ? [backendHostPattern(preconfiguredBackend)] : [])],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    // The readers of the merchant's AliExpress pages (entrypoints/aliexpress-*.ts). They are built
    // as plain scripts and declared here, not as WXT content scripts: WXT's content-script context
    // brings the webextension-polyfill into every order page the merchant opens, about 4.6 ms of
    // script time per page load here (see lib/capture/content-script.ts).
    // The page hook runs in the page's own world and comes first: it hands its port to the
    // isolated script of the same page while neither page script nor other content script runs
    // (lib/capture/channel.ts), so its matches are exactly theirs that have page data to observe.
    content_scripts: [
      // Every AliExpress site and language subdomain (www.aliexpress.us, es.aliexpress.com …): the
      // patterns live in lib/aliexpress/urls.ts with every other AliExpress address.
      { matches: [...matchPatterns().pageHook], js: ['aliexpress-page-hook.js'], run_at: 'document_start', world: 'MAIN' },
      { matches: [...matchPatterns().orderList], js: ['aliexpress-orders.js'], run_at: 'document_start' },
      { matches: [...matchPatterns().orderDetail], js: ['aliexpress-detail.js'], run_at: 'document_start' },
      { matches: [...matchPatterns().tracking], js: ['aliexpress-tracking.js'], run_at: 'document_start' },
      // Where AliExpress sends a merchant who must log in or pass the slider check.
      { matches: [...matchPatterns().blocked], js: ['aliexpress-blocked.js'], run_at: 'document_start' },
    ],
  },
});
