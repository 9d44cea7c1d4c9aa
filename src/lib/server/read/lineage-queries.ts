/**
 * Reads of unit_lineage for the unit page (issue 14): which units went into a unit (its
 * predecessors, with the register's note and share), which it went into (its successors), and, for
 * a unit whose own children were merged (a district that ended with its communes), the new units
 * its children went into. Raw SQL, rows parsed (db/rows.ts). Owned by the screens (a new file).
 */
import { z } from 'zod';
import type { Queryable } from '#db/client';
import { int, isoDate, num, parseRows } from '#db/rows';

const linkedUnitRow = z.object({
  code: z.string(),
  name: z.string(),
  type: z.string(),
  level: z.string(),
  valid_from: isoDate.nullable(),
  valid_to: isoDate.nullable(),
  parent_code: z.string().nullable(),
  parent_name: z.string().nullable(),
  note: z.string(),
  share: num,
  estimated: z.boolean()
});
export type LinkedUnitRow = z.output<typeof linkedUnitRow>;

/** The units that went into `unitId`, by name, with their parent then (an old commune's district). */
export async function predecessorRows(q: Queryable, unitId: number): Promise<LinkedUnitRow[]> {
  const rows = await q`
    select u.gso_code as code, u.name, u.type, u.level, to_char(u.valid_from, 'YYYY-MM-DD') as valid_from, to_char(u.valid_to, 'YYYY-MM-DD') as valid_to,
           p.gso_code as parent_code, p.name as parent_name, l.note, l.share, l.estimated
    from unit_lineage l join units u on u.id = l.predecessor_id left join units p on p.id = u.parent_id
    where l.successor_id = ${unitId}
    order by l.share = 1 and not l.estimated desc, u.name, u.id`;
  return parseRows('predecessorRows', linkedUnitRow, rows);
}

/** The units `unitId` went into, by name. */
export async function successorRows(q: Queryable, unitId: number): Promise<LinkedUnitRow[]> {
  const rows = await q`
    select u.gso_code as code, u.name, u.type, u.level, to_char(u.valid_from, 'YYYY-MM-DD') as valid_from, to_char(u.valid_to, 'YYYY-MM-DD') as valid_to,
           p.gso_code as parent_code, p.name as parent_name, l.note, l.share, l.estimated
    from unit_lineage l join units u on u.id = l.successor_id left join units p on p.id = u.parent_id
    where l.predecessor_id = ${unitId}
    order by u.name, u.id`;
  return parseRows('successorRows', linkedUnitRow, rows);
}

const childSuccessorRow = linkedUnitRow.omit({ note: true, share: true, estimated: true }).extend({
  /** How many of the unit's children went into it, and how many of those whole. */
  children: int,
  whole: int
});
export type ChildSuccessorRow = z.output<typeof childSuccessorRow>;

/** The units the children of `unitId` went into (a district that ended: the new communes its communes joined). */
export async function childSuccessorRows(q: Queryable, unitId: number): Promise<ChildSuccessorRow[]> {
  const rows = await q`
    select u.gso_code as code, u.name, u.type, u.level, to_char(u.valid_from, 'YYYY-MM-DD') as valid_from, to_char(u.valid_to, 'YYYY-MM-DD') as valid_to,
           p.gso_code as parent_code, p.name as parent_name,
           count(*)::int as children, (count(*) filter (where l.share = 1 and not l.estimated))::int as whole
    from units c join unit_lineage l on l.predecessor_id = c.id join units u on u.id = l.successor_id left join units p on p.id = u.parent_id
    where c.parent_id = ${unitId}
    group by u.id, p.id
    order by u.name, u.id`;
  return parseRows('childSuccessorRows', childSuccessorRow, rows);
}

/**
 * The first day in force of the units of these codes that are in force on `day`, earliest first:
 * the day before which a unit's figures include the shares of units that went into it in part.
 */
export async function firstDaysInForce(q: Queryable, codes: readonly string[], day: string): Promise<string[]> {
  if (!codes.length) return [];
  const rows = await q`
    select distinct to_char(valid_from, 'YYYY-MM-DD') as day from units
    where gso_code = any(${codes as string[]}) and valid_from is not null
      and valid_from <= ${day}::date and (valid_to is null or valid_to >= ${day}::date)
    order by 1`;
  return parseRows('firstDaysInForce', z.object({ day: isoDate }), rows).map((r) => r.day);
}

/** How many children of `unitId` are in force on `day` (YYYY-MM-DD). */
export async function childrenInForce(q: Queryable, unitId: number, day: string): Promise<number> {
  const rows = await q`
    select count(*)::int as n from units
    where parent_id = ${unitId} and (valid_from is null or valid_from <= ${day}::date) and (valid_to is null or valid_to >= ${day}::date)`;
  return parseRows('childrenInForce', z.object({ n: int }), rows)[0]!.n;
}
