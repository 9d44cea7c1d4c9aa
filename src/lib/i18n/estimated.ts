/**
 * The "ước tính" marker's words (issue 14): a row whose figures before a reform include shares of
 * units that went into it only in part. `before` is the day those units' successors came into force
 * (src/lib/server/lineage.ts estimateBefore); without it, "the reorganisation".
 */
import { DateTime } from 'luxon';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';

const dayWords = (before: string | null, locale: Locale) =>
  before ? DateTime.fromISO(before).toFormat('dd/MM/yyyy') : m.screens_estimated_since_reform({}, { locale });

/** The marker: "ước tính" / "estimated". */
export const estimatedWord = (locale: Locale) => m.screens_estimated({}, { locale });
/** The marker's tooltip. */
export const estimatedTitle = (before: string | null, locale: Locale) => m.screens_estimated_title({ date: dayWords(before, locale) }, { locale });
/** The footnote under a board, a page or a wall scene that shows a marked row. */
export const estimatedNote = (before: string | null, locale: Locale) => m.screens_estimated_note({ date: dayWords(before, locale) }, { locale });
