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

/** The languages a sentence can be rendered in (the screens' two: Vietnamese, English). */
export type SentenceLocale = 'vi' | 'en';

/** Numbers stay vi-VN in both languages (the issue asks for vi-VN formats): "−4,20". */
const points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (n: number) => `${n > 0 ? '+' : '−'}${points.format(Math.abs(n))}`;

export function explainChange(
  current: ScoredRow,
  previous: ScoredRow | null,
  indicators: readonly { key: string; nameVi: string }[],
  maxParts = 2
): RankExplanation {
  if (!previous || previous.rank === null || current.rank === null) {
    const change = { places: null, totalDelta: null, parts: [] };
    return { ...change, sentence: changeSentence(change, indicators, 'vi', { ranked: current.rank !== null }) };
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
  const change = { places, totalDelta, parts };
  return { ...change, sentence: changeSentence(change, indicators, 'vi', { maxParts }) };
}

/**
 * The sentence of an explanation in a language, from its structure: what `explainChange` puts in
 * `sentence` (Vietnamese, for the API, the exports and the wall), or the same in English for the
 * screens — "down 3 places (total −3,20): Dossiers on time −4,20 points, Tasks completed +1,00 points".
 * `indicators` name the parts (nameEn in English; a part not among them keeps its nameVi);
 * `ranked: false` says the unit has no rank this period (only read when `places` is null).
 */
export function changeSentence(
  change: Pick<RankExplanation, 'places' | 'totalDelta' | 'parts'>,
  indicators: readonly { key: string; nameVi: string; nameEn?: string }[],
  locale: SentenceLocale,
  options: { maxParts?: number; ranked?: boolean } = {}
): string {
  const en = locale === 'en';
  const { places, totalDelta, parts } = change;
  if (places === null) {
    if (options.ranked === false) return en ? 'not ranked this period' : 'chưa xếp hạng kỳ này';
    return en ? 'no rank in the previous period to compare with' : 'chưa có hạng kỳ trước để so sánh';
  }
  const n = Math.abs(places);
  const head = en
    ? places === 0 ? 'kept its rank' : `${places > 0 ? 'up' : 'down'} ${n} ${n === 1 ? 'place' : 'places'}`
    : places > 0 ? `tăng ${places} bậc` : places < 0 ? `giảm ${-places} bậc` : 'giữ hạng';
  const nameOf = (p: ChangePart) => {
    const ind = indicators.find((i) => i.key === p.key);
    return en ? ind?.nameEn || ind?.nameVi || p.nameVi : p.nameVi;
  };
  const unit = en ? 'points' : 'điểm';
  const shown = parts.slice(0, options.maxParts ?? 2).map((p) => `${nameOf(p)} ${signed(p.delta)} ${unit}`);
  const total = totalDelta === null || totalDelta === 0 ? '' : ` (${en ? 'total' : 'tổng'} ${signed(totalDelta)})`;
  return shown.length ? `${head}${total}: ${shown.join(', ')}` : `${head}${total}`;
}
