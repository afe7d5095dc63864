/** Merchants who sign in: created with a login, a password and a first extension token. */
import { isValidTimeZone } from '../../lib/domain/quota';
import { hashToken, newApiToken, type Merchant } from '../auth';
import type { Database, Queryable } from '../db';
import { hashPassword, passwordProblem } from './password';

export const MAX_LOGIN_LENGTH = 100;

export interface NewMerchant {
  name: string;
  login: string;
  password: string;
  timezone?: string;
}

/** Why a new merchant cannot be made as asked, or undefined. */
export function newMerchantProblem({ name, login, password, timezone = 'UTC' }: NewMerchant): string | undefined {
  if (!name.trim() || name.length > 200) return 'the name needs 1 to 200 characters';
  if (!/^[^\s\p{Cc}]{3,100}$/u.test(login)) return `the login needs 3 to ${MAX_LOGIN_LENGTH} characters, without spaces`;
  if (!isValidTimeZone(timezone)) return `unknown timezone "${timezone}" (use an IANA name such as Europe/Lisbon)`;
  return passwordProblem(password);
}

export class LoginTakenError extends Error {}

/** A merchant who can sign in, with a first API token for the extension (returned once, never stored). */
export async function createMerchantWithLogin(db: Database, input: NewMerchant): Promise<{ merchant: Merchant; token: string }> {
  const problem = newMerchantProblem(input);
  if (problem) throw new Error(problem);
  const login = input.login.trim().toLowerCase();
  const timezone = input.timezone ?? 'UTC';
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const taken = await tx.query('select 1 from merchant_logins where login = $1', [login]);
    if (taken.rows.length) throw new LoginTakenError(`the login "${login}" is taken`);
    const { rows } = await tx.query<{ id: string }>('insert into merchants (name, timezone) values ($1, $2) returning id::text as id', [
      input.name.trim(),
      timezone,
    ]);
    const merchantId = rows[0]!.id;
    await tx.query('insert into merchant_logins (merchant_id, login, password_hash) values ($1, $2, $3)', [merchantId, login, passwordHash]);
    const token = newApiToken();
    await tx.query('insert into api_tokens (merchant_id, name, token_hash) values ($1, $2, $3)', [merchantId, 'Extension', hashToken(token)]);
    return { merchant: { id: merchantId, name: input.name.trim(), timezone }, token };
  });
}

/** Gives an existing merchant (made with `backend:token`, say) a login and password. */
export async function setLogin(db: Queryable, merchantId: string, login: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);
  await db.query(
    `insert into merchant_logins (merchant_id, login, password_hash) values ($1, $2, $3)
     on conflict (merchant_id) do update set login = excluded.login, password_hash = excluded.password_hash,
       failed_attempts = 0, failed_since = null, locked_until = null, updated_at = now()`,
    [merchantId, login.trim().toLowerCase(), await hashPassword(password)],
  );
}

/** First run: no merchant can sign in yet, so the setup page is open (to whoever has the setup code). */
export async function needsSetup(db: Queryable): Promise<boolean> {
  const { rows } = await db.query('select 1 from merchant_logins limit 1');
  return rows.length === 0;
}
