import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isValidTimeZone } from '../lib/domain/quota';
import { prepared, type Queryable } from './db';

export interface Merchant {
  id: string;
  name: string;
  timezone: string;
}

/** API tokens are 32 random bytes; the prefix makes a leaked one easy to recognise in a scan. */
export function newApiToken(): string {
  return `aos_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A merchant's days (for the manual-sync quota) are counted in `timezone`, an IANA name. */
export async function createMerchant(db: Queryable, name: string, timezone = 'UTC'): Promise<{ merchant: Merchant; token: string }> {
  if (!isValidTimeZone(timezone)) throw new Error(`unknown timezone "${timezone}" (use an IANA name such as Europe/Lisbon)`);
  const token = newApiToken();
  const { rows } = await db.query<{ id: string }>(
    `with m as (insert into merchants (name, timezone) values ($1, $3) returning id)
     insert into api_tokens (merchant_id, name, token_hash) select id, 'API token', $2 from m returning merchant_id::text as id`,
    [name, hashToken(token), timezone],
  );
  return { merchant: { id: rows[0]!.id, name, timezone }, token };
}

/** Replaces a merchant's tokens (the old ones stop working at once) with one new one and returns it. */
export async function rotateToken(db: Queryable, merchantId: string): Promise<string> {
  const token = newApiToken();
  await db.query(
    `with revoked as (update api_tokens set revoked_at = now() where merchant_id = $1 and revoked_at is null)
     insert into api_tokens (merchant_id, name, token_hash) values ($1, 'API token', $2)`,
    [merchantId, hashToken(token)],
  );
  return token;
}

/** Whether a stored token hash is the one given, compared in constant time. */
export function sameHash(stored: string, hash: string): boolean {
  const a = Buffer.from(stored, 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The hash to look a bearer token up by; undefined for a token no merchant can have. */
export function lookupHash(token: string): string | undefined {
  return token.length < 10 || token.length > 200 ? undefined : hashToken(token);
}

/**
 * The merchant a bearer token belongs to. Tokens are looked up by their hash, so the database
 * never compares secrets; the final check is constant-time all the same.
 */
export async function merchantForToken(db: Queryable, token: string): Promise<Merchant | undefined> {
  const hash = lookupHash(token);
  if (!hash) return undefined;
  const { rows } = await db.query<{ id: string; name: string; timezone: string; token_hash: string }>(
    // Every request asks this: kept prepared (see `prepared`).
    prepared(
      `select m.id::text as id, m.name, m.timezone, t.token_hash
         from api_tokens t join merchants m on m.id = t.merchant_id where t.token_hash = $1 and t.revoked_at is null`,
    ),
    [hash],
  );
  const row = rows[0];
  if (!row || !sameHash(row.token_hash, hash)) return undefined;
  return { id: row.id, name: row.name, timezone: row.timezone };
}
