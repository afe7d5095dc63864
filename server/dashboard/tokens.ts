/** The API tokens a merchant's extensions use: issued and revoked from the dashboard. */
import { hashToken, newApiToken } from '../auth';
import type { Queryable } from '../db';

export const MAX_TOKENS = 50;

export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function listTokens(db: Queryable, merchantId: string): Promise<ApiTokenInfo[]> {
  const { rows } = await db.query<{ id: string; name: string; created_at: Date; revoked_at: Date | null }>(
    'select id::text as id, name, created_at, revoked_at from api_tokens where merchant_id = $1 order by id',
    [merchantId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null }));
}

export class TooManyTokensError extends Error {}

/** A new token; its value is in the answer only, the database keeps its hash. */
export async function issueToken(db: Queryable, merchantId: string, name: string, now: Date): Promise<ApiTokenInfo & { token: string }> {
  const { rows: live } = await db.query<{ n: number }>('select count(*)::int as n from api_tokens where merchant_id = $1 and revoked_at is null', [merchantId]);
  if ((live[0]?.n ?? 0) >= MAX_TOKENS) throw new TooManyTokensError(`at most ${MAX_TOKENS} live tokens; revoke one first`);
  const token = newApiToken();
  const { rows } = await db.query<{ id: string }>(
    'insert into api_tokens (merchant_id, name, token_hash, created_at) values ($1, $2, $3, $4) returning id::text as id',
    [merchantId, name, hashToken(token), now],
  );
  return { id: rows[0]!.id, name, createdAt: now.toISOString(), revokedAt: null, token };
}

/** Revokes a token of this merchant at once; false when the merchant has no such live token. */
export async function revokeToken(db: Queryable, merchantId: string, tokenId: string, now: Date): Promise<boolean> {
  if (!/^\d{1,18}$/.test(tokenId)) return false;
  const { rows } = await db.query('update api_tokens set revoked_at = $3 where id = $2 and merchant_id = $1 and revoked_at is null returning id', [
    merchantId,
    tokenId,
    now,
  ]);
  return rows.length > 0;
}
