import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchantForToken } from '../../../server/auth';
import type { Database } from '../../../server/db';
import { createMerchantWithLogin, LoginTakenError, needsSetup } from '../../../server/dashboard/accounts';
import { hashPassword, verifyPassword } from '../../../server/dashboard/password';
import { csrfMatches, LOCK_MS, MAX_FAILED_ATTEMPTS, SESSION_TTL_MS, sessionFor, signIn, signOut } from '../../../server/dashboard/sessions';
import { issueToken, listTokens, revokeToken } from '../../../server/dashboard/tokens';
import { Clock, DATABASES, openTestDatabase } from '../helpers';

describe('password hashing (scrypt)', () => {
  it('verifies the password it was made from and nothing else', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    // Two hashes of one password differ (salted).
    expect(await hashPassword('correct horse battery')).not.toBe(hash);
  });

  it('matches nothing against a malformed or foreign hash', async () => {
    for (const stored of ['', 'scrypt$', 'bcrypt$2$x$y', 'scrypt$0$8$1$AAAA$BBBB', 'scrypt$abc$8$1$AAAA$BBBB']) {
      expect(await verifyPassword('anything at all', stored)).toBe(false);
    }
  });
});

describe.each(DATABASES)('signing in on %s', (kind) => {
  let db: Database;
  const clock = new Clock();
  beforeAll(async () => {
    db = await openTestDatabase(kind, import.meta.filename);
  });
  afterAll(() => db.close());

  it('opens a session for the right password, with a CSRF token, and signs out', async () => {
    expect(await needsSetup(db)).toBe(true);
    const { merchant } = await createMerchantWithLogin(db, { name: 'Shop A', login: 'Shop-A@example.com', password: 'a good long password' });
    expect(await needsSetup(db)).toBe(false);
    const outcome = await signIn(db, 'shop-a@example.com', 'a good long password', clock.now());
    if (!outcome.ok) throw new Error('sign-in refused');
    expect(outcome.session.merchant.id).toBe(merchant.id);
    const session = await sessionFor(db, outcome.sessionId, clock.now());
    expect(session?.merchant.id).toBe(merchant.id);
    expect(csrfMatches(session!, session!.csrfToken)).toBe(true);
    expect(csrfMatches(session!, `${session!.csrfToken}x`)).toBe(false);
    expect(csrfMatches(session!, undefined)).toBe(false);
    await signOut(db, outcome.sessionId);
    expect(await sessionFor(db, outcome.sessionId, clock.now())).toBeUndefined();
  });

  it('ends a session when it expires', async () => {
    await createMerchantWithLogin(db, { name: 'Shop B', login: 'shop-b', password: 'another long password' });
    const outcome = await signIn(db, 'shop-b', 'another long password', clock.now());
    if (!outcome.ok) throw new Error('sign-in refused');
    clock.advance(SESSION_TTL_MS + 1);
    expect(await sessionFor(db, outcome.sessionId, clock.now())).toBeUndefined();
  });

  it('locks sign-in after too many failed attempts, even for the right password, until the lock ends', async () => {
    await createMerchantWithLogin(db, { name: 'Shop C', login: 'shop-c', password: 'the right password' });
    for (let i = 1; i < MAX_FAILED_ATTEMPTS; i++) expect(await signIn(db, 'shop-c', `wrong ${i}`, clock.now())).toEqual({ ok: false, reason: 'wrong_credentials' });
    expect(await signIn(db, 'shop-c', 'wrong again', clock.now())).toMatchObject({ ok: false, reason: 'locked' });
    expect(await signIn(db, 'shop-c', 'the right password', clock.now())).toMatchObject({ ok: false, reason: 'locked' });
    clock.advance(LOCK_MS + 1);
    expect(await signIn(db, 'shop-c', 'the right password', clock.now())).toMatchObject({ ok: true });
  });

  it('answers an unknown login as a wrong password, and a taken login is refused', async () => {
    expect(await signIn(db, 'nobody', 'whatever password', clock.now())).toEqual({ ok: false, reason: 'wrong_credentials' });
    await expect(createMerchantWithLogin(db, { name: 'Again', login: 'shop-c', password: 'some long password' })).rejects.toBeInstanceOf(LoginTakenError);
  });

  it('issues tokens that authenticate, and a revoked one stops at once; another merchant cannot revoke it', async () => {
    const { merchant: a, token: first } = await createMerchantWithLogin(db, { name: 'Shop D', login: 'shop-d', password: 'a long password d' });
    const { merchant: b } = await createMerchantWithLogin(db, { name: 'Shop E', login: 'shop-e', password: 'a long password e' });
    expect((await merchantForToken(db, first))?.id).toBe(a.id);
    const second = await issueToken(db, a.id, 'Laptop', clock.now());
    expect((await merchantForToken(db, second.token))?.id).toBe(a.id);
    expect(await revokeToken(db, b.id, second.id, clock.now())).toBe(false);
    expect(await merchantForToken(db, second.token)).toBeDefined();
    expect(await revokeToken(db, a.id, second.id, clock.now())).toBe(true);
    expect(await merchantForToken(db, second.token)).toBeUndefined();
    expect((await merchantForToken(db, first))?.id).toBe(a.id);
    const listed = await listTokens(db, a.id);
    expect(listed.map((t) => [t.name, t.revokedAt !== null])).toEqual([
      ['Extension', false],
      ['Laptop', true],
    ]);
    expect(JSON.stringify(listed)).not.toContain(second.token);
    expect(await listTokens(db, b.id)).toHaveLength(1);
  });
});
