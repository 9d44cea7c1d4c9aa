/** People: the first administrator (from the environment), and the demo's three (demo mode only). */
import type { Sql } from '#db/client';
import { hashPassword } from '#server/auth/crypto';
import type { Role } from '#server/auth/principal';

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
  const [exists] = await sql`select 1 from users where username = ${u.username}`;
  if (exists) return false;
  const [unit] = u.unitCode ? await sql<{ id: number }[]>`select id from units where gso_code = ${u.unitCode}` : [];
  if (u.unitCode && !unit) throw new Error(`no unit with GSO code ${u.unitCode} for user ${u.username}`);
  await sql`insert into users (username, display_name, password_hash, role, unit_id)
            values (${u.username}, ${u.displayName}, ${await hashPassword(u.password)}, ${u.role}, ${unit?.id ?? null})
            on conflict (username) do nothing`;
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
