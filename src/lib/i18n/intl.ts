/**
 * The Intl parts of the sentences: lists in the reader's language, numbers in vi-VN in both
 * languages (the issue asks for vi-VN formats: "1.234", "−4,20").
 */
import type { Locale } from '../paraglide/runtime.js';

/** The list patterns of each language: British English ("a, b and c"), as the messages spell "digitised". */
const LIST_TAGS: Record<Locale, string> = { vi: 'vi', en: 'en-GB' };

const lists = new Map<string, Intl.ListFormat>();
function listFormat(locale: Locale, type: Intl.ListFormatType): Intl.ListFormat {
  const id = `${locale}|${type}`;
  let f = lists.get(id);
  if (!f) lists.set(id, (f = new Intl.ListFormat(LIST_TAGS[locale], { type, style: 'long' })));
  return f;
}

/** "a, b và c" / "a, b and c". */
export const listAnd = (items: readonly string[], locale: Locale): string => listFormat(locale, 'conjunction').format(items);

/** "a, b, c" in both languages: parts of one sentence side by side. */
export const listOf = (items: readonly string[], locale: Locale): string => listFormat(locale, 'unit').format(items);

const integer = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const points = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A count: "9.980". */
export const count = (n: number): string => integer.format(n);
/** Points, two decimals: "1,40". */
export const pointsOf = (n: number): string => points.format(n);
/** A change in points with its sign: "+2,00", "−4,20" (a true minus sign). */
export const signedPoints = (n: number): string => `${n > 0 ? '+' : '−'}${points.format(Math.abs(n))}`;
