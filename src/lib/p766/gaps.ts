/**
 * The gap to the next rank and band of a board whose total is a plain sum (the 766 index: the sum
 * of the rounded sub-indicator points, a sub-indicator without points counting 0), through the
 * domain's `unitGaps` (src/lib/domain/gaps.ts), which scores a total as the operations scheme does:
 * Σ points of the indicators that apply, rescaled to the scheme's maximum. Two things differ on a
 * summed board, and both are made to hold here without touching the domain:
 * - a sub-indicator without points (0 of 0 under the "none" rule) counts 0 instead of shrinking the
 *   maximum the total is scaled over: its points are given as 0 (its counts stay 0 of 0, so no count
 *   is proposed on it);
 * - the total shown may be the portal's published one, not the sum of ours: the difference is carried
 *   by a pseudo-indicator of 0 maximum points with no counts, so the total the domain recomputes
 *   starts from the shown one, and a count earns the points it earns on ours.
 * The zero-denominator rules hold as they are: "zero" (progress with nothing received) and 0 of 0
 * offer no count (nothing received cannot be on time), "full" is already at its maximum.
 */
import type { Board, BoardRow, IndicatorMeta } from '#domain/board';
import { unitGaps, type UnitGaps } from '#domain/gaps';

/** The pseudo-indicator that carries "shown total − Σ our points". */
export const SHOWN_TOTAL_OFFSET = '__shown_total_offset';

const r2 = (v: number) => Math.round(v * 100) / 100;

const OFFSET_META: IndicatorMeta = {
  key: SHOWN_TOTAL_OFFSET, family: 'dossier', nameVi: '', nameEn: '', maxPoints: 0, saturation: 1, numeratorNounVi: '',
  group: null, published: true, zeroDenominator: 'none'
};

/** The board as the domain's gap rules read it: every row's total the same, now computed as Σ points. */
export function asSummedBoard(board: Board): Board {
  const rows: BoardRow[] = board.rows.map((row) => {
    const indicators: BoardRow['indicators'] = {};
    let sum = 0;
    for (const meta of board.indicators) {
      const v = row.indicators[meta.key] ?? { numerator: null, denominator: null, ratio: null, points: null, rank: null };
      const points = v.points ?? 0;
      sum += points;
      indicators[meta.key] = { ...v, points };
    }
    indicators[SHOWN_TOTAL_OFFSET] = { numerator: null, denominator: null, ratio: null, points: row.total === null ? 0 : r2(row.total - sum), rank: null };
    return { ...row, indicators };
  });
  return { ...board, indicators: [...board.indicators, OFFSET_META], rows };
}

/** unitGaps on a board: a summed board (one with scheme groups) through asSummedBoard, any other as it is. */
export function gapsOf(board: Board, unitCode: string): UnitGaps | null {
  return unitGaps(board.schemeGroups.length ? asSummedBoard(board) : board, unitCode);
}
