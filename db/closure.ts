import { sql as expr } from 'drizzle-orm';
import { orm, type Queryable } from './client.ts';
import { unitClosure, unitRollup } from './schema/units.ts';

/**
 * The transitive closure of the hierarchy, rebuilt whole (a rollup over any depth is one join), and
 * with it unit_rollup: whose figures count in whose, through the tree and the lineage of reforms.
 */
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
  await rebuildRollup(sql);
}

/**
 * unit_rollup from unit_closure and unit_lineage. A pair of the tree counts whole (share 1). Beyond
 * the tree, a unit's figures also hold its predecessors' (from before they ended), times the
 * lineage's share, and so on back through earlier reforms (at most 8 steps): for each ancestor, every
 * descendant s, every predecessor p of s, every tree descendant of p. Shares multiply along a path and
 * add up over paths; a pair already in the tree keeps share 1 (the city's old communes are its own,
 * however they merged), so nothing counts twice.
 */
export async function rebuildRollup(sql: Queryable): Promise<void> {
  const db = orm(sql);
  await db.delete(unitRollup);
  await db.insert(unitRollup).select(expr`
    with recursive h(ancestor_id, descendant_id, share, estimated, steps) as (
      select ancestor_id, descendant_id, 1::float8, false, 0 from unit_closure
      union all
      select h.ancestor_id, c.descendant_id, h.share * l.share, h.estimated or l.estimated, h.steps + 1
      from h
      join unit_lineage l on l.successor_id = h.descendant_id
      join unit_closure c on c.ancestor_id = l.predecessor_id
      where h.steps < 8 and l.share > 0
    )
    select ancestor_id, descendant_id, 1::float8, false from unit_closure
    union all
    select h.ancestor_id, h.descendant_id, least(1, sum(h.share)), bool_or(h.estimated)
    from h
    where h.steps > 0
      and not exists (select 1 from unit_closure t where t.ancestor_id = h.ancestor_id and t.descendant_id = h.descendant_id)
    group by h.ancestor_id, h.descendant_id`);
}
