/**
 * What the wall's 766 scene loads: the newest month the national portal has published for the
 * screen's scope (the current month has nothing until a few days after it ends), its board of the
 * national_766 scheme, the previous month's headline for the change, and the months after it that
 * the scene watches for their publication.
 */
import type { Sql } from '#db/client';
import type { Board, BoardQuery, ScopeScore } from '#contract/dto';
import { NotFoundError, readActiveSchemes, readBoard } from '#server/boards';
import { periodOf, previousPeriod } from '#domain/periods';
import { hasPublished, months766, WALL_766_SCHEME } from './wall766.ts';

export interface Wall766Data {
  /** ready: a month to show; no_scheme: the installation has no national_766 scheme in force; no_data: the portal has published no month yet. */
  state: 'ready' | 'no_scheme' | 'no_data';
  board: Board | null;
  /** The month before the one shown: its headline, for the change (null: not stored). */
  previous: { start: string; scopeScore: ScopeScore | null } | null;
  months: { shown: string | null; previous: string | null; pending: string[] };
  /** The shown board's query, for its live subscription. */
  query: BoardQuery | null;
  /** The months after the shown one (up to today's): a push that brings one published reloads the scene. */
  watch: BoardQuery[];
}

const monthQuery = (scope: string, start: string): BoardQuery => ({ scope, period: 'month', date: start, scheme: WALL_766_SCHEME });

/** The newest month up to `day`'s with a score the portal published for a unit of `scope` (YYYY-MM-DD), or null. */
export async function newestPublishedMonth(db: Sql, scope: string, day: string): Promise<string | null> {
  const [row] = await db<{ start: string | null }[]>`
    select max(r.period_start)::text as start
    from rankings r join units s on s.id = r.scope_unit_id
    where s.gso_code = ${scope} and r.scheme_key = ${WALL_766_SCHEME} and r.period_kind = 'month'
      and r.period_start <= ${periodOf('month', day).start}::date and r.total_published is not null`;
  return row?.start ?? null;
}

export async function readWall766(db: Sql, scope: string, day: string): Promise<Wall766Data> {
  const none = (state: Wall766Data['state'], watch: BoardQuery[]): Wall766Data => ({ state, board: null, previous: null, months: months766(null, day), query: null, watch });
  if (!(await readActiveSchemes(db)).some((s) => s.key === WALL_766_SCHEME)) return none('no_scheme', []);
  const newest = await newestPublishedMonth(db, scope, day);
  // Nothing published yet: watch this month and the last (published a few days after it ends).
  const current = periodOf('month', day);
  if (newest === null) return none('no_data', [monthQuery(scope, previousPeriod(current).start), monthQuery(scope, current.start)]);
  const months = months766(newest, day);
  const query = monthQuery(scope, newest);
  try {
    const [board, previous] = await Promise.all([
      readBoard(db, query),
      readBoard(db, monthQuery(scope, months.previous!)).catch((e) => {
        if (e instanceof NotFoundError) return null;
        throw e;
      })
    ]);
    if (!hasPublished(board)) return none('no_data', months.pending.map((m) => monthQuery(scope, m)));
    return {
      state: 'ready', board, months, query, watch: months.pending.map((m) => monthQuery(scope, m)),
      previous: previous ? { start: months.previous!, scopeScore: previous.scopeScore } : null
    };
  } catch (e) {
    if (e instanceof NotFoundError) return none('no_data', months.pending.map((m) => monthQuery(scope, m)));
    throw e;
  }
}
