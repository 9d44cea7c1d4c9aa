/**
 * Why a unit moved: its rank change and, per indicator, the change in points against the previous
 * period of the same kind, biggest first. Pure and structure only: the words ("giảm 3 bậc: Hồ sơ đúng
 * hạn −4,20 điểm, …") are src/lib/i18n/explain.ts's, in the reader's language.
 */
export interface ScoredRow {
  rank: number | null;
  total: number | null;
  indicators: Record<string, { points: number | null } | undefined>;
}

export interface ChangePart {
  key: string;
  nameVi: string;
  /** Points now − points in the previous period. */
  delta: number;
}

export interface RankExplanation {
  /** Places gained (+) or lost (−); null without both ranks. */
  places: number | null;
  totalDelta: number | null;
  /** Indicators whose points moved (at least 0.01), biggest move first. */
  parts: ChangePart[];
}

export function explainChange(
  current: ScoredRow,
  previous: ScoredRow | null,
  indicators: readonly { key: string; nameVi: string }[]
): RankExplanation {
  if (!previous || previous.rank === null || current.rank === null) return { places: null, totalDelta: null, parts: [] };
  const places = previous.rank - current.rank;
  const totalDelta = current.total !== null && previous.total !== null ? Math.round((current.total - previous.total) * 100) / 100 : null;
  const parts: ChangePart[] = [];
  for (const ind of indicators) {
    const now = current.indicators[ind.key]?.points;
    const before = previous.indicators[ind.key]?.points;
    if (now === null || now === undefined || before === null || before === undefined) continue;
    const delta = Math.round((now - before) * 100) / 100;
    if (Math.abs(delta) >= 0.01) parts.push({ key: ind.key, nameVi: ind.nameVi, delta });
  }
  parts.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.key.localeCompare(b.key));
  return { places, totalDelta, parts };
}
