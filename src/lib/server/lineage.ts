/**
 * A unit's place in the reforms, for its page (issue 14): the units that went into it (whole or in
 * part, with the register's note) and the units it went into — or, for a unit that ended with its
 * children (a district of 2024), the new units its children went into. Words are the page's
 * (src/lib/i18n/lineage.ts); this is structure.
 */
import type { Queryable } from '#db/client';
import { classifyMergeNote } from '#domain/lineage';
import { childSuccessorRows, childrenInForce, firstDaysInForce, predecessorRows, successorRows, type LinkedUnitRow } from './read/lineage-queries.ts';

export interface LineageUnit {
  code: string;
  name: string;
  type: string;
  level: string;
  /** Days in force (YYYY-MM-DD, inclusive; null: open). */
  validFrom: string | null;
  validTo: string | null;
  parent: { code: string; name: string } | null;
}

export interface LineageLink extends LineageUnit {
  /** The register's own words ("Nhập toàn bộ", "Nhập một phần" …). */
  note: string;
  /** Whole: the unit went into the other whole; part: only part of it (its figures shared, estimated). */
  kind: 'whole' | 'part';
  /** 0..1: the part of the predecessor's figures that counts in the successor. */
  share: number;
  estimated: boolean;
}

export interface ChildSuccessor extends LineageUnit {
  /** How many of the unit's children went into it, and how many of those whole. */
  children: number;
  whole: number;
}

export interface UnitLineage {
  predecessors: LineageLink[];
  successors: LineageLink[];
  /** Only when the unit has no successors of its own: the units its children went into. */
  childSuccessors: ChildSuccessor[];
}

const unitOf = (r: Omit<LinkedUnitRow, 'note' | 'share' | 'estimated'>): LineageUnit => ({
  code: r.code, name: r.name, type: r.type, level: r.level, validFrom: r.valid_from, validTo: r.valid_to,
  parent: r.parent_code !== null && r.parent_name !== null ? { code: r.parent_code, name: r.parent_name } : null
});

const linkOf = (r: LinkedUnitRow): LineageLink => ({
  ...unitOf(r), note: r.note, share: r.share, estimated: r.estimated,
  kind: classifyMergeNote(r.note) === 'whole' && !r.estimated ? 'whole' : 'part'
});

export async function readUnitLineage(q: Queryable, unitId: number): Promise<UnitLineage> {
  const [predecessors, successors] = await Promise.all([predecessorRows(q, unitId), successorRows(q, unitId)]);
  const childSuccessors = successors.length ? [] : (await childSuccessorRows(q, unitId)).map((r) => ({ ...unitOf(r), children: r.children, whole: r.whole }));
  return { predecessors: predecessors.map(linkOf), successors: successors.map(linkOf), childSuccessors };
}

/**
 * The day before which the estimated rows' figures hold shares of units that went into them in part
 * (the first day in force of those units, on the board's last day): the "ước tính" footnote's date.
 * Null when no row is estimated.
 */
export async function estimateBefore(q: Queryable, board: { period: { end: string }; rows: readonly { unitCode: string; estimated: boolean }[] }): Promise<string | null> {
  const codes = board.rows.filter((r) => r.estimated).map((r) => r.unitCode);
  if (!codes.length) return null;
  const days = await firstDaysInForce(q, codes, board.period.end);
  return days.at(-1) ?? null;
}

/** Whether a unit has children in force on `day` (readUnit's hasChildren counts any child, ended or not). */
export async function hasChildrenInForce(q: Queryable, unitId: number, day: string): Promise<boolean> {
  return (await childrenInForce(q, unitId, day)) > 0;
}
