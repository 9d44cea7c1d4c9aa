/** People: the first administrator (from the environment), and the demo's four (demo mode only). */
import { eq } from 'drizzle-orm';
import { orm, type Sql } from '#db/client';
import { users, type Role } from '#db/schema/auth';
import { hashPassword } from '#server/auth/crypto';
import { today } from '#domain/periods';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  role: Role;
  /** GSO code of an officer's unit: the unit in force today with that code (else its newest holder). */
  unitCode?: string | null;
}

/** Creates the user, or leaves an existing one with that name untouched. Returns whether it was created. */
export async function createUserIfMissing(sql: Sql, u: NewUser): Promise<boolean> {
  const db = orm(sql);
  const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.username, u.username));
  if (exists) return false;
  // A code names a unit on a day (10114 was Thị trấn Kim Bài until 30/06/2025, Xã Thanh Oai since): the rule of readUnit.
  const day = today();
  const [unit] = u.unitCode
    ? await sql<{ id: number }[]>`
        select id from units where gso_code = ${u.unitCode}
        order by (coalesce(valid_from <= ${day}::date, true) and coalesce(valid_to >= ${day}::date, true)) desc, valid_to desc nulls first
        limit 1`
    : [];
  if (u.unitCode && !unit) throw new Error(`no unit with GSO code ${u.unitCode} for user ${u.username}`);
  await db
    .insert(users)
    .values({ username: u.username, displayName: u.displayName, passwordHash: await hashPassword(u.password), role: u.role, unitId: unit?.id ?? null })
    .onConflictDoNothing({ target: users.username });
  return true;
}

/**
 * Demo mode only (the embedded database of `npm start`): four people, each with the password `demo`.
 * The officers belong to units in force today: Xã Thanh Oai (10114, which kept the code of Thị trấn
 * Kim Bài) and Sở Nội vụ (01-S02, db/seed/data/hanoi-departments.csv). An installation seeded by an
 * older release keeps its `officer-278` (Huyện Thanh Oai, ended 30/06/2025) and gains these.
 */
export const DEMO_USERS: NewUser[] = [
  { username: 'admin', displayName: 'Quản trị hệ thống', password: 'demo', role: 'admin' },
  { username: 'leader', displayName: 'Lãnh đạo UBND thành phố', password: 'demo', role: 'leader' },
  { username: 'officer-thanh-oai', displayName: 'Cán bộ UBND xã Thanh Oai', password: 'demo', role: 'officer', unitCode: '10114' },
  { username: 'officer-so-noi-vu', displayName: 'Cán bộ Sở Nội vụ', password: 'demo', role: 'officer', unitCode: '01-S02' }
];

export async function seedDemoUsers(sql: Sql): Promise<void> {
  for (const u of DEMO_USERS) await createUserIfMissing(sql, u);
}
