/** A source's status in words and a symbol, never colour alone (the overview, the unit page and the wall share them). */
import type { SourceHealth } from '#contract/dto';
import { m } from './paraglide/messages.js';
import { stageName } from './i18n/stages.ts';
import { getLocale, type Locale } from './paraglide/runtime.js';

export type Tone = 'good' | 'warn' | 'bad' | 'muted';
type Status = SourceHealth['status'];

const TEXTS: Record<Status, (o: { locale: Locale }) => string> = {
  ok: (o) => m.source_status_ok({}, o),
  partial: (o) => m.source_status_partial({}, o),
  failing: (o) => m.source_status_failing({}, o),
  stale: (o) => m.source_status_stale({}, o),
  circuit_open: (o) => m.source_status_circuit_open({}, o),
  disabled: (o) => m.source_status_disabled({}, o),
  never_polled: (o) => m.source_status_never_polled({}, o)
};

/** A status in words, in the reader's language: "Bình thường" / "Normal" … */
export function statusLabel(status: Status, locale: Locale = getLocale()): string {
  return TEXTS[status]({ locale });
}

const label = (status: Status, icon: string, tone: Tone) => ({
  icon,
  tone,
  /** The words, in the language of the page that reads them (the wall: always Vietnamese). */
  get text() {
    return statusLabel(status);
  }
});

export const STATUS_LABELS: Record<Status, { readonly text: string; icon: string; tone: Tone }> = {
  ok: label('ok', '✓', 'good'),
  partial: label('partial', '!', 'warn'),
  failing: label('failing', '✕', 'bad'),
  stale: label('stale', '⏱', 'bad'),
  circuit_open: label('circuit_open', '⏸', 'bad'),
  disabled: label('disabled', '–', 'muted'),
  never_polled: label('never_polled', '…', 'muted')
};

/**
 * The status in words, with the upload sources' own wording for "nothing yet", and a failing
 * source's stage: a connection error, an HTTP error, a body that does not parse and a mapping
 * error read differently.
 */
export function statusText(s: SourceHealth, locale: Locale = getLocale()): string {
  if (s.kind === 'upload' && s.status === 'never_polled') return m.source_status_no_upload({}, { locale });
  if (s.status === 'failing' && s.lastErrorStage) return stageName(s.lastErrorStage, locale);
  return statusLabel(s.status, locale);
}

export interface Freshness {
  /** The oldest last success among the family's live sources: everything shown is at least this current. */
  asOf: string | null;
  /** The worst problem among them, if any (stale, failing, breaker open), for a badge. */
  problem: { status: SourceHealth['status']; text: string; icon: string } | null;
}

const PROBLEMS: SourceHealth['status'][] = ['circuit_open', 'stale', 'failing'];

/** How current a family's data is: its enabled sources that have reported (a never-used upload source does not count). */
export function familyFreshness(sources: readonly SourceHealth[], family: string, locale: Locale = getLocale()): Freshness {
  const live = sources.filter((s) => s.family === family && s.enabled && s.status !== 'never_polled');
  let asOf: string | null = null;
  for (const s of live) if (s.lastSuccessAt && (asOf === null || s.lastSuccessAt < asOf)) asOf = s.lastSuccessAt;
  const worst = PROBLEMS.map((p) => live.find((s) => s.status === p)).find(Boolean) ?? live.find((s) => s.stale);
  const shown = worst ? (worst.stale ? 'stale' : worst.status) : null;
  const text = (st: Status) => (st === 'failing' && worst?.lastErrorStage ? stageName(worst.lastErrorStage, locale) : statusLabel(st, locale));
  const problem = worst && shown ? { status: worst.status, text: text(shown), icon: STATUS_LABELS[shown].icon } : null;
  return { asOf, problem };
}
