/**
 * `npm run --silent backend:aliexpress-pass -- [--at ISO-TIME]`: runs the scheduled AliExpress
 * passes that are due, once, in this process, and prints one JSON line per merchant. The server
 * runs them on its own timer; this is for a cron job instead of the timer, and for checking a
 * schedule at a given time (`--at`: the clock the pass believes).
 */
import { databaseOptionsFromEnv } from '../config';
import { openDatabase } from '../db';
import { createLogger } from '../log';
import { aliexpressConfigFromEnv } from './config';
import { AliExpressService } from './service';

const atIndex = process.argv.indexOf('--at');
const at = atIndex === -1 ? new Date() : new Date(process.argv[atIndex + 1] ?? '');
if (Number.isNaN(at.getTime())) {
  process.stderr.write('--at takes an ISO time, e.g. 2026-07-01T16:00:00Z\n');
  process.exit(2);
}
const config = aliexpressConfigFromEnv();
if (!config) {
  process.stderr.write('no AliExpress app configured: set ALIEXPRESS_APP_KEY, ALIEXPRESS_APP_SECRET and SECRETS_KEY\n');
  process.exit(2);
}
const db = await openDatabase(databaseOptionsFromEnv());
try {
  const service = new AliExpressService({ db, log: createLogger(false), config });
  for (const pass of await service.runDuePasses(at)) {
    const line = pass.read
      ? { merchant: pass.merchantId, asked: pass.read.asked, read: pass.read.read, problems: pass.read.problems.length }
      : { merchant: pass.merchantId, error: pass.error?.code, message: pass.error?.message };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
} finally {
  await db.close();
}
