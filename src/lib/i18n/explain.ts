/**
 * Why a unit moved, in words (the structure is src/lib/domain/explain.ts's): "giảm 3 bậc (tổng −3,20):
 * Hồ sơ đúng hạn −4,20 điểm, Nhiệm vụ +1,00 điểm" / "down 3 places (total −3,20): Dossiers on time
 * −4,20 points, Tasks completed +1,00 points". The server words it in Vietnamese for the API and the
 * exports (BoardRow.change.sentence); the screens in the reader's language.
 */
import type { RankExplanation } from '#domain/explain';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import { count, listOf, signedPoints } from './intl.ts';
import { indicatorName } from './names.ts';

/**
 * `indicators` name the parts (a part not among them keeps its nameVi); `maxParts` parts at most (2);
 * `ranked: false` says the unit has no rank this period (read only when `places` is null).
 */
export function changeSentence(
  change: Pick<RankExplanation, 'places' | 'totalDelta' | 'parts' | 'passed' | 'passedBy'>,
  indicators: readonly { key: string; nameVi: string; nameEn?: string | null }[],
  locale: Locale,
  options: { maxParts?: number; ranked?: boolean } = {}
): string {
  const o = { locale };
  const { places, totalDelta, parts } = change;
  if (places === null) return options.ranked === false ? m.change_not_ranked({}, o) : m.change_no_previous({}, o);
  const n = Math.abs(places);
  let head: string =
    places > 0 ? m.change_up({ count: n, n: count(n) }, o) : places < 0 ? m.change_down({ count: n, n: count(n) }, o) : m.change_same({}, o);
  if (totalDelta !== null && totalDelta !== 0) head = m.change_total({ head, delta: signedPoints(totalDelta) }, o);
  const shown = parts.slice(0, options.maxParts ?? 2).map((p) => {
    const ind = indicators.find((i) => i.key === p.key);
    return m.change_part({ indicator: ind ? indicatorName(ind, locale) : p.nameVi, delta: signedPoints(p.delta) }, o);
  });
  // Rose while its points fell (or fell while they rose): the others moved further; name the biggest.
  const named = (units: NonNullable<RankExplanation['passed']>) =>
    listOf(units.slice(0, 2).map((u) => (u.totalDelta === null ? u.unitName : m.change_unit_delta({ unit: u.unitName, delta: signedPoints(u.totalDelta) }, o))), locale);
  let relative: string | null = null;
  if (places > 0 && totalDelta !== null && totalDelta < 0 && change.passed?.length) relative = m.change_others_fell({ units: named(change.passed) }, o);
  if (places < 0 && totalDelta !== null && totalDelta > 0 && change.passedBy?.length) relative = m.change_others_rose({ units: named(change.passedBy) }, o);
  if (relative) return shown.length ? m.change_relative_with_parts({ head, relative, parts: listOf(shown, locale) }, o) : m.change_with_parts({ head, parts: relative }, o);
  return shown.length ? m.change_with_parts({ head, parts: listOf(shown, locale) }, o) : head;
}
