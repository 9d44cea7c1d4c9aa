/** A day typed on an admin form: dd/MM/yyyy as shown (vi-VN), or yyyy-MM-dd; the ISO day, or null. */
import { DateTime } from 'luxon';

export function parseDay(text: string): string | null {
  const t = text.trim();
  for (const format of ['dd/MM/yyyy', 'd/M/yyyy', 'yyyy-MM-dd']) {
    const d = DateTime.fromFormat(t, format);
    if (d.isValid) return d.toISODate();
  }
  return null;
}
