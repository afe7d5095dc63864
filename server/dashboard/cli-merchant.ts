/**
 * `npm run --silent backend:merchant -- LOGIN [NAME] [TIMEZONE]`: creates a merchant who can sign in
 * to the dashboard. The password comes from MERCHANT_PASSWORD, or a random one is made; the
 * password and the extension's first API token are printed once and never stored in the clear.
 */
import { databaseOptionsFromEnv } from '../config';
import { openDatabase } from '../db';
import { createMerchantWithLogin, newMerchantProblem } from './accounts';
import { randomPassword } from './password';

const [login, name = login, timezone = 'UTC'] = process.argv.slice(2);
if (!login) {
  process.stderr.write('usage: npm run --silent backend:merchant -- LOGIN [NAME] [TIMEZONE]   (password: MERCHANT_PASSWORD, or a random one)\n');
  process.exit(1);
}
const password = process.env.MERCHANT_PASSWORD ?? randomPassword();
const problem = newMerchantProblem({ name: name!, login, password, timezone });
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const db = await openDatabase(databaseOptionsFromEnv());
try {
  const { token } = await createMerchantWithLogin(db, { name: name!, login, password, timezone });
  process.stdout.write(`login: ${login.toLowerCase()}\npassword: ${process.env.MERCHANT_PASSWORD ? '(from MERCHANT_PASSWORD)' : password}\napi token: ${token}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await db.close();
}
