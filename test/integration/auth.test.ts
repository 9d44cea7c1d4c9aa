/** Sign-in on the real database: passwords, sessions, expiry, revocation and the rate limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS, readSession, revokeSession, signIn } from '../../src/lib/server/auth/sessions.ts';
import { createUserIfMissing } from '#server/seed/users';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';

describe('signing in', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql);
    await createUserIfMissing(db.sql, { username: 'officer-278', displayName: 'Cán bộ', password: 'a long password', role: 'officer', unitCode: '278' });
  });
  afterAll(async () => {
    await world.simulator.close();
    await db.drop();
  });

  it('stores an argon2id hash, signs in, and reads the session back with the unit', async () => {
    const [u] = await db.sql<{ password_hash: string }[]>`select password_hash from users where username = 'officer-278'`;
    expect(u!.password_hash).toMatch(/^\$argon2id\$/);
    const ok = await signIn(db.sql, { username: 'Officer-278 ', password: 'a long password', ip: '10.0.0.1' });
    if (!ok.ok) throw new Error(ok.message);
    const session = await readSession(db.sql, ok.token);
    expect(session?.user).toMatchObject({ username: 'officer-278', role: 'officer', unitCode: '278' });
    // Only the token's hash is stored.
    expect(await db.sql`select 1 from sessions where id = ${ok.token}`).toHaveLength(0);
  });

  it('refuses a wrong password in words, and an expired or revoked session', async () => {
    expect(await signIn(db.sql, { username: 'officer-278', password: 'wrong', ip: '10.0.0.2' })).toEqual({
      ok: false, status: 401, message: 'Tên đăng nhập hoặc mật khẩu không đúng.'
    });
    expect(await signIn(db.sql, { username: 'nobody', password: 'wrong', ip: '10.0.0.2' })).toMatchObject({ ok: false, status: 401 });
    const ok = await signIn(db.sql, { username: 'officer-278', password: 'a long password', ip: '10.0.0.2' });
    if (!ok.ok) throw new Error(ok.message);
    const s = (await readSession(db.sql, ok.token))!;
    await revokeSession(db.sql, s.sessionId);
    expect(await readSession(db.sql, ok.token)).toBeNull();
    const again = await signIn(db.sql, { username: 'officer-278', password: 'a long password', ip: '10.0.0.2' });
    if (!again.ok) throw new Error(again.message);
    await db.sql`update sessions set expires_at = now() - interval '1 second' where user_id = (select id from users where username = 'officer-278')`;
    expect(await readSession(db.sql, again.token)).toBeNull();
  });

  it('slows one address guessing one account with a growing wait, and never locks the owner out of their own address', async () => {
    await createUserIfMissing(db.sql, { username: 'target', displayName: 'T', password: 'the right password', role: 'leader' });
    const attacker = '10.1.0.66';
    for (let i = 0; i < LIMITS.freePerPair; i++) {
      expect(await signIn(db.sql, { username: 'target', password: `guess ${i}`, ip: attacker })).toMatchObject({ ok: false, status: 401 });
    }
    // That address now waits before its next try, even with the right password, and is told how long in words.
    const first = await signIn(db.sql, { username: 'target', password: 'the right password', ip: attacker });
    expect(first).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 60, message: 'Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 1 phút.' });
    // The owner, from their own address, signs in at once: the attacker's failures do not lock the account.
    expect((await signIn(db.sql, { username: 'target', password: 'the right password', ip: '10.1.0.7' })).ok).toBe(true);
    // The wait over (the failures moved a minute back), the attacker guesses wrong again: the next wait doubles.
    await db.sql`update sign_in_failures set at = at - interval '61 seconds' where ip = ${attacker}`;
    expect(await signIn(db.sql, { username: 'target', password: 'guess again', ip: attacker })).toMatchObject({ ok: false, status: 401 });
    const second = await signIn(db.sql, { username: 'target', password: 'guess again', ip: attacker });
    expect(second).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 120, message: 'Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau 2 phút.' });
    // A wait never grows past the ceiling.
    await db.sql`insert into sign_in_failures (username, ip, at) select 'target', ${attacker}, now() - interval '1 hour' from generate_series(1, 30)`;
    const capped = await signIn(db.sql, { username: 'target', password: 'guess again', ip: attacker });
    expect(capped).toMatchObject({ ok: false, status: 429, retryAfterSeconds: LIMITS.maxWaitSeconds });
    expect((await signIn(db.sql, { username: 'target', password: 'the right password', ip: '10.1.0.7' })).ok).toBe(true);
  });

  it(`slows guesses spread over many addresses (${LIMITS.perAccountUnknown} in ${LIMITS.windowMinutes} minutes) only for addresses the account never signed in from`, async () => {
    await createUserIfMissing(db.sql, { username: 'spread', displayName: 'S', password: 'the right password', role: 'leader' });
    expect((await signIn(db.sql, { username: 'spread', password: 'the right password', ip: '10.3.0.1' })).ok).toBe(true);
    for (let i = 0; i < LIMITS.perAccountUnknown; i++) {
      expect(await signIn(db.sql, { username: 'spread', password: `guess ${i}`, ip: `10.4.0.${i}` })).toMatchObject({ ok: false, status: 401 });
    }
    expect(await signIn(db.sql, { username: 'spread', password: 'the right password', ip: '10.4.1.1' })).toMatchObject({
      ok: false, status: 429, message: expect.stringMatching(/^Quá nhiều lần đăng nhập sai\. Vui lòng thử lại sau \d+ phút\.$/)
    });
    expect((await signIn(db.sql, { username: 'spread', password: 'the right password', ip: '10.3.0.1' })).ok).toBe(true);
  });

  it(`limits one address to ${LIMITS.perAddress} failures across accounts`, async () => {
    for (let i = 0; i < LIMITS.perAddress; i++) await signIn(db.sql, { username: `spray-${i}`, password: 'x', ip: '192.0.2.9' });
    const blocked = await signIn(db.sql, { username: 'officer-278', password: 'a long password', ip: '192.0.2.9' });
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    expect((await signIn(db.sql, { username: 'officer-278', password: 'a long password', ip: '192.0.2.10' })).ok).toBe(true);
  });

  it('refuses a disabled account', async () => {
    await db.sql`update users set disabled = true where username = 'officer-278'`;
    expect(await signIn(db.sql, { username: 'officer-278', password: 'a long password', ip: '10.2.0.1' })).toMatchObject({ ok: false, status: 401 });
  });
});
