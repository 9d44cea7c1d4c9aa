/**
 * Which briefing: the scope's children ranked for the period of `period` kind that contains `date`
 * (the operations scheme). Read by GET /api/v1/briefings and the print page alike; a bad parameter
 * is named in words, in the reader's language.
 */
import { z } from 'zod';
import { BOARD_PERIOD_KINDS, boardPeriodKindSchema, gsoCodeSchema, isoDateSchema, type BoardPeriodKind } from '#contract/dto';
import { m } from '../../paraglide/messages.js';
import type { Locale } from '../../paraglide/runtime.js';

export const briefingQuerySchema = z.object({ scope: gsoCodeSchema, period: boardPeriodKindSchema, date: isoDateSchema });
export type BriefingQuery = { scope: string; period: BoardPeriodKind; date: string };

/** The meeting's period when none is asked for: the reporting month (Decree 09: the 15th to the 14th). */
export const BRIEFING_DEFAULT_PERIOD: BoardPeriodKind = 'report_month';

/** The print page's path (the route id too). */
export const PRINT_PATH = '/briefings/print';

const PARAMS = ['scope', 'period', 'date'] as const;

/** What each parameter must be, in words. */
function rule(param: (typeof PARAMS)[number], locale: Locale): string {
  const o = { locale };
  if (param === 'scope') return m.brief_param_scope({}, o);
  if (param === 'period') return m.brief_param_period({ kinds: BOARD_PERIOD_KINDS.join(', ') }, o);
  return m.brief_param_date({}, o);
}

export type ParsedBriefingQuery = { ok: true; query: BriefingQuery } | { ok: false; param: string; message: string };

/** The query from a URL (only its scope, period and date), the defaults filled in; the first bad parameter named in words. */
export function parseBriefingQuery(url: URL, defaults: BriefingQuery, locale: Locale): ParsedBriefingQuery {
  const raw: Record<string, string> = { ...defaults };
  for (const p of PARAMS) {
    const v = url.searchParams.get(p);
    if (v !== null) raw[p] = v;
  }
  const result = briefingQuerySchema.safeParse(raw);
  if (result.success) return { ok: true, query: result.data };
  const param = PARAMS.find((p) => result.error.issues.some((i) => i.path[0] === p)) ?? 'scope';
  return { ok: false, param, message: m.brief_bad_param({ param, value: raw[param] ?? '', rule: rule(param, locale) }, { locale }) };
}
