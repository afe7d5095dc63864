/** `npm run backend`: the backend on PORT (default 8787), on DATABASE_URL or the embedded database in DATA_DIR. */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { databaseOptionsFromEnv, portFromEnv } from './config';
import { needsSetup } from './dashboard/accounts';
import { openDatabase } from './db';
import { createLogger } from './log';

const log = createLogger();
const db = await openDatabase(databaseOptionsFromEnv());
// First run: whoever holds this code (printed for the operator, not logged) creates the first merchant on the dashboard.
const setupCode = (await needsSetup(db)) ? (process.env.SETUP_CODE ?? randomBytes(12).toString('base64url')) : undefined;
if (setupCode) process.stderr.write(`No merchant can sign in yet: open the dashboard and enter the setup code ${setupCode}\n`);
const app = createApp({ db, log, setupCode });
const server = serve({ fetch: app.fetch, port: portFromEnv(), hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  log.info('listening', { url: `http://127.0.0.1:${info.port}`, port: info.port, database: db.kind });
});

const shutdown = () => {
  server.close();
  void db.close().finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
