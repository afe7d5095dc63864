/**
 * Signing in to the dashboard: a login and password give a session (a random id in an HttpOnly
 * cookie, stored by its hash) and a CSRF token the page sends back with every change. Failed
 * attempts are bounded per login: MAX_FAILED_ATTEMPTS in FAILED_WINDOW_MS lock sign-in for LOCK_MS.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Merchant } from '../auth';
import type { Database, Queryable } from '../db';
import { decoyHash, verifyPassword } from './password';

export const SESSION_COOKIE = 'aos_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
export const MAX_FAILED_ATTEMPTS = 5;
export const FAILED_WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;

export interface Session {
  merchant: Merchant;
  csrfToken: string;
  expiresAt: Date;
}

export type SignInOutcome =
  | { ok: true; sessionId: string; session: Session }
  | { ok: false; reason: 'wrong_credentials' }
  | { ok: false; reason: 'locked'; retryAt: Date };

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');

/** Session ids are 32 random bytes; anything else is not one and is not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

interface LoginRow {
  merchant_id: string;
  password_hash: string;
  failed_attempts: number;
  failed_since: Date | null;
  locked_until: Date | null;
  name: string;
  timezone: string;
}

export async function signIn(db: Database, login: string, password: string, now: Date): Promise<SignInOutcome> {
  const { rows } = await db.query<LoginRow>(
    `select l.merchant_id::text as merchant_id, l.password_hash, l.failed_attempts, l.failed_since, l.locked_until, m.name, m.timezone
       from merchant_logins l join merchants m on m.id = l.merchant_id where l.login = $1`,
    [login.trim().toLowerCase()],
  );
  const row = rows[0];
  if (!row) {
    // As slow as a known login, so timing does not tell which logins exist.
    await verifyPassword(password, await decoyHash());
    return { ok: false, reason: 'wrong_credentials' };
  }
  if (row.locked_until && row.locked_until > now) return { ok: false, reason: 'locked', retryAt: row.locked_until };
  if (!(await verifyPassword(password, row.password_hash))) {
    const windowOpen = row.failed_since !== null && now.getTime() - row.failed_since.getTime() < FAILED_WINDOW_MS;
    const attempts = windowOpen ? row.failed_attempts + 1 : 1;
    const lockedUntil = attempts >= MAX_FAILED_ATTEMPTS ? new Date(now.getTime() + LOCK_MS) : null;
    await db.query(
      `update merchant_logins set failed_attempts = $2, failed_since = $3, locked_until = $4, updated_at = $5 where merchant_id = $1`,
      [row.merchant_id, lockedUntil ? 0 : attempts, lockedUntil ? null : windowOpen ? row.failed_since : now, lockedUntil, now],
    );
    return lockedUntil ? { ok: false, reason: 'locked', retryAt: lockedUntil } : { ok: false, reason: 'wrong_credentials' };
  }
  const sessionId = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.transaction(async (tx) => {
    await tx.query('update merchant_logins set failed_attempts = 0, failed_since = null, locked_until = null where merchant_id = $1', [row.merchant_id]);
    // Expired sessions of this merchant go as a new one comes, so the table does not grow forever.
    await tx.query('delete from sessions where merchant_id = $1 and expires_at <= $2', [row.merchant_id, now]);
    await tx.query('insert into sessions (id_hash, merchant_id, csrf_token, created_at, expires_at) values ($1, $2, $3, $4, $5)', [
      sha256(sessionId),
      row.merchant_id,
      csrfToken,
      now,
      expiresAt,
    ]);
  });
  return { ok: true, sessionId, session: { merchant: { id: row.merchant_id, name: row.name, timezone: row.timezone }, csrfToken, expiresAt } };
}

/** The live session a cookie value names, if any. */
export async function sessionFor(db: Queryable, sessionId: string, now: Date): Promise<Session | undefined> {
  if (!SESSION_ID.test(sessionId)) return undefined;
  const { rows } = await db.query<{ id: string; name: string; timezone: string; csrf_token: string; expires_at: Date }>(
    `select m.id::text as id, m.name, m.timezone, s.csrf_token, s.expires_at
       from sessions s join merchants m on m.id = s.merchant_id where s.id_hash = $1 and s.expires_at > $2`,
    [sha256(sessionId), now],
  );
  const row = rows[0];
  if (!row) return undefined;
  return { merchant: { id: row.id, name: row.name, timezone: row.timezone }, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

export async function signOut(db: Queryable, sessionId: string): Promise<void> {
  if (SESSION_ID.test(sessionId)) await db.query('delete from sessions where id_hash = $1', [sha256(sessionId)]);
}

/** Whether the CSRF header of a change made with a session cookie is that session's token (constant time). */
export function csrfMatches(session: Session, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
