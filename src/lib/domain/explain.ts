/**
 * Why a unit moved: its rank change and, per indicator, the change in points against the previous
 * period of the same kind, biggest first — "giảm 3 bậc: Hồ sơ đúng hạn −4,20 điểm, Nhiệm vụ +1,00 điểm".
 * Pure: the board read model calls it, the unit tests check it.
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
  sentence: string;
}

const points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (n: number) => `${n > 0 ? '+' : '−'}${points.format(Math.abs(n))}`;

export function explainChange(
  current: ScoredRow,
  previous: ScoredRow | null,
  indicators: readonly { key: string; nameVi: string }[],
  maxParts = 2
): RankExplanation {
  if (!previous || previous.rank === null || current.rank === null) {
    const sentence = current.rank === null ? 'chưa xếp hạng kỳ này' : 'chưa có hạng kỳ trước để so sánh';
    return { places: null, totalDelta: null, parts: [], sentence };
  }
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
  const head = places > 0 ? `tăng ${places} bậc` : places < 0 ? `giảm ${-places} bậc` : 'giữ hạng';
  const shown = parts.slice(0, maxParts).map((p) => `${p.nameVi} ${signed(p.delta)} điểm`);
  const total = totalDelta === null || totalDelta === 0 ? '' : ` (tổng ${signed(totalDelta)})`;
  const sentence = shown.length ? `${head}${total}: ${shown.join(', ')}` : `${head}${total}`;
  return { places, totalDelta, parts, sentence };
}
