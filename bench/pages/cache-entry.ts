/** What the Dexie figures run inside an extension page: the extension's own cache and sync code, bundled by esbuild. */
export { openCache } from '../../lib/cache/db';
export { pullOrders, recordSnapshot } from '../../lib/sync/engine';
