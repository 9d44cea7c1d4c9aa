/**
 * Server reads of the 766 screens beside the board itself: where a board of a scheme with published
 * scores opens while the portal has not published the current period (it publishes a month a few days
 * after it ends).
 */
import type { Queryable } from '#db/client';
import { periodOf, type PeriodKind } from '#domain/periods';
import { newestRankedPeriodStart } from './read/p766-queries.ts';

export interface Opening {
  /** The date to open on: the asked one, or a day of the newest period with a ranked row. */
  date: string;
  /** Set when the asked period has nothing ranked yet and an earlier one is shown instead. */
  unpublished: { asked: { kind: PeriodKind; start: string }; shown: { kind: PeriodKind; start: string } } | null;
}

/** The period a board opens on: the asked one, unless nothing of it is ranked and an earlier one of the same kind is. */
export async function publishedOpening(q: Queryable, board: { schemeKey: string; scope: string; kind: PeriodKind; date: string }): Promise<Opening> {
  const current = periodOf(board.kind, board.date);
  const newest = await newestRankedPeriodStart(q, { schemeKey: board.schemeKey, scopeCode: board.scope, kind: board.kind, notAfter: current.end });
  if (newest === null || newest >= current.start) return { date: board.date, unpublished: null };
  return { date: newest, unpublished: { asked: { kind: board.kind, start: current.start }, shown: { kind: board.kind, start: newest } } };
}
