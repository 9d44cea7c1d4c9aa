/**
 * The old demo's units as its seed stored them before the reform of 01/07/2025: hanoi.csv's rows
 * (or another register of 2024, daklak.csv) in force with no days of their own, a synthetic
 * population per commune, the closure rebuilt. No home unit fact (an installation of that time).
 */
import { readFileSync } from 'node:fs';
import type { Sql } from '../../db/client.ts';
import { rebuildClosure } from '../../db/closure.ts';

export const seedData = (name: string) => readFileSync(new URL(`../../db/seed/data/${name}`, import.meta.url), 'utf8');

export async function seedOldDemo(sql: Sql, csv = seedData('hanoi.csv')): Promise<void> {
  const rows = csv.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  await sql`
    insert into units (gso_code, name, level, type, population, population_synthetic)
    select code, name, level, type, case when level = 'commune' then 10000 end, true
    from unnest(${sql.array(rows.map((r) => r[0]!))}::text[], ${sql.array(rows.map((r) => r[1]!))}::text[],
                ${sql.array(rows.map((r) => r[2]!))}::text[], ${sql.array(rows.map((r) => r[3]!))}::text[]) as t(code, name, level, type)`;
  await sql`
    update units u set parent_id = p.id
    from unnest(${sql.array(rows.map((r) => r[0]!))}::text[], ${sql.array(rows.map((r) => r[4] ?? ''))}::text[]) as t(code, parent)
    join units p on p.gso_code = t.parent and p.valid_to is null
    where u.gso_code = t.code and u.valid_to is null`;
  await rebuildClosure(sql);
}
