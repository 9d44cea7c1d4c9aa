import type { Queryable } from '#db/client';

/** The transitive closure of the hierarchy, rebuilt whole (a rollup over any depth is one join). */
export async function rebuildClosure(sql: Queryable): Promise<void> {
  await sql`delete from unit_closure`;
  await sql`
    insert into unit_closure (ancestor_id, descendant_id, depth)
    with recursive c(ancestor_id, descendant_id, depth) as (
      select id, id, 0 from units
      union all
      select c.ancestor_id, u.id, c.depth + 1 from c join units u on u.parent_id = c.descendant_id
    )
    select ancestor_id, descendant_id, depth from c`;
}
