/** vi-VN formats for numbers, ratios, dates and times (Asia/Ho_Chi_Minh). */
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';

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

/** A period in words: "Tháng 11/2026", "Tuần 47/2026", "Kỳ báo cáo tháng 11/2026 (15/10 – 14/11)" … */
export function formatPeriod(kind: string, start: string): string {
  const dt = DateTime.fromISO(start, { zone: ZONE }).setLocale('vi');
  switch (kind) {
    case 'day':
      return `Ngày ${dt.toFormat('dd/MM/yyyy')}`;
    case 'week':
      return `Tuần ${dt.toFormat('W/kkkk')} (${dt.toFormat('dd/MM')} – ${dt.plus({ days: 6 }).toFormat('dd/MM')})`;
    case 'month':
      return `Tháng ${dt.toFormat('MM/yyyy')}`;
    case 'quarter':
      return `Quý ${dt.quarter}/${dt.year}`;
    case 'year':
      return `Năm ${dt.year}`;
    case 'report_month': {
      const end = dt.plus({ months: 1 }).minus({ days: 1 });
      return `Kỳ báo cáo tháng ${end.toFormat('MM/yyyy')} (${dt.toFormat('dd/MM')} – ${end.toFormat('dd/MM')})`;
    }
    case 'report_quarter': {
      const end = dt.plus({ months: 3 }).minus({ days: 1 });
      return `Kỳ báo cáo quý ${end.quarter}/${end.year} (${dt.toFormat('dd/MM/yyyy')} – ${end.toFormat('dd/MM/yyyy')})`;
    }
    case 'report_year': {
      const end = dt.plus({ years: 1 }).minus({ days: 1 });
      return `Kỳ báo cáo năm ${end.year} (${dt.toFormat('dd/MM/yyyy')} – ${end.toFormat('dd/MM/yyyy')})`;
    }
    default:
      return start;
  }
}

/** "▲ 3", "▼ 1", "=" or "mới" (no previous rank), from the previous and current rank. */
export function rankChange(rank: number | null, previous: number | null): { text: string; label: string; dir: 'up' | 'down' | 'same' | 'new' } {
  if (rank === null) return { text: '', label: '', dir: 'same' };
  if (previous === null) return { text: 'mới', label: 'không có hạng kỳ trước', dir: 'new' };
  const d = previous - rank;
  if (d > 0) return { text: `▲ ${d}`, label: `tăng ${d} bậc`, dir: 'up' };
  if (d < 0) return { text: `▼ ${-d}`, label: `giảm ${-d} bậc`, dir: 'down' };
  return { text: '=', label: 'giữ nguyên', dir: 'same' };
}

const PERIOD_WORDS: Record<string, string> = {
  day: 'ngày', week: 'tuần', month: 'tháng', quarter: 'quý', year: 'năm',
  report_month: 'kỳ báo cáo tháng', report_quarter: 'kỳ báo cáo quý', report_year: 'kỳ báo cáo năm'
};

/** What a KPI tile's trend line covers: "xu hướng 12 tháng gần nhất". */
export function trendLabel(kind: string, count: number): string {
  return `xu hướng ${count} ${PERIOD_WORDS[kind] ?? 'kỳ'} gần nhất`;
}
