/**
 * Every cap and interval that more than one line of code depends on, in one place, each named with
 * its unit and the reason for its size. Pure constants: safe to import from any server module and
 * from the worker process.
 */

const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Sizes

/** Largest body a district system may answer with: a year of a big province's daily rows fits well under it; more is a misconfigured source. */
export const SOURCE_RESPONSE_MAX_BYTES = 10 * MiB;
/** Largest filled template a unit may upload (.xlsx or .csv): the template of a province's communes for a year is a few MB. */
export const UPLOAD_MAX_BYTES = 10 * MiB;
/** Largest request body the web server accepts (adapter-node's BODY_SIZE_LIMIT): an upload plus its multipart framing. */
export const REQUEST_BODY_MAX_BYTES = UPLOAD_MAX_BYTES + MiB;
/** Largest units CSV an administrator may import: the whole country's 3,300 communes take about 300 KB. */
export const UNITS_IMPORT_MAX_BYTES = 2 * MiB;
/** Characters of a body kept in a poll run when some of its rows were rejected, so the rejected rows can be looked at later. */
export const REJECTED_BODY_KEPT_CHARS = 2_000_000;
/** Characters of a body kept in a failed poll run (a body that did not map): enough to see what came back. */
export const FAILED_BODY_KEPT_CHARS = 1_000_000;
/** Characters of an HTTP error answer kept with the error: an error page, not a data set. */
export const ERROR_BODY_KEPT_CHARS = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Intervals and lifetimes

/** Least time a backfill piece (a month of days, or a year of months) may take: a long window is a big body, slower than a routine poll. */
export const BACKFILL_PIECE_TIMEOUT_MS = 60_000;
/** How often a worker process says it is alive (worker_heartbeats). */
export const WORKER_HEARTBEAT_MS = 5_000;
/** A worker whose last heartbeat is younger than this counts as alive (/healthz, /metrics): six missed beats, so a busy event loop is not a dead worker. */
export const WORKER_ALIVE_SECONDS = 30;
/** Idle lifetime of a session: each use pushes the expiry out by this much (a working day with margin). */
export const SESSION_IDLE_HOURS = 12;
/** A wall screen's display-token cookie lives as long as a browser allows (400 days); the token's own expiry and revocation rule. */
export const DISPLAY_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 3600;
