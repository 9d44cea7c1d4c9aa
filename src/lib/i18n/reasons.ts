/**
 * Why a unit is not ranked, in words, from its code (src/lib/domain/board.ts NotRanked): "chưa có số
 * liệu về Kích hoạt định danh điện tử và Hoàn thành nhiệm vụ" / "no data for e-ID activation and Tasks
 * completed". The server words it in Vietnamese for the API and the exports (BoardRow.notRankedReason).
 */
import type { NotRanked } from '#domain/board';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import { listAnd } from './intl.ts';
import { indicatorName } from './names.ts';

/** The reason alone; `indicators` (the board's) name the indicators with no data (an unknown key is shown as it is). */
export function notRankedReason(
  notRanked: NotRanked,
  indicators: readonly { key: string; nameVi: string; nameEn?: string | null }[],
  locale: Locale
): string {
  const o = { locale };
  switch (notRanked.code) {
    case 'no_data': {
      const missing = notRanked.indicators;
      // Nothing of the whole scheme: one short phrase rather than every indicator's name.
      if (!missing.length || (indicators.length > 0 && indicators.every((i) => missing.includes(i.key)))) return m.reason_no_data_at_all({}, o);
      const names = missing.map((key) => {
        const ind = indicators.find((i) => i.key === key);
        return ind ? indicatorName(ind, locale) : key;
      });
      return m.reason_no_data({ indicators: listAnd(names, locale) }, o);
    }
    case 'nothing_to_score':
      return m.reason_nothing_to_score({}, o);
    case 'not_computed':
      return m.reason_not_computed({}, o);
  }
}

/** The line a board or a unit page shows: "Chưa xếp hạng: chưa tính cho kỳ này" / "Not ranked: not computed for this period yet". */
export function notRankedLine(
  notRanked: NotRanked,
  indicators: readonly { key: string; nameVi: string; nameEn?: string | null }[],
  locale: Locale
): string {
  return m.common_not_ranked_reason({ reason: notRankedReason(notRanked, indicators, locale) }, { locale });
}
