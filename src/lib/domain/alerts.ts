/**
 * Alert rules as data (docs/alerts.md): the kinds, what each needs, and the clock rules (quiet hours,
 * the daily digest) as pure functions of `now`. No I/O.
 */
import { DateTime } from 'luxon';
import { ZONE } from './periods.ts';

/**
 * band_drop: a unit's band in the current period is below its band in the previous one;
 * rank_drop: it fell `places` or more; below_threshold: an indicator's ratio (or the total) is under
 * a number; deadline_missed: a source has no success today after its daily deadline; source_stale:
 * no success within its stale-after. "Below its target" is below_threshold with `compare: 'target'`
 * (the number then read from the targets table), not a new kind; the form and the API call it
 * `below_target` (FORM_KINDS).
 */
export const ALERT_KINDS = ['band_drop', 'rank_drop', 'below_threshold', 'deadline_missed', 'source_stale'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const RANKING_KINDS: readonly AlertKind[] = ['band_drop', 'rank_drop', 'below_threshold'];
export const SOURCE_KINDS: readonly AlertKind[] = ['deadline_missed', 'source_stale'];
export const isRankingKind = (k: AlertKind) => RANKING_KINDS.includes(k);
/** The kinds an administrator picks from: the stored kinds and `below_target` (below_threshold compared with the targets). */
export const FORM_KINDS = ['band_drop', 'rank_drop', 'below_threshold', 'below_target', 'deadline_missed', 'source_stale'] as const;
export type FormKind = (typeof FORM_KINDS)[number];
/** The kind a rule is picked as: `below_target` for a below_threshold compared with targets. */
export const formKindOf = (kind: AlertKind, params: Pick<AlertParams, 'compare'>): FormKind =>
  kind === 'below_threshold' && params.compare === 'target' ? 'below_target' : kind;

export const ALERT_CHANNELS = ['email', 'webhook'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];
/** held: waiting for quiet hours' end or the digest; queued: a delivery job waits; sent; failed: for good (after retries). */
export const DELIVERY_STATUSES = ['held', 'queued', 'sent', 'retrying', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a rule's kind needs, stored as jsonb. */
export interface AlertParams {
  /** rank_drop: how many places at least. */
  places?: number;
  /** below_threshold: an indicator key, or null for the total. */
  indicator?: string | null;
  /** below_threshold: a percentage (0–100) for an indicator, points for the total. */
  threshold?: number;
  /**
   * below_threshold: what the value is compared with — `threshold` (the rule's number) or `target`
   * (the target that applies to the unit, indicator and period: docs/targets.md; no threshold then).
   */
  compare?: 'threshold' | 'target';
  /** source rules: one source (data_sources.id), or null for every source in scope. */
  sourceId?: number | null;
}

/** HH:MM, 00:00–23:59. */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * When a delivery made at `now` may go out: `now` outside the quiet hours, else their end (the same
 * day or the next, for hours across midnight such as 22:00–06:30). No quiet hours: now.
 */
export function quietUntil(now: Date, quiet: { from: string | null; to: string | null }): Date {
  if (!quiet.from || !quiet.to || quiet.from === quiet.to) return now;
  const local = DateTime.fromJSDate(now, { zone: ZONE });
  const m = local.hour * 60 + local.minute;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  const inside = from < to ? m >= from && m < to : m >= from || m < to;
  if (!inside) return now;
  let end = local.set({ hour: Math.floor(to / 60), minute: to % 60, second: 0, millisecond: 0 });
  if (end <= local) end = end.plus({ days: 1 });
  return end.toJSDate();
}

/** The next digest after `now` at `at` (HH:MM, Hà Nội), moved past the quiet hours when it falls inside them. */
export function nextDigestAt(now: Date, at: string, quiet: { from: string | null; to: string | null }): Date {
  const local = DateTime.fromJSDate(now, { zone: ZONE });
  const t = minutesOf(at);
  let when = local.set({ hour: Math.floor(t / 60), minute: t % 60, second: 0, millisecond: 0 });
  if (when <= local) when = when.plus({ days: 1 });
  return quietUntil(when.toJSDate(), quiet);
}

/** One alert per condition: the rule, what it is about, and the period or day it holds in. */
export function conditionKey(ruleId: number, about: { unitId?: number; sourceId?: number; indicator?: string | null; period?: { kind: string; start: string }; day?: string }): string {
  const parts = [`rule:${ruleId}`];
  if (about.unitId !== undefined) parts.push(`unit:${about.unitId}`);
  if (about.sourceId !== undefined) parts.push(`source:${about.sourceId}`);
  if (about.indicator !== undefined) parts.push(`ind:${about.indicator ?? 'total'}`);
  if (about.period) parts.push(`period:${about.period.kind}:${about.period.start}`);
  if (about.day) parts.push(`day:${about.day}`);
  return parts.join('|');
}
