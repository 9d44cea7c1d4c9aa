/**
 * vi-VN formats for numbers, ratios, dates and times (Asia/Ho_Chi_Minh). The issue asks for vi-VN
 * formats, so they stay vi-VN in English too ("1.234", "87,5 %", "20/11/2026"): only the words
 * (periods, rank changes, trends) follow the reader's language, from the Paraglide messages.
 */
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';
import { m } from './paraglide/messages.js';
import { getLocale, type Locale } from './paraglide/runtime.js';

const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const formatInteger = (n: number | null | undefined) => (n === null || n === undefined ? '—' : integer.format(n));
export const formatPoints = (n: number | null | undefined) => (n === null || n === undefined ? '—' : points.format(n));
export const formatPercent = (r: number | null | undefined) => (r === null || r === undefined ? '—' : percent.format(r));

export function formatDate(iso: string): string {
  return DateTime.fromISO(iso, { zone: ZONE }).setLocale('vi').toFormat('dd/MM/yyyy');
}

/** An instant (ISO 8601, or PostgreSQL's "2026-11-22 14:08:00+00" text) as HH:mm dd/MM in ICT. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  // PostgreSQL writes "2026-11-22 14:08:00.12+00": make it ISO ("T", and "+00:00").
  const text = iso.includes(' ') && !iso.includes('T') ? iso.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00') : iso;
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) return '—';
  return DateTime.fromJSDate(at).setZone(ZONE).setLocale('vi').toFormat('HH:mm dd/MM');
}

/** An instant as "14:08" when it is today, "14:08 20/11" another day (ICT). */
export function formatClock(iso: string | null): string {
  if (!iso) return '—';
  const at = DateTime.fromISO(iso).setZone(ZONE);
  if (!at.isValid) return '—';
  return at.hasSame(DateTime.now().setZone(ZONE), 'day') ? at.toFormat('HH:mm') : at.toFormat('HH:mm dd/MM');
}

/** A period in words: "Tháng 11/2026", "Tuần 47/2026 (16/11 – 22/11)", "Kỳ báo cáo tháng 11/2026 (15/10 – 14/11)" … (English: "Month 11/2026" …). */
export function formatPeriod(kind: string, start: string, locale: Locale = getLocale()): string {
  const dt = DateTime.fromISO(start, { zone: ZONE }).setLocale('vi');
  const o = { locale };
  switch (kind) {
    case 'day':
      return m.period_day({ date: dt.toFormat('dd/MM/yyyy') }, o);
    case 'week':
      return m.period_week({ week: dt.toFormat('W/kkkk'), from: dt.toFormat('dd/MM'), to: dt.plus({ days: 6 }).toFormat('dd/MM') }, o);
    case 'month':
      return m.period_month({ month: dt.toFormat('MM/yyyy') }, o);
    case 'quarter':
      return m.period_quarter({ quarter: dt.quarter, year: dt.year }, o);
    case 'year':
      return m.period_year({ year: dt.year }, o);
    case 'report_month': {
      const end = dt.plus({ months: 1 }).minus({ days: 1 });
      return m.period_report_month({ month: end.toFormat('MM/yyyy'), from: dt.toFormat('dd/MM'), to: end.toFormat('dd/MM') }, o);
    }
    case 'report_quarter': {
      const end = dt.plus({ months: 3 }).minus({ days: 1 });
      return m.period_report_quarter({ quarter: end.quarter, year: end.year, from: dt.toFormat('dd/MM/yyyy'), to: end.toFormat('dd/MM/yyyy') }, o);
    }
    case 'report_year': {
      const end = dt.plus({ years: 1 }).minus({ days: 1 });
      return m.period_report_year({ year: end.year, from: dt.toFormat('dd/MM/yyyy'), to: end.toFormat('dd/MM/yyyy') }, o);
    }
    default:
      return start;
  }
}

/** "▲ 3", "▼ 1", "=" or "mới" / "new" (no previous rank), from the previous and current rank. */
export function rankChange(
  rank: number | null,
  previous: number | null,
  locale: Locale = getLocale()
): { text: string; label: string; dir: 'up' | 'down' | 'same' | 'new' } {
  const o = { locale };
  if (rank === null) return { text: '', label: '', dir: 'same' };
  if (previous === null) return { text: m.rank_new({}, o), label: m.rank_new_label({}, o), dir: 'new' };
  const d = previous - rank;
  if (d > 0) return { text: `▲ ${d}`, label: m.rank_up_label({ count: d, n: formatInteger(d) }, o), dir: 'up' };
  if (d < 0) return { text: `▼ ${-d}`, label: m.rank_down_label({ count: -d, n: formatInteger(-d) }, o), dir: 'down' };
  return { text: '=', label: m.rank_same_label({}, o), dir: 'same' };
}

const PERIOD_WORDS: Record<string, (o: { locale: Locale }) => string> = {
  day: (o) => m.trend_day({}, o),
  week: (o) => m.trend_week({}, o),
  month: (o) => m.trend_month({}, o),
  quarter: (o) => m.trend_quarter({}, o),
  year: (o) => m.trend_year({}, o),
  report_month: (o) => m.trend_report_month({}, o),
  report_quarter: (o) => m.trend_report_quarter({}, o),
  report_year: (o) => m.trend_report_year({}, o)
};

/** What a KPI tile's trend line covers: "xu hướng 12 tháng gần nhất" / "trend over the last 12 months". */
export function trendLabel(kind: string, count: number, locale: Locale = getLocale()): string {
  const o = { locale };
  const word = Object.hasOwn(PERIOD_WORDS, kind) ? PERIOD_WORDS[kind]!(o) : m.trend_other({}, o);
  return m.trend_label({ count: formatInteger(count), period: word }, o);
}

/** The ISO days inside a sentence (the server's words: "ngày kết thúc (2026-12-03)") written as the screens write days: "03/12/2026". */
export function daysShown(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1');
}

const targetPercent = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 2 });
/** A target as set: 0.95 → "95%", 0.955 → "95,5%" (no trailing zeros: it was typed that way). */
export const formatTarget = (r: number | null | undefined) => (r === null || r === undefined ? '—' : targetPercent.format(r));
/** A target as typed in the admin form: 0.955 → "95,5". */
export const targetInput = (r: number) => String(Math.round(r * 10000) / 100).replace('.', ',');
