/** People: the first administrator (from the environment), and the demo's three (demo mode only). */
import { eq } from 'drizzle-orm';
import { orm, type Sql } from '#db/client';
import { users, type Role } from '#db/schema/auth';
import { units } from '#db/schema/units';
import { hashPassword } from '#server/auth/crypto';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  /** GSO code of an officer's unit. */
  unitCode?: string | null;
}

/** Creates the user, or leaves an existing one with that name untouched. Returns whether it was created. */
export async function createUserIfMissing(sql: Sql, u: NewUser): Promise<boolean> {
  const db = orm(sql);
  const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.username, u.username));
  if (exists) return false;
  const [unit] = u.unitCode ? await db.select({ id: units.id }).from(units).where(eq(units.gsoCode, u.unitCode)) : [];
  if (u.unitCode && !unit) throw new Error(`no unit with GSO code ${u.unitCode} for user ${u.username}`);
  await db
    .insert(users)
    .values({ username: u.username, displayName: u.displayName, passwordHash: await hashPassword(u.password), role: u.role, unitId: unit?.id ?? null })
    .onConflictDoNothing({ target: users.username });
  return true;
}

/** Demo mode only (the embedded database of `npm start`): three people, each with the password `demo`. */
export const DEMO_USERS: NewUser[] = [
  { username: 'admin', displayName: 'Quản trị hệ thống', password: 'demo', role: 'admin' },
  { username: 'leader', displayName: 'Lãnh đạo UBND thành phố', password: 'demo', role: 'leader' },
  { username: 'officer-278', displayName: 'Cán bộ huyện Thanh Oai', password: 'demo', role: 'officer', unitCode: '278' }
];

export async function seedDemoUsers(sql: Sql): Promise<void> {
  for (const u of DEMO_USERS) await createUserIfMissing(sql, u);
}
