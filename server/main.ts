/** `npm run backend`: the backend on PORT (default 8787), on DATABASE_URL or the embedded database in DATA_DIR. */
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { databaseOptionsFromEnv, portFromEnv } from './config';
import { openDatabase } from './db';
import { createLogger } from './log';

const log = createLogger();
const db = await openDatabase(databaseOptionsFromEnv());
const app = createApp({ db, log });
const server = serve({ fetch: app.fetch, port: portFromEnv(), hostname: process.env.HOST ?? '127.0.0.1' }, (info) => {
  log.info('listening', { url: `http://127.0.0.1:${info.port}`, port: info.port, database: db.kind });
});

const shutdown = () => {
  server.close();
  void db.close().finally(() => process.exit(0));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
