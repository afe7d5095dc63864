/** `npm run --silent backend:token -- NAME [TIMEZONE]`: creates a merchant and prints only its API token. */
import { isValidTimeZone } from '../lib/domain/quota';
import { createMerchant } from './auth';
import { databaseOptionsFromEnv } from './config';
import { DataDirError } from './data-dir';
import { openDatabase, type Database } from './db';

const [name, timezone = 'UTC'] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: npm run --silent backend:token -- NAME [TIMEZONE]\n');
  process.exit(1);
}
if (!isValidTimeZone(timezone)) {
  process.stderr.write(`unknown timezone "${timezone}" (use an IANA name such as Europe/Lisbon)\n`);
  process.exit(1);
}
process.umask(0o077);
let db: Database;
try {
  db = await openDatabase(databaseOptionsFromEnv());
} catch (error) {
  // A data directory in use or damaged is told in a sentence, with what to do.
  const message = error instanceof DataDirError ? error.message : String((error as Error).message ?? error).split('\n')[0];
  process.stderr.write(`backend:token: ${message}\n`);
  process.exit(1);
}
try {
  const { token } = await createMerchant(db, name, timezone);
  process.stdout.write(`${token}\n`);
} finally {
  await db.close();
}
