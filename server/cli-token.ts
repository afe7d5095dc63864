/** `npm run --silent backend:token -- NAME [TIMEZONE]`: creates a merchant and prints only its API token. */
import { isValidTimeZone } from '../lib/domain/quota';
import { createMerchant } from './auth';
import { databaseOptionsFromEnv } from './config';
import { openDatabase } from './db';

const [name, timezone = 'UTC'] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: npm run --silent backend:token -- NAME [TIMEZONE]\n');
  process.exit(1);
}
if (!isValidTimeZone(timezone)) {
  process.stderr.write(`unknown timezone "${timezone}" (use an IANA name such as Europe/Lisbon)\n`);
  process.exit(1);
}
const db = await openDatabase(databaseOptionsFromEnv());
try {
  const { token } = await createMerchant(db, name, timezone);
  process.stdout.write(`${token}\n`);
} finally {
  await db.close();
}
