/**
 * `npm run backend`: the backend on PORT (default 8787), on DATABASE_URL or the embedded database
 * in DATA_DIR; HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set. The port is taken before the
 * database is opened, so a port in use is told before anything is migrated.
 */
import { randomBytes } from 'node:crypto';
import { createApp } from './app';
import { aliexpressConfigFromEnv } from './aliexpress-api/config';
import { startScheduledPasses } from './aliexpress-api/schedule';
import { AliExpressService } from './aliexpress-api/service';
import { allowedOriginsFromEnv, allowPrivateWebhookUrlsFromEnv, databaseOptionsFromEnv, portFromEnv, publicUrlFromEnv, tlsFromEnv } from './config';
import { needsSetup } from './dashboard/accounts';
import { openDatabase, type Database } from './db';
import { createStoreLeg } from './jobs/runner';
import { listen, type Fetch } from './listen';
import { createLogger } from './log';
import { secretBoxFromEnv } from './secrets';
import { pruneIdempotencyRecords, PRUNE_EVERY_MS } from './sync/idempotency';

/** Said on stderr in one line, and the process stops: whoever starts the backend reads it, no stack trace. */
function refuse(message: string): never {
  process.stderr.write(`backend: ${message}\n`);
  process.exit(1);
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0]!.slice(0, 1000);

// The data directory and whatever the backend writes are its owner's alone.
process.umask(0o077);
const log = createLogger();
let port: number;
let tls: ReturnType<typeof tlsFromEnv>;
let allowedOrigins: string[] | undefined;
let aliexpressConfig: ReturnType<typeof aliexpressConfigFromEnv>;
let box: ReturnType<typeof secretBoxFromEnv>;
let publicUrl: string | undefined;
let allowPrivateWebhookUrls: boolean;
try {
  port = portFromEnv();
  tls = tlsFromEnv();
  allowedOrigins = allowedOriginsFromEnv();
  aliexpressConfig = aliexpressConfigFromEnv();
  box = secretBoxFromEnv();
  publicUrl = publicUrlFromEnv();
  allowPrivateWebhookUrls = allowPrivateWebhookUrlsFromEnv();
} catch (error) {
  refuse(firstLine(error));
}
const host = process.env.HOST ?? '127.0.0.1';

// Requests that arrive while the database opens wait for it.
let ready!: (fetch: Fetch) => void;
const app = new Promise<Fetch>((resolve) => (ready = resolve));
let listening: Awaited<ReturnType<typeof listen>>;
try {
  listening = await listen({ port, host, tls, fetch: app });
} catch (error) {
  refuse(firstLine(error));
}
const { server } = listening;

let db: Database;
try {
  db = await openDatabase(databaseOptionsFromEnv());
} catch (error) {
  server.close();
  refuse(firstLine(error));
}
// First run: whoever holds this code (printed for the operator, not logged) creates the first merchant on the dashboard.
const setupCode = (await needsSetup(db)) ? (process.env.SETUP_CODE ?? randomBytes(12).toString('base64url')) : undefined;
if (setupCode) process.stderr.write(`No merchant can sign in yet: open the dashboard and enter the setup code ${setupCode}\n`);
// The store leg needs the key its stores' secrets are sealed with; without it, stores cannot be connected.
const storeLeg = box
  ? createStoreLeg({
      db,
      log,
      box,
      adminOrigin: process.env.SHOPIFY_ADMIN_ORIGIN || undefined,
      trackingUrlTemplate: process.env.TRACKING_URL_TEMPLATE || undefined,
      allowPrivateWebhookUrls,
    })
  : undefined;
if (!box) log.info('store leg off', { reason: 'SECRETS_KEY is not set' });
const aliexpress = new AliExpressService({ db, log, config: aliexpressConfig, ...(storeLeg && { storeLeg }) });
ready(createApp({ db, log, setupCode, aliexpress, box, storeLeg, publicUrl, allowPrivateWebhookUrls, ...(allowedOrigins && { allowedOrigins }) }).fetch);
storeLeg?.start();
const passes = startScheduledPasses(aliexpress, log);
log.info('listening', { url: listening.url, port: listening.port, database: db.kind, tls: Boolean(tls) });

const prune = async () => {
  try {
    const removed = await pruneIdempotencyRecords(db, new Date());
    if (removed > 0) log.info('pruned idempotency records', { removed });
  } catch (error) {
    log.error('pruning idempotency records failed', { error: firstLine(error) });
  }
};
void prune();
const pruning = setInterval(() => void prune(), PRUNE_EVERY_MS);
pruning.unref();

const shutdown = () => {
  clearInterval(pruning);
  passes.stop();
  server.close();
  void (storeLeg?.stop() ?? Promise.resolve()).finally(() => void db.close().finally(() => process.exit(0)));
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
