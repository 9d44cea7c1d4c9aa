/**
 * The 766 screens' words from the pure structures of src/lib/p766 (Paraglide messages; numbers in
 * vi-VN in both languages: "6,66 điểm"): a group's name, a cell's title (ours and the portal's).
 */
import type { SchemeGroupMeta } from '#domain/board';
import type { GroupCell } from '../p766/reconcile.ts';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';
import { pointsOf, signedPoints } from './intl.ts';

export const groupName = (g: Pick<SchemeGroupMeta, 'nameVi' | 'nameEn'>, locale: Locale) => (locale === 'en' && g.nameEn ? g.nameEn : g.nameVi);

const pts = (v: number | null) => (v === null ? '—' : pointsOf(v));

/** What a cell's points are, in words: both scores, and whether they are the same. */
export function cellTitle(c: Pick<GroupCell, 'status' | 'points' | 'published' | 'difference'>, locale: Locale): string {
  const o = { locale };
  switch (c.status) {
    case 'equal':
      return m.screens_p766_cell_equal({ published: pts(c.published), points: pts(c.points) }, o);
    case 'different':
      return m.screens_p766_cell_differs({ published: pts(c.published), points: pts(c.points), difference: signedPoints(c.difference!) }, o);
    case 'not_published':
      return m.screens_p766_cell_not_published({ points: pts(c.points) }, o);
    case 'not_computed':
      return m.screens_p766_cell_not_computed({ published: pts(c.published) }, o);
    case 'published_only':
      return m.screens_p766_cell_published_only({ published: pts(c.published ?? c.points) }, o);
  }
}

/** A maximum in points: "18" when whole, "1,50" otherwise (vi-VN). */
export const maxPointsOf = (max: number): string => (Number.isInteger(max) ? String(max) : pointsOf(max));

/** An instant as "HH:mm dd/MM/yyyy" in ICT (the reconciliation's computed-at); "—" without one. */
export function instantOf(iso: string | null): string {
  if (!iso) return '—';
  const at = DateTime.fromISO(iso.includes(' ') && !iso.includes('T') ? iso.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00') : iso).setZone(ZONE);
  return at.isValid ? at.toFormat('HH:mm dd/MM/yyyy') : '—';
}
