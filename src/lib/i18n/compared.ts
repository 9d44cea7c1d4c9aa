/**
 * What a board's moves compare with, in words: "so với cùng kỳ 01/11–03/11" while its period is in
 * progress (Board.comparedWith: the same elapsed part of the previous period), else "so với kỳ trước".
 */
import type { Board } from '#domain/board';
import { m } from '../paraglide/messages.js';
import type { Locale } from '../paraglide/runtime.js';

/** "01/11" from "2026-11-01". */
export const dayMonth = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}`;

export function comparedWords(board: Pick<Board, 'comparedWith'>, locale: Locale): string {
  const c = board.comparedWith;
  return c ? m.compared_same({ from: dayMonth(c.start), to: dayMonth(c.end) }, { locale }) : m.compared_previous({}, { locale });
}
