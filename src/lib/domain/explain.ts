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

/** A unit whose order against this one flipped between the two periods, with its own change of total. */
export interface Crossed {
  unitCode: string;
  unitName: string;
  totalDelta: number | null;
}

export interface RankExplanation {
  /** Places gained (+) or lost (−); null without both ranks. */
  places: number | null;
  totalDelta: number | null;
  /** Indicators whose points moved (at least 0.01), biggest move first. */
  parts: ChangePart[];
  /** The units it passed (ahead of it before, behind it now), those that fell most first. */
  passed?: Crossed[];
  /** The units that passed it, those that rose most first. */
  passedBy?: Crossed[];
}

/** A board's row as `crossings` reads it: its place now and in the previous period, in its group. */
export interface PlacedRow {
  code: string;
  name: string;
  /** Rows are ranked within their group (communes apart from departments). */
  group: string;
  rank: number | null;
  total: number | null;
  previousRank: number | null;
  previousTotal: number | null;
}

/**
 * For each row ranked in both periods: the rows of its group it passed and those that passed it.
 * This is what makes a move relative: a unit whose points fell can still rise, because the ones it
 * passed fell further (and one whose points rose can drop, because others rose more).
 */
export function crossings(rows: readonly PlacedRow[]): Map<string, { passed: Crossed[]; passedBy: Crossed[] }> {
  const ranked = rows.filter((r) => r.rank !== null && r.previousRank !== null);
  const delta = (r: PlacedRow) => (r.total !== null && r.previousTotal !== null ? Math.round((r.total - r.previousTotal) * 100) / 100 : null);
  const out = new Map<string, { passed: Crossed[]; passedBy: Crossed[] }>();
  for (const u of ranked) {
    const passed: Crossed[] = [];
    const passedBy: Crossed[] = [];
    for (const v of ranked) {
      if (v === u || v.group !== u.group) continue;
      const crossed = { unitCode: v.code, unitName: v.name, totalDelta: delta(v) };
      if (v.previousRank! < u.previousRank! && v.rank! > u.rank!) passed.push(crossed);
      else if (v.previousRank! > u.previousRank! && v.rank! < u.rank!) passedBy.push(crossed);
    }
    const by = (sign: 1 | -1) => (a: Crossed, b: Crossed) =>
      (a.totalDelta === null ? 1 : 0) - (b.totalDelta === null ? 1 : 0) || sign * ((a.totalDelta ?? 0) - (b.totalDelta ?? 0)) || a.unitCode.localeCompare(b.unitCode);
    out.set(u.code, { passed: passed.sort(by(1)), passedBy: passedBy.sort(by(-1)) });
  }
  return out;
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
