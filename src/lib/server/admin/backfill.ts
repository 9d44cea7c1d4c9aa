/**
 * "Nạp lịch sử": an administrator asks for a source's history over any past range. The range is
 * checked here (dates, from ≤ to ≤ today), the request audited, and the work queued as a
 * `backfill-source` job (workers/jobs/backfill-source.ts), followed through GET
 * /admin/jobs/backfill/{jobId} (jobs/status.ts: a result per window as it runs).
 * No limit on how far back: a backfill reaches as far as the source answers.
 */
import type { PgBoss } from 'pg-boss';
import type { Queryable as Sql } from '#db/client';
import { today } from '#domain/periods';
import { SUPPORTED_DATES } from '#contract/dto';
import { queueSourceBackfill } from '../jobs/send.ts';
import { backfillWindows } from '../pipeline/source-backfill.ts';
import { sourcePeriods } from '../pipeline/periods.ts';
import type { Granularity } from '#db/schema/sources';
import type { Principal } from '../auth/principal.ts';
import { actorName, recordAudit } from '../auth/audit.ts';

export type StartBackfillResult =
  | { ok: true; jobId: string; windows: number }
  | { ok: false; status: 400 | 404 | 409; message: string; field?: 'from' | 'to' };

function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** The range's problem in words, naming the field, or null. `now`: today's date in the city's zone. */
export function checkBackfillRange(range: { from?: unknown; to?: unknown }, now: string): { message: string; field: 'from' | 'to' } | null {
  const date = (field: 'from' | 'to', label: string) => {
    const v = range[field];
    if (v === undefined || v === null || v === '') return { message: `${field}: nhập ${label} (dạng YYYY-MM-DD).`, field };
    if (typeof v !== 'string' || !isIsoDate(v.trim())) return { message: `${field}: ${JSON.stringify(v)} không phải một ngày dạng YYYY-MM-DD.`, field };
    if (v.trim() < SUPPORTED_DATES.from) return { message: `${field}: không nạp được số liệu trước ${SUPPORTED_DATES.from}.`, field };
    return null;
  };
  const bad = date('from', 'ngày bắt đầu') ?? date('to', 'ngày kết thúc');
  if (bad) return bad;
  const from = (range.from as string).trim();
  const to = (range.to as string).trim();
  if (from > to) return { message: `from: ngày bắt đầu (${from}) phải trước hoặc bằng ngày kết thúc (${to}).`, field: 'from' };
  if (to > now) return { message: `to: ngày kết thúc (${to}) không được sau hôm nay (${now}): chưa có số liệu của ngày chưa tới.`, field: 'to' };
  return null;
}

export async function startSourceBackfill(
  sql: Sql,
  jobs: PgBoss,
  key: string,
  range: { from?: unknown; to?: unknown },
  ctx: { actor: Principal; ip: string | null; now?: Date }
): Promise<StartBackfillResult> {
  const [source] = await sql<{ id: number; kind: string; enabled: boolean; granularity: Granularity; periods: string[] | null }[]>`
    select id, kind, enabled, granularity, periods from data_sources where key = ${key}`;
  if (!source) return { ok: false, status: 404, message: `Không có nguồn dữ liệu ${key}.` };
  if (source.kind === 'upload') {
    return { ok: false, status: 409, message: `Nguồn ${key} nhận tệp tải lên, không lấy số liệu qua mạng: muốn có số liệu cũ, hãy tải tệp của những ngày đó lên.` };
  }
  if (!source.enabled) return { ok: false, status: 409, message: `Nguồn ${key} đang tắt: bật nguồn rồi mới nạp lịch sử được.` };
  const problem = checkBackfillRange(range, today(ctx.now));
  if (problem) return { ok: false, status: 400, ...problem };
  const from = (range.from as string).trim();
  const to = (range.to as string).trim();
  const requestedBy = actorName(ctx.actor);
  const jobId = await queueSourceBackfill(jobs, { sourceId: source.id, from, to, requestedBy });
  if (!jobId) {
    return { ok: false, status: 409, message: `Nguồn ${key} đã có một lần nạp lịch sử đang chờ chạy: đợi lần đó bắt đầu (hoặc xong) rồi nạp tiếp.` };
  }
  const windows = backfillWindows(source.granularity, { from, to }, sourcePeriods(source.periods)).length;
  await recordAudit(sql, { actor: ctx.actor, action: 'backfill', entity: 'source', entityId: key, ip: ctx.ip, after: { from, to, jobId, windows } });
  return { ok: true, jobId, windows };
}
