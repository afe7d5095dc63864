/** `npm run backend`: the backend on PORT (default 8787), on DATABASE_URL or the embedded database in DATA_DIR. */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { databaseOptionsFromEnv, portFromEnv } from './config';
import { needsSetup } from './dashboard/accounts';
import { openDatabase } from './db';
import { createStoreLeg } from './jobs/runner';
import { createLogger } from './log';
import { secretBoxFromEnv } from './secrets';

const log = createLogger();
const db = await openDatabase(databaseOptionsFromEnv());
// First run: whoever holds this code (printed for the operator, not logged) creates the first merchant on the dashboard.
const setupCode = (await needsSetup(db)) ? (process.env.SETUP_CODE ?? randomBytes(12).toString('base64url')) : undefined;
if (setupCode) process.stderr.write(`No merchant can sign in yet: open the dashboard and enter the setup code ${setupCode}\n`);
const box = secretBoxFromEnv();
// The store leg needs the key its stores' secrets are sealed with; without it, stores cannot be connected.
const storeLeg = box
  ? createStoreLeg({
      db,
      log,
      box,
      adminOrigin: process.env.SHOPIFY_ADMIN_ORIGIN || undefined,
      trackingUrlTemplate: process.env.TRACKING_URL_TEMPLATE || undefined,
    })
  : undefined;
if (!box) log.info('store leg off', { reason: 'SECRETS_KEY is not set' });
const app = createApp({ db, log, setupCode, box, storeLeg });
storeLeg?.start();
const server = serve({ fetch: app.fetch, port: portFromEnv(), hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  log.info('listening', { url: `http://127.0.0.1:${info.port}`, port: info.port, database: db.kind });
});

const shutdown = () => {
  server.close();
  void (storeLeg?.stop() ?? Promise.resolve()).finally(() => void db.close().finally(() => process.exit(0)));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
