/**
 * The periods a picker offers as a list (the portal publishes months, quarters and years): the
 * newest first, back from the period holding `today`, with the chosen one always among them.
 * Pure: PeriodPicker lists them for a scheme whose boards exist for these kinds only.
 */
import { periodOf, previousPeriod, type Period, type PeriodKind } from '#domain/periods';

/** How many periods of each kind are offered (two years of months, two of quarters, five years). */
export const CHOICE_COUNTS: Partial<Record<PeriodKind, number>> = { month: 24, quarter: 8, year: 5 };

export function periodChoices(kind: PeriodKind, chosenDate: string, today: string, count = CHOICE_COUNTS[kind] ?? 12): Period[] {
  const out: Period[] = [];
  let p = periodOf(kind, today);
  for (let i = 0; i < count; i++) {
    out.push(p);
    p = previousPeriod(p);
  }
  const chosen = periodOf(kind, chosenDate);
  if (!out.some((x) => x.start === chosen.start)) {
    out.push(chosen);
    out.sort((a, b) => b.start.localeCompare(a.start));
  }
  return out;
}
