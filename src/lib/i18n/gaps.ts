/**
 * What it would take a unit to move up, in words (the structure is src/lib/domain/gaps.ts's):
 * "Cần thêm 1,40 điểm để lên hạng 2 (Huyện B): 6 hồ sơ đúng hạn nữa, hoặc 47 tài khoản được kích hoạt
 * nữa" / "Needs 1,40 more points to reach rank 2 (Huyện B): 6 more dossiers on time, or 47 more
 * activated accounts". Numbers keep the vi-VN formats in both languages.
 */
import type { IndicatorMeta, NotRanked } from '#domain/board';
import type { Gap, GapOption, UnitFocus, UnitGaps } from '#domain/gaps';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import { count, listAnd, listOf, pointsOf } from './intl.ts';
import { bandName, indicatorName } from './names.ts';
import { notRankedReason } from './reasons.ts';

type Indicators = readonly Pick<IndicatorMeta, 'key' | 'nameVi' | 'nameEn' | 'numeratorNounVi'>[];
type Plural = (inputs: { count: number; n: string }, options: { locale: Locale }) => string;

/** What one more unit of a built-in indicator's numerator is called (singular or plural in English). */
const NOUNS: Record<string, Plural> = {
  'dossier.on_time': m.noun_dossier_on_time,
  'dossier.online': m.noun_dossier_online,
  'dossier.digitized': m.noun_dossier_digitized,
  'dossier.paid_online': m.noun_dossier_paid_online,
  'eid.activation': m.noun_eid_activation,
  'payment.cashless': m.noun_payment_cashless,
  'task.completed': m.noun_task_completed,
  'task.on_time': m.noun_task_on_time
};

/**
 * What an indicator's numerator counts: "hồ sơ đúng hạn" / "dossiers on time" (`count` picks the
 * English singular or plural). Vietnamese: the noun the scheme stores with the indicator. English:
 * the messages' noun of a built-in indicator; null for any other (English has no noun for it).
 */
export function numeratorNoun(meta: { key: string; numeratorNounVi: string }, locale: Locale, n = 2): string | null {
  if (locale === 'vi') return meta.numeratorNounVi;
  const noun = Object.hasOwn(NOUNS, meta.key) ? NOUNS[meta.key]! : null;
  return noun ? noun({ count: n, n: count(n) }, { locale }) : null;
}

/** "12 hồ sơ đúng hạn" / "12 more dossiers on time" ("12 more (Custom thing)" without an English noun). */
function optionWords(o: GapOption, indicators: Indicators, locale: Locale): string {
  const meta = indicators.find((i) => i.key === o.key) ?? { key: o.key, nameVi: o.key, nameEn: o.key, numeratorNounVi: o.key };
  const noun = numeratorNoun(meta, locale, o.count) ?? m.gap_noun_unnamed({ indicator: indicatorName(meta, locale) }, { locale });
  return m.gap_count({ n: count(o.count), noun }, { locale });
}

/** The counts that close a gap: alone (the first `maxOptions`), else a combination, else the closest. */
function countsWords(gap: Gap, indicators: Indicators, locale: Locale, maxOptions: number): string {
  const o = { locale };
  const words = (x: GapOption) => optionWords(x, indicators, locale);
  if (gap.alone.length) {
    const [first, ...rest] = gap.alone.slice(0, maxOptions).map(words);
    return rest.reduce((options, option) => m.gap_alone_next({ options, option }, o), m.gap_alone_first({ option: first! }, o) as string);
  }
  if (gap.combination) return m.gap_combination({ options: listAnd(gap.combination.map(words), locale) }, o);
  if (gap.closest) return m.gap_closest({ option: words(gap.closest), total: pointsOf(gap.closest.totalAfter) }, o);
  return m.gap_none({}, o);
}

/** The units holding the rank to reach: "Huyện B", "Huyện B, Huyện C", "Huyện A và 2 đơn vị khác". */
function unitsWords(units: Gap['targetUnits'], locale: Locale): string {
  const names = units.map((u) => u.name);
  if (names.length <= 2) return listOf(names, locale);
  const others = names.length - 1;
  return m.gap_units_and_others({ first: names[0]!, count: others, n: count(others) }, { locale });
}

/** One gap: "Cần thêm 2,50 điểm để đạt mức Tốt: 10 hồ sơ đúng hạn nữa, hoặc …" (up to `maxOptions` (3) ways alone). */
export function gapSentence(gap: Gap, indicators: Indicators, locale: Locale, options: { maxOptions?: number } = {}): string {
  const o = { locale };
  const target =
    gap.kind === 'rank'
      ? m.gap_to_rank({ rank: count(gap.targetRank!), units: unitsWords(gap.targetUnits, locale) }, o)
      : m.gap_to_band({ band: bandName(gap.targetBand!, locale) }, o);
  return m.gap_needs({ points: pointsOf(gap.points), target, counts: countsWords(gap, indicators, locale, options.maxOptions ?? 3) }, o);
}

/** Why there is no gap to show: "Đang dẫn đầu (hạng 1)", "Đã ở mức cao nhất (Xuất sắc)", "Chưa xếp hạng (…): chưa tính được khoảng cách". */
export function gapNoteSentence(
  note: NonNullable<UnitGaps['rankNote'] | UnitGaps['bandNote']>,
  gaps: { currentBand: string | null; notRanked: NotRanked | null },
  indicators: Indicators,
  locale: Locale
): string {
  const o = { locale };
  switch (note) {
    case 'leading':
      return m.gap_leading({}, o);
    case 'tied_first':
      return m.gap_tied_first({}, o);
    case 'best':
      return gaps.currentBand ? m.gap_best_band({ band: bandName(gaps.currentBand, locale) }, o) : m.gap_best({}, o);
    case 'not_ranked':
      return gaps.notRanked ? m.gap_not_ranked_reason({ reason: notRankedReason(gaps.notRanked, indicators, locale) }, o) : m.gap_not_ranked({}, o);
  }
}

/** The lines of the unit page's gap panel: to the next rank (or why not), to the next band (or why not; null when not ranked: one line says it). */
export function gapLines(gaps: UnitGaps, indicators: Indicators, locale: Locale, options: { maxOptions?: number } = {}): { rank: string; band: string | null } {
  const rank = gaps.rank ? gapSentence(gaps.rank, indicators, locale, options) : gapNoteSentence(gaps.rankNote!, gaps, indicators, locale);
  const band = gaps.band
    ? gapSentence(gaps.band, indicators, locale, options)
    : gaps.bandNote === 'not_ranked' ? null : gapNoteSentence(gaps.bandNote!, gaps, indicators, locale);
  return { rank, band };
}

/**
 * The two flags at the top of the unit page (src/lib/domain/gaps.ts `unitFocus`): "Yếu nhất: Hồ sơ
 * đúng hạn, hạng 3/3 (37,50/50 điểm)" and "Nâng tổng điểm nhiều nhất: Hồ sơ đúng hạn, thêm 50 hồ sơ
 * đúng hạn nữa được +12,50 điểm (tổng 90,00), lên hạng 2". Each null when there is nothing to flag.
 */
export function focusLines(focus: UnitFocus, indicators: Indicators, currentRank: number | null, locale: Locale): { weakest: string | null; lift: string | null } {
  const o = { locale };
  const name = (key: string) => indicatorName(indicators.find((i) => i.key === key) ?? { nameVi: key }, locale);
  const w = focus.weakest;
  const weakest = w
    ? m.unit_focus_weakest({ indicator: name(w.key), rank: count(w.rank), of: count(w.ranked), points: pointsOf(w.points), max: count(w.maxPoints) }, o)
    : null;
  const l = focus.lift;
  const rank = l ? (currentRank !== null && l.rankAfter >= currentRank ? m.unit_focus_rank_keep({ rank: count(currentRank) }, o) : m.unit_focus_rank_to({ rank: count(l.rankAfter) }, o)) : '';
  const lift = l
    ? m.unit_focus_lift({ indicator: name(l.key), counts: optionWords({ key: l.key, count: l.count, totalAfter: l.totalAfter }, indicators, locale), gain: pointsOf(l.gain), total: pointsOf(l.totalAfter), rank }, o)
    : null;
  return { weakest, lift };
}
