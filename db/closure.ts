import { sql as expr } from 'drizzle-orm';
import { orm, type Queryable } from './client.ts';
import { unitClosure } from './schema/units.ts';

/** The transitive closure of the hierarchy, rebuilt whole (a rollup over any depth is one join). */
export async function rebuildClosure(sql: Queryable): Promise<void> {
  const db = orm(sql);
  await db.delete(unitClosure);
  // Drizzle's builder has no recursive CTE: the walk is SQL, its rows go into the table's columns (in their order).
  await db.insert(unitClosure).select(expr`
    with recursive c(ancestor_id, descendant_id, depth) as (
      select id, id, 0 from units
      union all
      select c.ancestor_id, u.id, c.depth + 1 from c join units u on u.parent_id = c.descendant_id
    )
    select ancestor_id, descendant_id, depth from c`);
}
