/**
 * Wire DTOs shared by the JSON API, the page loads and the Socket.IO events.
 * Browser-safe: no server imports here.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { PERIOD_KINDS } from '#domain/periods';
import { DEFAULT_SCHEME_KEY } from '#domain/catalogue';

export const periodKindSchema = z.enum(PERIOD_KINDS);
/** Every kind of period has stored boards (calendar and Decree 09 reporting periods). */
export const BOARD_PERIOD_KINDS = PERIOD_KINDS;
export const boardPeriodKindSchema = z.enum(BOARD_PERIOD_KINDS);
export type BoardPeriodKind = z.infer<typeof boardPeriodKindSchema>;

/** The days the product answers for: wide enough for any history and plan, narrow enough for every date type and period rule. */
export const SUPPORTED_DATES = { from: '2000-01-01', to: '2099-12-31' } as const;

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .superRefine((s, ctx) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return;
    if (!DateTime.fromISO(s).isValid) ctx.addIssue({ code: 'custom', message: `not a date: ${s}` });
    else if (s < SUPPORTED_DATES.from || s > SUPPORTED_DATES.to) {
      ctx.addIssue({ code: 'custom', message: `must be between ${SUPPORTED_DATES.from} and ${SUPPORTED_DATES.to} (got ${s})` });
    }
  });
/**
 * A unit's code in the register (units.gso_code): GSO codes are 2 digits (province), 3 (district),
 * 5 (commune), but a register may use its own (portal codes such as H44.100): letters, digits,
 * '.', '-' and '_', 1–20 characters.
 */
export const UNIT_CODE_PATTERN = /^[A-Za-z0-9._-]{1,20}$/;
/** The words of UNIT_CODE_PATTERN, for a form's error (Vietnamese, as every admin message). */
export const UNIT_CODE_RULE_VI = 'chữ cái, chữ số, dấu chấm, gạch ngang hoặc gạch dưới, 1–20 ký tự';
export const gsoCodeSchema = z.string().regex(UNIT_CODE_PATTERN, "must be a unit code (letters, digits, '.', '-', '_', 1–20 characters)");

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
  scheme: schemeKeySchema.default(DEFAULT_SCHEME_KEY),
  /** A scheme with published scores (the 766 index) ranks on them; `recomputed` ranks on ours. Ignored by other schemes. */
  basis: z.enum(['published', 'recomputed']).optional()
});
/** As sent and accepted: `scheme` may be left out (the operations scheme). */
export type BoardQuery = z.input<typeof boardQuerySchema>;

/**
 * The ranked board and its parts are the domain's model (src/lib/domain/board.ts): structure and keys
 * (reason codes, band names as the scheme stores them, indicator keys), which the screens word in the
 * reader's language (src/lib/i18n). Two fields more keep the API's earlier shape: the same in
 * Vietnamese words, filled on the server (the API, the exports and the wall's language).
 */
export type { BoardGroup, BoardTargets, GroupValue, IndicatorMeta, IndicatorValue, NotRanked, NotRankedCode, SchemeGroupMeta, ScopeScore } from '#domain/board';
import type { Board as BoardModel, BoardRow as BoardRowModel, IndicatorMeta } from '#domain/board';
import type { RankExplanation } from '#domain/explain';

export interface BoardRow extends BoardRowModel {
  /** `notRanked` in Vietnamese words ("chưa có số liệu về Kích hoạt định danh điện tử"); null when ranked. For API clients: screens word `notRanked`. */
  notRankedReason: string | null;
  /** `sentence`: the change in Vietnamese words ("giảm 3 bậc (tổng −3,20): Hồ sơ đúng hạn −4,20 điểm"). For API clients: screens word the structure. */
  change: RankExplanation & { sentence: string };
}

export interface Board extends Omit<BoardModel, 'rows'> {
  rows: BoardRow[];
  /**
   * Over Socket.IO only: the revision of this board on the web node that sent it, onto which that
   * node's next patch applies (src/lib/contract/board-patch.ts). Absent in the JSON API.
   */
  rev?: string;
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
  /** Where the last failed poll failed: connection, http, parse, mapping or config (null after a success). */
  lastErrorStage: 'connection' | 'http' | 'parse' | 'mapping' | 'config' | null;
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
