/**
 * The PostgreSQL NOTIFY payload sent by the workers after a poll's samples and rankings commit.
 * Ids only (well under NOTIFY's 8,000-byte limit): every web node reads the changed boards itself.
 * NOTIFY is a hint, not a queue: a missed one is healed by the next snapshot.
 */
import { z } from 'zod';

export const RANKINGS_CHANNEL = 'cityops_rankings_changed';

export const rankingsChangedSchema = z.object({
  pollRunId: z.number().int().nullable(),
  /** Scope units (by id) whose boards were recomputed. */
  scopeIds: z.array(z.number().int()),
  /** Periods recomputed, by kind and start date. */
  periods: z.array(z.object({ kind: z.string(), start: z.string() })),
  /** The schemes whose boards were recomputed (those scoring a metric a poll changed, or the one an admin edited); absent: every scheme. */
  schemes: z.array(z.string()).optional()
});
export type RankingsChanged = z.infer<typeof rankingsChangedSchema>;

/**
 * Sent when a target was saved, replaced or deleted (screen, spreadsheet line, API): every web node
 * reads again the open boards it may change and patches them (docs/targets.md). A target changes no
 * stored ranking, only how a board reads, so it is its own message rather than a recompute's.
 */
export const TARGETS_CHANNEL = 'cityops_targets_changed';
export const targetsChangedSchema = z.object({
  scheme: z.string(),
  /** The periods whose boards it changes; null: every period (a target for every period). */
  periods: z.array(z.object({ kind: z.string(), start: z.string() })).nullable(),
  /** The scope units (by id) whose boards show it: a unit's own board and its parent's; null: every board (a city-wide target). */
  scopeIds: z.array(z.number().int()).nullable()
});
export type TargetsChanged = z.infer<typeof targetsChangedSchema>;

/** Sent after a poll run (or a skipped poll) changed a source's health. */
export const SOURCES_CHANNEL = 'cityops_source_health';
export const sourceHealthChangedSchema = z.object({ sourceId: z.number().int() });
export type SourceHealthChanged = z.infer<typeof sourceHealthChangedSchema>;

/** Sent when a session, a user or a display token is revoked: web nodes drop that room's sockets. */
export const AUTH_CHANNEL = 'cityops_auth_revoked';
export const authRevokedSchema = z.object({ room: z.string().regex(/^(session|user|display):[\w-]+$/) });

/** Sent when alerts were raised for people in the app (their bell): the web nodes push each one's unread count. */
export const ALERTS_CHANNEL = 'cityops_alerts';
export const alertsChangedSchema = z.object({ userIds: z.array(z.number().int()).max(2000) });
export type AlertsChanged = z.infer<typeof alertsChangedSchema>;
