/**
 * One poll of one source: fetch the trailing window → map → validate row by row → upsert →
 * recompute the boards of the changed days (and their months) → record the run → NOTIFY,
 * all in one transaction so that a NOTIFY only ever announces committed data.
 * Returns an outcome instead of throwing: a bad source never takes the worker down.
 */
import type { Sql } from '#db/client';
import { RANKINGS_CHANNEL, type RankingsChanged } from '#contract/notify';
import { open } from '#server/secrets';
import { addDays, periodOf, today, type Period } from '#domain/periods';
import { BOARD_PERIOD_KINDS } from '#contract/dto';
import { loadLookups, resolveSamples, upsertSamples, type Lookups } from '../ingest.ts';
import { recomputeRankings } from '../rankings.ts';
import { fetchText } from '../sources/http.ts';
import { adapterFor } from '../sources/registry.ts';
import { SourceError, type Credentials } from '../sources/types.ts';

export interface SourceRow {
  id: number;
  key: string;
  kind: string;
  urlTemplate: string;
  authKind: string;
  credentialsSealed: string | null;
  timeoutMs: number;
  trailingDays: number;
}

export interface PollOutcome {
  pollRunId: number;
  outcome: 'success' | 'partial' | 'failed';
  accepted: number;
  rejected: number;
  changed: number;
  error: string | null;
}

export async function loadSource(sql: Sql, sourceId: number): Promise<SourceRow | undefined> {
  const [row] = await sql<SourceRow[]>`
    select id, key, kind, url_template as "urlTemplate", auth_kind as "authKind",
           credentials_sealed as "credentialsSealed", timeout_ms as "timeoutMs", trailing_days as "trailingDays"
    from data_sources where id = ${sourceId}`;
  return row;
}

export function credentialsOf(source: SourceRow, secretKeyHex: string | undefined): Credentials {
  if (source.authKind === 'none' || !source.credentialsSealed) return { kind: 'none' };
  if (!secretKeyHex) throw new Error('CITYOPS_SECRET_KEY is not set: sealed credentials cannot be opened');
  const parsed = JSON.parse(open(source.credentialsSealed, secretKeyHex)) as Credentials;
  return parsed;
}

export function expandUrl(template: string, window: { from: string; to: string }): string {
  return template.replaceAll('{from}', window.from).replaceAll('{to}', window.to);
}

/** The day and month boards that a set of changed days touches. */
export function affectedPeriods(days: Iterable<string>): Period[] {
  const map = new Map<string, Period>();
  for (const day of days) {
    for (const kind of BOARD_PERIOD_KINDS) {
      const p = periodOf(kind, day);
      map.set(`${p.kind}|${p.start}`, p);
    }
  }
  return [...map.values()];
}

/** Fetch one window and map it to stored-ready rows; every rejected row with its reason. */
export async function fetchSamples(
  source: SourceRow,
  window: { from: string; to: string },
  credentials: Credentials,
  lookups: Lookups,
  timeoutMs = source.timeoutMs
) {
  const { status, body } = await fetchText(expandUrl(source.urlTemplate, window), credentials, { timeoutMs });
  let mapped;
  try {
    mapped = adapterFor(source.kind).map(body);
  } catch (e) {
    throw new SourceError((e as Error).message, 'parse', status, body);
  }
  const resolved = resolveSamples(mapped.samples, lookups, window);
  return { httpStatus: status, body, rows: resolved.rows, rejections: [...mapped.rejected, ...resolved.rejected] };
}

export async function pollSource(
  sql: Sql,
  source: SourceRow,
  options: { secretKeyHex?: string; now?: Date; window?: { from: string; to: string } } = {}
): Promise<PollOutcome> {
  const startedAt = options.now ?? new Date();
  const to = today(startedAt);
  const window = options.window ?? { from: addDays(to, -(source.trailingDays - 1)), to };
  const t0 = performance.now();
  let httpStatus: number | null = null;
  let body: string | null = null;
  try {
    const fetched = await fetchSamples(source, window, credentialsOf(source, options.secretKeyHex), await loadLookups(sql));
    httpStatus = fetched.httpStatus;
    body = fetched.body;
    const { rows, rejections } = fetched;
    return await sql.begin(async (tx) => {
      const { changed, changedDays } = await upsertSamples(tx, source.id, rows, startedAt);
      const periods = affectedPeriods(changedDays);
      const scopeIds = await recomputeRankings(tx, periods);
      const outcome = rejections.length ? 'partial' : 'success';
      const [run] = await tx<{ id: number }[]>`
        insert into poll_runs (source_id, started_at, finished_at, duration_ms, outcome, http_status, window_from, window_to,
                               accepted, rejected, changed, error, rejections, raw_body)
        values (${source.id}, ${startedAt.toISOString()}, now(), ${Math.round(performance.now() - t0)}, ${outcome}, ${httpStatus},
                ${window.from}, ${window.to}, ${rows.length}, ${rejections.length}, ${changed},
                ${rejections.length ? `${rejections.length} row(s) rejected` : null},
                ${rejections.length ? tx.json(rejections.slice(0, 1000) as never) : null},
                ${rejections.length ? body : null})
        returning id`;
      if (periods.length) {
        const payload: RankingsChanged = { pollRunId: run!.id, scopeIds, periods: periods.map((p) => ({ kind: p.kind, start: p.start })) };
        await tx`select pg_notify(${RANKINGS_CHANNEL}, ${JSON.stringify(payload)})`;
      }
      return { pollRunId: run!.id, outcome, accepted: rows.length, rejected: rejections.length, changed, error: null } as const;
    });
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    const status = e instanceof SourceError ? e.httpStatus ?? httpStatus : httpStatus;
    const raw = e instanceof SourceError ? e.body ?? body : body;
    const [run] = await sql<{ id: number }[]>`
      insert into poll_runs (source_id, started_at, finished_at, duration_ms, outcome, http_status, window_from, window_to, error, raw_body)
      values (${source.id}, ${startedAt.toISOString()}, now(), ${Math.round(performance.now() - t0)}, 'failed', ${status},
              ${window.from}, ${window.to}, ${error}, ${raw ? raw.slice(0, 1_000_000) : null})
      returning id`;
    return { pollRunId: run!.id, outcome: 'failed', accepted: 0, rejected: 0, changed: 0, error };
  }
}
