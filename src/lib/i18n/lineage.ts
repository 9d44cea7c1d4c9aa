/**
 * A unit's place in a reform, in words (src/lib/server/lineage.ts gives the structure): how a unit
 * went into another — "toàn bộ · danh mục ghi “Nhập toàn bộ”", "một phần · tính 50 % số liệu trước
 * ngày sắp xếp, ước tính · danh mục ghi “Nhập một phần”" — the register's own note always quoted.
 */
import { DateTime } from 'luxon';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';

const share = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });

/** dd/MM/yyyy of a day (YYYY-MM-DD), plus `days`. */
export function dayOf(iso: string, days = 0): string {
  return DateTime.fromISO(iso).plus({ days }).toFormat('dd/MM/yyyy');
}

export function linkWords(link: { kind: 'whole' | 'part'; share: number; estimated: boolean; note: string }, locale: Locale): string {
  const o = { locale };
  const parts = [link.kind === 'whole' ? m.screens_lineage_whole({}, o) : m.screens_lineage_part({}, o)];
  if (link.estimated) parts.push(link.share > 0 ? m.screens_lineage_share({ share: share.format(link.share) }, o) : m.screens_lineage_share_none({}, o));
  parts.push(m.screens_lineage_note({ note: link.note }, o));
  return parts.join(' · ');
}
