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
    'insert into merchants (name, token_hash, timezone) values ($1, $2, $3) returning id::text as id',
    [name, hashToken(token), timezone],
  );
  return { merchant: { id: rows[0]!.id, name, timezone }, token };
}

/** Replaces a merchant's token (the old one stops working at once) and returns the new one. */
export async function rotateToken(db: Queryable, merchantId: string): Promise<string> {
  const token = newApiToken();
  await db.query('update merchants set token_hash = $2 where id = $1', [merchantId, hashToken(token)]);
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
    prepared('select id::text as id, name, timezone, token_hash from merchants where token_hash = $1'),
    [hash],
  );
  const row = rows[0];
  if (!row || !sameHash(row.token_hash, hash)) return undefined;
  return { id: row.id, name: row.name, timezone: row.timezone };
}
