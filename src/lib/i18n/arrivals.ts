/**
 * The figures of a period that came in late or were corrected after their day, in words
 * (src/lib/server/drilldown.ts counts them): "12 số liệu đến muộn, 3 số liệu được sửa sau" /
 * "12 figures arrived late, 3 figures corrected afterwards".
 */
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';
import { count, listOf } from './intl.ts';

/** null when both counts are 0 (nothing to say). */
export function lateAndCorrectedSentence(a: { late: number; corrected: number }, locale: Locale): string | null {
  const o = { locale };
  const parts: string[] = [];
  if (a.late > 0) parts.push(m.arrivals_late({ count: a.late, n: count(a.late) }, o));
  if (a.corrected > 0) parts.push(m.arrivals_corrected({ count: a.corrected, n: count(a.corrected) }, o));
  return parts.length ? listOf(parts, locale) : null;
}
