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

export function formatPeriod(kind: string, start: string): string {
  const dt = DateTime.fromISO(start, { zone: ZONE }).setLocale('vi');
  if (kind === 'month') return `Tháng ${dt.toFormat('MM/yyyy')}`;
  return `Ngày ${dt.toFormat('dd/MM/yyyy')}`;
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
