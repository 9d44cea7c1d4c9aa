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

  it(`locks an account after ${LIMITS.perAccount} failures, with a clear message, even for the right password`, async () => {
    await createUserIfMissing(db.sql, { username: 'target', displayName: 'T', password: 'the right password', role: 'leader' });
    for (let i = 0; i < LIMITS.perAccount; i++) {
      expect((await signIn(db.sql, { username: 'target', password: `guess ${i}`, ip: `10.1.0.${i}` })).ok).toBe(false);
    }
    const locked = await signIn(db.sql, { username: 'target', password: 'the right password', ip: '10.1.1.1' });
    expect(locked).toMatchObject({ ok: false, status: 429, message: expect.stringMatching(/^Quá nhiều lần đăng nhập sai\. Vui lòng thử lại sau \d+ phút\.$/) });
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
