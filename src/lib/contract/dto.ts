/**
 * Wire DTOs shared by the JSON API, the page loads and the Socket.IO events.
 * Browser-safe: no server imports here.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { PERIOD_KINDS } from '#domain/periods';
import { DEFAULT_SCHEME_KEY } from '#domain/catalogue';
import type { RankExplanation } from '#domain/explain';
import type { Band } from '#domain/bands';

export const periodKindSchema = z.enum(PERIOD_KINDS);
/** Every kind of period has stored boards (calendar and Decree 09 reporting periods). */
export const BOARD_PERIOD_KINDS = PERIOD_KINDS;
/**
 * The boards a poll recomputes at once; the long ones (a quarter, a year: hundreds of days of
 * samples each) are marked pending and recomputed by the workers every few minutes.
 */
export const LIVE_PERIOD_KINDS = ['day', 'week', 'month', 'report_month'] as const satisfies readonly (typeof PERIOD_KINDS)[number][];
export const boardPeriodKindSchema = z.enum(BOARD_PERIOD_KINDS);
export type BoardPeriodKind = z.infer<typeof boardPeriodKindSchema>;

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .superRefine((s, ctx) => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(s) && !DateTime.fromISO(s).isValid) ctx.addIssue({ code: 'custom', message: `not a date: ${s}` });
  });
/** GSO codes: 2 digits (province), 3 (district), 5 (commune). */
export const gsoCodeSchema = z.string().regex(/^\d{2,5}$/, 'must be a GSO code (2–5 digits)');

/** The scheme a query means when it names none: the operations scheme over the four families. */
export { DEFAULT_SCHEME_KEY };
/** A scheme's key (operations, national_766); whether one is active is the database's to say (unknown → 404). */
export const schemeKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a scheme key such as operations or national_766');

/**
 * Which board: the children of `scope`, for the period of `period` kind that contains `date`,
 * ranked by `scheme` (default: operations).
 */
export const boardQuerySchema = z.object({
  scope: gsoCodeSchema,
  period: boardPeriodKindSchema,
  date: isoDateSchema,
  scheme: schemeKeySchema.default(DEFAULT_SCHEME_KEY)
});
/** As sent and accepted: `scheme` may be left out (the operations scheme). */
export type BoardQuery = z.input<typeof boardQuerySchema>;

export interface IndicatorMeta {
  key: string;
  /** dossier | eid | payment | task */
  family: string;
  nameVi: string;
  nameEn: string;
  maxPoints: number;
  saturation: number;
  /** What the numerator counts, for sentences such as "12 hồ sơ đúng hạn nữa". */
  numeratorNounVi: string;
}

export interface IndicatorValue {
  /** Σ numerator over the period and the unit's descendants; null when nothing was reported. */
  numerator: number | null;
  denominator: number | null;
  /** numerator / denominator, 0..1; null when the denominator is 0 (no data). */
  ratio: number | null;
  points: number | null;
  /** Competition rank among the scope's children on this indicator alone. */
  rank: number | null;
}

export interface BoardRow {
  unitCode: string;
  unitName: string;
  unitType: string;
  /** Competition rank on the total (1, 2, 2, 4); null = not ranked (see notRankedReason). */
  rank: number | null;
  /** Rank in the previous period of the same kind. */
  previousRank: number | null;
  total: number | null;
  /** The rating band of the total (the scheme's bands); null when not ranked. */
  band: string | null;
  notRankedReason: string | null;
  indicators: Record<string, IndicatorValue>;
  /** Why it moved since the previous period of the same kind: places, points per indicator, in words. */
  change: RankExplanation;
  /** Where the unit sits on the scope's tile map (column, row from the top left); null: no layout stored. */
  tile: { col: number; row: number } | null;
}

export interface Board {
  /** The scheme that ranked it (its active version's name). */
  scheme: { key: string; nameVi: string };
  scope: { code: string; name: string; level: string };
  period: { kind: BoardPeriodKind; start: string; end: string; provisional: boolean };
  /** The scheme's indicators; the total is out of Σ maxPoints (100 operations, 20 for the 766 group). */
  indicators: IndicatorMeta[];
  /** The rating bands of the scheme version in force for this board, best first. */
  bands: Band[];
  rows: BoardRow[];
  /** When the workers last computed this board (ISO 8601 UTC). */
  computedAt: string | null;
  /** The newest observation behind it (ISO 8601 UTC). */
  asOf: string | null;
}

export interface SeriesPoint {
  date: string;
  numerator: number;
  denominator: number;
  ratio: number | null;
}

export interface Series {
  unit: { code: string; name: string };
  indicator: IndicatorMeta;
  points: SeriesPoint[];
}

/** The state of one data source, as the health endpoint, /metrics and the screens show it. */
export interface SourceHealth {
  key: string;
  name: string;
  family: string;
  /** json_http | csv_http | upload */
  kind: string;
  enabled: boolean;
  /** One word for a badge, worst first: disabled, circuit_open, stale, failing, partial, ok, never_polled. */
  status: 'disabled' | 'circuit_open' | 'stale' | 'failing' | 'partial' | 'ok' | 'never_polled';
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastOutcome: string | null;
  /** The last failure or rejection, in words. */
  lastError: string | null;
  consecutiveFailures: number;
  /** open: scheduled polls skipped until retryAt; half_open: the next poll is the trial. */
  breaker: { state: 'closed' | 'open' | 'half_open'; retryAt: string | null };
  /** No success within staleAfterSeconds. */
  stale: boolean;
  staleAfterSeconds: number;
  /** HH:MM ICT by which the day's data is due, if the source has one. */
  dailyDeadline: string | null;
  /** Past today's deadline with no success today. */
  missedDeadline: boolean;
  /** The last day a successful poll covered (YYYY-MM-DD). */
  coveredThrough: string | null;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  database: { ok: boolean; error?: string };
  workers: { ok: boolean; alive: number; lastSeenAt: string | null };
  /** Only for a signed-in caller (the check itself is public, for load balancers). */
  sources?: SourceHealth[];
}
