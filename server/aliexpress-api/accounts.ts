/**
 * Connected AliExpress accounts in the database: the sealed tokens, the OAuth states, when each
 * merchant's scheduled pass is due. Tokens are sealed with the merchant's id as associated data,
 * so a sealed value only opens in its own row.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../db';
import type { SecretBox } from '../secrets';
import type { TokenSet } from './client';

export const OAUTH_STATE_TTL_MS = 10 * 60_000;

export interface AccountRow {
  merchant_id: string;
  account: string | null;
  access_token_sealed: string;
  refresh_token_sealed: string | null;
  expires_at: Date;
  refresh_expires_at: Date | null;
  connected_at: Date;
  pass_offset_ms: string;
  next_pass_at: Date;
  last_sync_at: Date | null;
  last_error: string | null;
  needs_reconnect: boolean;
}

const COLUMNS = `merchant_id::text as merchant_id, account, access_token_sealed, refresh_token_sealed, expires_at, refresh_expires_at,
  connected_at, pass_offset_ms::text as pass_offset_ms, next_pass_at, last_sync_at, last_error, needs_reconnect`;

const hashState = (state: string) => createHash('sha256').update(state, 'utf8').digest('hex');
const tokenAad = (merchantId: string, which: 'access' | 'refresh') => `aliexpress-${which}-token:${merchantId}`;

/** A new OAuth state for the merchant: random, kept only by its hash, good once for OAUTH_STATE_TTL_MS. */
export async function newOAuthState(db: Queryable, merchantId: string, now: Date): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  // Expired states of anyone go on the way, so the table stays the size of the sign-ins in progress.
  await db.query('delete from aliexpress_oauth_states where expires_at < $1', [now]);
  await db.query('insert into aliexpress_oauth_states (state_hash, merchant_id, expires_at) values ($1, $2, $3)', [
    hashState(state),
    merchantId,
    new Date(now.getTime() + OAUTH_STATE_TTL_MS),
  ]);
  return state;
}

/** The merchant a state was given to, consuming it; undefined for an unknown, used or expired state. */
export async function consumeOAuthState(db: Queryable, state: string, now: Date): Promise<string | undefined> {
  const { rows } = await db.query<{ merchant_id: string; expires_at: Date }>(
    'delete from aliexpress_oauth_states where state_hash = $1 returning merchant_id::text as merchant_id, expires_at',
    [hashState(state)],
  );
  const row = rows[0];
  return row && new Date(row.expires_at) >= now ? row.merchant_id : undefined;
}

/**
 * Where a merchant's pass falls in each interval: spread evenly by a hash of its id, so many
 * merchants connected at once still arrive at different times.
 */
export function passOffsetMs(merchantId: string, intervalMs: number): number {
  const digest = createHash('sha256').update(`aliexpress-pass:${merchantId}`).digest();
  return digest.readUInt32BE(0) % intervalMs;
}

/** The first moment after `now` that is `offset` into an interval (intervals counted from the epoch). */
export function nextPassAt(offsetMs: number, intervalMs: number, now: Date): Date {
  const offset = offsetMs % intervalMs;
  const k = Math.floor((now.getTime() - offset) / intervalMs) + 1;
  return new Date(offset + k * intervalMs);
}

export async function saveTokens(db: Queryable, secrets: SecretBox, merchantId: string, tokens: TokenSet, now: Date, intervalMs: number): Promise<void> {
  const offset = passOffsetMs(merchantId, intervalMs);
  await db.query(
    `insert into aliexpress_accounts (merchant_id, account, access_token_sealed, refresh_token_sealed, expires_at, refresh_expires_at,
                                      connected_at, pass_offset_ms, next_pass_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (merchant_id) do update set account = excluded.account, access_token_sealed = excluded.access_token_sealed,
       refresh_token_sealed = excluded.refresh_token_sealed, expires_at = excluded.expires_at,
       refresh_expires_at = excluded.refresh_expires_at, connected_at = excluded.connected_at, next_pass_at = excluded.next_pass_at,
       last_error = null, needs_reconnect = false`,
    [
      merchantId,
      tokens.account,
      secrets.seal(tokens.accessToken, tokenAad(merchantId, 'access')),
      tokens.refreshToken === null ? null : secrets.seal(tokens.refreshToken, tokenAad(merchantId, 'refresh')),
      tokens.expiresAt,
      tokens.refreshExpiresAt,
      now,
      offset,
      nextPassAt(offset, intervalMs, now),
    ],
  );
}

/** Replaces the tokens after a refresh; the account, its schedule and its history stay. */
export async function updateTokens(db: Queryable, secrets: SecretBox, merchantId: string, tokens: TokenSet): Promise<void> {
  await db.query(
    `update aliexpress_accounts set access_token_sealed = $2, refresh_token_sealed = coalesce($3, refresh_token_sealed), expires_at = $4,
            refresh_expires_at = coalesce($5, refresh_expires_at), account = coalesce($6, account)
      where merchant_id = $1`,
    [
      merchantId,
      secrets.seal(tokens.accessToken, tokenAad(merchantId, 'access')),
      tokens.refreshToken === null ? null : secrets.seal(tokens.refreshToken, tokenAad(merchantId, 'refresh')),
      tokens.expiresAt,
      tokens.refreshExpiresAt,
      tokens.account,
    ],
  );
}

export function openTokens(secrets: SecretBox, row: AccountRow): { accessToken: string; refreshToken: string | null } {
  return {
    accessToken: secrets.open(row.access_token_sealed, tokenAad(row.merchant_id, 'access')),
    refreshToken: row.refresh_token_sealed === null ? null : secrets.open(row.refresh_token_sealed, tokenAad(row.merchant_id, 'refresh')),
  };
}

export async function accountOf(db: Queryable, merchantId: string, lock = false): Promise<AccountRow | undefined> {
  const { rows } = await db.query<AccountRow>(`select ${COLUMNS} from aliexpress_accounts where merchant_id = $1${lock ? ' for update' : ''}`, [merchantId]);
  return rows[0];
}

export async function deleteAccount(db: Queryable, merchantId: string): Promise<boolean> {
  const { rows } = await db.query('delete from aliexpress_accounts where merchant_id = $1 returning merchant_id', [merchantId]);
  return rows.length > 0;
}

/** What the last sync left: when it ran, what went wrong (null: nothing), whether the merchant must reconnect. */
export async function recordOutcome(
  db: Queryable,
  merchantId: string,
  outcome: { syncedAt?: Date; error: string | null; needsReconnect?: boolean; retryAt?: Date },
): Promise<void> {
  await db.query(
    `update aliexpress_accounts set last_sync_at = coalesce($2, last_sync_at), last_error = $3,
            needs_reconnect = needs_reconnect or $4, next_pass_at = least(next_pass_at, coalesce($5, next_pass_at))
      where merchant_id = $1`,
    [merchantId, outcome.syncedAt ?? null, outcome.error, outcome.needsReconnect ?? false, outcome.retryAt ?? null],
  );
}

/**
 * Claims the next merchant whose pass is due: its row is locked (another process skips it, never
 * waits for it) and its next pass moved to its next slot before the lock is let go, so the pass is
 * claimed exactly once whichever process gets there first. A process that dies during the pass
 * leaves it for the next slot.
 */
export async function claimDuePass(db: Database, now: Date, intervalMs: number): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ merchant_id: string; pass_offset_ms: string }>(
      `select merchant_id::text as merchant_id, pass_offset_ms::text as pass_offset_ms from aliexpress_accounts
        where next_pass_at <= $1 and not needs_reconnect
        order by next_pass_at, merchant_id limit 1 for update skip locked`,
      [now],
    );
    const row = rows[0];
    if (!row) return undefined;
    await tx.query('update aliexpress_accounts set next_pass_at = $2 where merchant_id = $1', [
      row.merchant_id,
      nextPassAt(Number(row.pass_offset_ms), intervalMs, now),
    ]);
    return row.merchant_id;
  });
}
