/**
 * Uploads of filled templates, and the templates themselves.
 *
 * What a unit reports about itself never silently changes what a system of record reports: an
 * upload row for a unit × metric that a higher-priority source reports (on that day, or since an
 * earlier day) is refused with the reason, the other rows are kept. Every upload names who sent
 * it (the poll run, the audit log). An installation may require an administrator's approval
 * before an upload counts: its rows are then held in `pending_uploads`, outside `samples`, until
 * approved (committed through the same path as any upload: samples, boards, NOTIFY) or rejected.
 */
import { and, desc, eq, gt, inArray, ne, sql as sqlExpr } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { PgBoss } from 'pg-boss';
import { isoTimestamp, orm, type Queryable, type Sql } from '#db/client';
import { appMeta } from '#db/schema/ops';
import { users } from '#db/schema/auth';
import { units } from '#db/schema/units';
import { metrics } from '#db/schema/indicators';
import { dataSources, pendingUploads, pollRuns, type HeldRow, type RejectedRow } from '#db/schema/sources';
import { METRIC_FAMILIES, type MetricFamily } from '#domain/catalogue';
import { today } from '#domain/periods';
import { commitRun, ingestUpload, loadSource, type PollOutcome, type SourceRow } from '#server/pipeline/poll';
import { readXlsx, sniffUpload, templateCsv, templateXlsx, type TemplateSpec } from '#server/pipeline/mapping/sheets';
import type { Body, Mapped, StoredRow } from '#server/pipeline/mapping/index';
import { tableMappingSchema } from '#server/pipeline/mapping/config';
import { parseCsv, tableRecords } from '#server/pipeline/mapping/table';
import { SourceError } from '#server/pipeline/types';
import { UPLOAD_MAX_BYTES } from '#server/limits';
import type { Principal } from './auth/principal.ts';
import { recordAudit } from './auth/audit.ts';

export class UploadError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** What an upload answers: a poll's outcome, whether it counts yet, and every refused row with its reason. */
export interface UploadAnswer extends PollOutcome {
  /** counted: stored and ranked now; pending: held for an administrator's approval, not counted yet. */
  approval: 'counted' | 'pending';
  pendingUploadId: number | null;
  rejections: RejectedRow[];
}

/** Who sends a file, for the poll run and the audit log. */
export interface UploadSender {
  actor: Principal;
  ip: string | null;
}

const userIdOf = (p: Principal | undefined) => (p?.kind === 'user' ? p.user.id : null);
const dayWords = (day: string) => day.split('-').reverse().join('/');

/**
 * `onlyUnitCode`: an officer's upload may only carry rows of their unit and its descendants.
 * `sender`: who sends it (named on the poll run and in the audit log).
 * `jobs`: where the long boards the upload touched are queued for recompute.
 */
export async function handleUpload(
  sql: Sql,
  sourceKey: string,
  file: File | null,
  onlyUnitCode?: string | null,
  sender?: UploadSender,
  jobs?: PgBoss
): Promise<UploadAnswer> {
  const db = orm(sql);
  const [row] = await db.select({ id: dataSources.id, kind: dataSources.kind, priority: dataSources.priority }).from(dataSources).where(eq(dataSources.key, sourceKey));
  if (!row) throw new UploadError(`không có nguồn dữ liệu mã ${sourceKey}`, 404);
  if (row.kind !== 'upload') throw new UploadError(`nguồn ${sourceKey} lấy số liệu từ hệ thống của nó; nguồn này không nhận tệp tải lên`, 409);
  if (!file || typeof file === 'string') throw new UploadError('file: hãy đính kèm mẫu đã điền vào trường "file" của biểu mẫu', 400);
  if (file.size === 0) throw new UploadError('file: tệp trống', 400);
  if (file.size > UPLOAD_MAX_BYTES) throw new UploadError(`file: tệp lớn hơn ${UPLOAD_MAX_BYTES / 1048576} MB`, 413);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let body;
  try {
    body = sniffUpload(bytes) === 'xlsx' ? { table: await readXlsx(bytes) } : { text: Buffer.from(bytes).toString('utf8') };
  } catch (e) {
    if (e instanceof SourceError) throw new UploadError(`file: ${e.message}`, 400);
    throw e;
  }
  const source = (await loadSource(sql, row.id))!;
  if (onlyUnitCode) {
    // The officer's unit in force (a code is reused across a reform: the newest holder).
    const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.gsoCode, onlyUnitCode)).orderBy(sqlExpr`${units.validTo} desc nulls first`).limit(1);
    if (!unit) throw new UploadError('tài khoản của bạn chưa gắn với đơn vị nào: hãy nhờ quản trị viên', 403);
    source.scopeUnitId = unit.id;
  }
  const submittedBy = userIdOf(sender?.actor);
  const hold = await uploadsRequireApproval(sql);
  let pendingUploadId: number | null = null;
  let rejections: RejectedRow[] = [];
  const outcome = await ingestUpload(sql, source, body, {
    jobs,
    screen: async (mapped) => {
      const screened = await screenByPriority(sql, { id: source.id, priority: row.priority }, mapped, () => fileRows(sql, source.mapping, body, mapped.rows));
      rejections = screened.rejected;
      return screened;
    },
    hold: hold
      ? async (mapped, run) => {
          const [held] = await db
            .insert(pendingUploads)
            .values({
              sourceId: source.id, submittedBy, fileName: file.name.slice(0, 200) || null, windowFrom: run.window.from, windowTo: run.window.to,
              rows: await heldRows(sql, source.mapping, body, mapped.rows), accepted: mapped.rows.length, read: mapped.read, rejections: mapped.rejected.slice(0, 1000)
            })
            .returning({ id: pendingUploads.id });
          pendingUploadId = held!.id;
          return {
            pollRunId: null, outcome: mapped.rejected.length ? 'partial' : 'success', accepted: mapped.rows.length, rejected: mapped.rejected.length,
            changed: 0, error: null, window: run.window
          };
        }
      : undefined,
    inTransaction: async (tx, pollRunId) => {
      await orm(tx).update(pollRuns).set({ submittedBy }).where(eq(pollRuns.id, pollRunId));
    }
  });
  // A file that could not be read at all is still a run of this source: name who sent it.
  if (outcome.outcome === 'failed' && outcome.pollRunId !== null) {
    await db.update(pollRuns).set({ submittedBy }).where(eq(pollRuns.id, outcome.pollRunId));
  }
  const answer: UploadAnswer = { ...outcome, approval: pendingUploadId === null ? 'counted' : 'pending', pendingUploadId, rejections };
  if (sender) {
    await recordAudit(sql, {
      actor: sender.actor, action: 'upload', entity: 'source', entityId: sourceKey, ip: sender.ip,
      after: {
        file: file.name.slice(0, 200), outcome: outcome.outcome, approval: answer.approval, accepted: outcome.accepted, rejected: outcome.rejected,
        changed: outcome.changed, pollRunId: outcome.pollRunId, pendingUploadId, error: outcome.error
      }
    });
  }
  return answer;
}

/**
 * Refuses every row for a unit × metric that a source of higher priority reports: on that day, or
 * since an earlier day (from its first report on, it is the system of record for that unit and
 * metric, so a unit cannot fill today in before the system's poll, nor a day of a month the system
 * reports monthly). The rest are kept. One reason per row of the file and source, naming the unit,
 * the day, the metrics and the source.
 */
export async function screenByPriority(
  sql: Queryable,
  source: { id: number; priority: number },
  mapped: Mapped,
  /** The row of the file each (unit, day) came from, asked for only when a row is refused. */
  rowsOfFile: () => Promise<RowOfFile> = async () => () => undefined
): Promise<Mapped> {
  if (!mapped.rows.length) return mapped;
  const db = orm(sql);
  const higher = await db
    .select({ id: dataSources.id, name: dataSources.name })
    .from(dataSources)
    .where(and(gt(dataSources.priority, source.priority), ne(dataSources.id, source.id)));
  if (!higher.length) return mapped;
  const pairs = new Map<string, { u: number; m: number }>();
  for (const r of mapped.rows) pairs.set(`${r.unitId}|${r.metricId}`, { u: r.unitId, m: r.metricId });
  const list = [...pairs.values()];
  // The first day each higher-priority source reported each (unit, metric) of the file: one index probe each.
  const firsts = await sql<{ unit_id: number; metric_id: number; source_id: number; first: string }[]>`
    select t.u as unit_id, t.m as metric_id, hs.id as source_id, f.day as first
    from unnest(${sql.array(list.map((p) => p.u))}::int[], ${sql.array(list.map((p) => p.m))}::int[]) as t(u, m)
    cross join unnest(${sql.array(higher.map((h) => h.id))}::int[]) as hs(id)
    cross join lateral (
      select to_char(s.day, 'YYYY-MM-DD') as day from samples s
      where s.unit_id = t.u and s.metric_id = t.m and s.source_id = hs.id order by s.day limit 1
    ) f`;
  if (!firsts.length) return mapped;
  const covering = new Map<string, { sourceId: number; first: string }[]>();
  for (const f of firsts) {
    const k = `${f.unit_id}|${f.metric_id}`;
    covering.set(k, [...(covering.get(k) ?? []), { sourceId: f.source_id, first: f.first }]);
  }
  const kept: StoredRow[] = [];
  /** (unit, day, higher source) → the refused rows: one row of the file (a template has one per unit and day) */
  const refused = new Map<string, { row: StoredRow; sourceId: number; first: string }[]>();
  for (const r of mapped.rows) {
    const hit = (covering.get(`${r.unitId}|${r.metricId}`) ?? []).filter((c) => c.first <= r.day).sort((a, b) => a.first.localeCompare(b.first))[0];
    if (!hit) {
      kept.push(r);
      continue;
    }
    const k = `${r.unitId}|${r.day}|${hit.sourceId}`;
    refused.set(k, [...(refused.get(k) ?? []), { row: r, ...hit }]);
  }
  if (!refused.size) return mapped;
  const unitIds = [...new Set([...refused.values()].map((g) => g[0]!.row.unitId))];
  const metricIds = [...new Set([...refused.values()].flatMap((g) => g.map((x) => x.row.metricId)))];
  const unitRows = await db.select({ id: units.id, code: units.gsoCode, name: units.name }).from(units).where(inArray(units.id, unitIds));
  const metricRows = await db.select({ id: metrics.id, name: metrics.nameVi }).from(metrics).where(inArray(metrics.id, metricIds));
  // Which refusals are for a day the source itself has (the others: it reports the unit since an earlier day).
  const groups = [...refused.values()];
  const exact = await sql<{ u: number; d: string; s: number }[]>`
    select distinct t.u, to_char(t.d, 'YYYY-MM-DD') as d, t.s
    from unnest(${sql.array(groups.flatMap((g) => g.map((x) => x.row.unitId)))}::int[], ${sql.array(groups.flatMap((g) => g.map((x) => x.row.metricId)))}::int[],
                ${sql.array(groups.flatMap((g) => g.map((x) => x.row.day)))}::date[], ${sql.array(groups.flatMap((g) => g.map((x) => x.sourceId)))}::int[]) as t(u, m, d, s)
    join samples x on x.unit_id = t.u and x.metric_id = t.m and x.day = t.d and x.source_id = t.s`;
  const sameDay = new Set(exact.map((e) => `${e.u}|${e.d}|${e.s}`));
  const rowOf = await rowsOfFile();
  const unitOf = new Map(unitRows.map((u) => [u.id, u]));
  const metricName = new Map(metricRows.map((m) => [m.id, m.name]));
  const sourceName = new Map(higher.map((h) => [h.id, h.name]));
  const reasons: RejectedRow[] = groups.map((group) => {
    const { row, sourceId } = group[0]!;
    const unit = unitOf.get(row.unitId);
    const first = group.map((g) => g.first).sort()[0]!;
    const since = sameDay.has(`${row.unitId}|${row.day}|${sourceId}`) ? '' : `, báo cho đơn vị này từ ngày ${dayWords(first)}`;
    const names = group.map((g) => metricName.get(g.row.metricId) ?? String(g.row.metricId));
    const what = names.length <= 3 ? names.join(', ') : `${names.slice(0, 2).join(', ')} và ${names.length - 2} chỉ số khác`;
    return {
      // Held rows carry their row of the file; freshly mapped ones are looked up.
      index: (row as HeldRow).row ?? rowOf(row.unitId, row.day) ?? 0,
      reason: `${unit ? `${unit.name} (${unit.code})` : `đơn vị #${row.unitId}`}, ngày ${dayWords(row.day)} — ${what}: ` +
        `đã có số liệu từ nguồn '${sourceName.get(sourceId)}' (ưu tiên cao hơn)${since}`
    };
  });
  const rejected = [...mapped.rejected, ...reasons].sort((a, b) => a.index - b.index);
  return { rows: kept, rejected, read: mapped.read };
}

/** (unit id, day) → the row of the file it came from (1-based data rows, as rejections number them). */
type RowOfFile = (unitId: number, day: string) => number | undefined;

/**
 * The row numbers of a template file, read again as its mapping reads it: a mapped sample keeps
 * its unit and day, not its row, and a checked template has one row per unit and day. Task lists
 * (counts derived per unit and day) have none.
 */
async function fileRows(sql: Queryable, mapping: unknown, body: Body, rows: StoredRow[]): Promise<RowOfFile> {
  const parsed = tableMappingSchema.safeParse(mapping);
  if (!parsed.success || !rows.length) return () => undefined;
  const db = orm(sql);
  const metricKeys = new Set((await db.select({ key: metrics.key }).from(metrics)).map((m) => m.key));
  const table = 'table' in body ? body.table : parseCsv(body.text, parsed.data.delimiter);
  let records;
  try {
    records = tableRecords(table, parsed.data, metricKeys).records;
  } catch {
    return () => undefined;
  }
  const byCodeDay = new Map(records.map((r) => [`${String(r.unitCode)}|${String(r.date)}`, r.row]));
  const ids = [...new Set(rows.map((r) => r.unitId))];
  const codes = new Map((await db.select({ id: units.id, code: units.gsoCode }).from(units).where(inArray(units.id, ids))).map((u) => [u.id, u.code]));
  return (unitId, day) => byCodeDay.get(`${codes.get(unitId)}|${day}`);
}

/** The rows an upload awaiting approval keeps, each with its row of the file (to name it if refused at approval). */
async function heldRows(sql: Queryable, mapping: unknown, body: Body, rows: StoredRow[]): Promise<HeldRow[]> {
  const rowOf = await fileRows(sql, mapping, body, rows);
  return rows.map((r) => ({ ...r, row: rowOf(r.unitId, r.day) }));
}

// ——— Approval before an upload counts ("chờ duyệt") ———

/**
 * The setting lives in the database (app_meta), not in the environment: an administrator turns it
 * on or off on the approval screen, every web node sees it at once, and the change is audited.
 */
const APPROVAL_SETTING = 'uploads_require_approval';

export async function uploadsRequireApproval(sql: Queryable): Promise<boolean> {
  const [row] = await orm(sql).select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, APPROVAL_SETTING));
  return row?.value === 'true';
}

export async function setUploadsRequireApproval(sql: Queryable, on: boolean, ctx: UploadSender): Promise<void> {
  const before = await uploadsRequireApproval(sql);
  await orm(sql)
    .insert(appMeta)
    .values({ key: APPROVAL_SETTING, value: String(on) })
    .onConflictDoUpdate({ target: appMeta.key, set: { value: String(on), updatedAt: sqlExpr`now()` } });
  if (before !== on) {
    await recordAudit(sql, { actor: ctx.actor, action: 'update', entity: 'setting', entityId: APPROVAL_SETTING, ip: ctx.ip, before: { requireApproval: before }, after: { requireApproval: on } });
  }
}

export interface UploadView {
  id: number;
  sourceKey: string;
  sourceName: string;
  /** "Display name (username)", or null when the account is gone. */
  submittedBy: string | null;
  submittedAt: string;
  fileName: string | null;
  status: 'pending' | 'approved' | 'rejected';
  accepted: number;
  rejected: number;
  rejections: RejectedRow[];
  /** The units and days the held rows are for (pending uploads only). */
  units: { code: string; name: string }[];
  firstDay: string | null;
  lastDay: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  pollRunId: number | null;
}

const person = (name: string | null, username: string | null) => (username ? `${name} (${username})` : null);

/** Pending uploads (oldest first), or the last 50 reviewed ones (newest first). */
export async function listUploads(sql: Queryable, which: 'pending' | 'reviewed'): Promise<UploadView[]> {
  const sender = alias(users, 'sender');
  const reviewer = alias(users, 'reviewer');
  const pending = which === 'pending';
  const rows = await orm(sql)
    .select({
      id: pendingUploads.id, sourceKey: dataSources.key, sourceName: dataSources.name, senderName: sender.displayName, senderUser: sender.username,
      submittedAt: pendingUploads.submittedAt, fileName: pendingUploads.fileName, status: pendingUploads.status, accepted: pendingUploads.accepted,
      rejections: pendingUploads.rejections, reviewerName: reviewer.displayName, reviewerUser: reviewer.username, reviewedAt: pendingUploads.reviewedAt,
      pollRunId: pendingUploads.pollRunId,
      // What the held rows are about, read from them (emptied once reviewed).
      units: sqlExpr<{ code: string; name: string }[] | null>`(
        select jsonb_agg(jsonb_build_object('code', u.gso_code, 'name', u.name) order by u.gso_code)
        from units u where u.id in (select distinct (e->>'unitId')::int from jsonb_array_elements(${pendingUploads.rows}) e))`,
      firstDay: sqlExpr<string | null>`(select min(e->>'day') from jsonb_array_elements(${pendingUploads.rows}) e)`,
      lastDay: sqlExpr<string | null>`(select max(e->>'day') from jsonb_array_elements(${pendingUploads.rows}) e)`
    })
    .from(pendingUploads)
    .innerJoin(dataSources, eq(dataSources.id, pendingUploads.sourceId))
    .leftJoin(sender, eq(sender.id, pendingUploads.submittedBy))
    .leftJoin(reviewer, eq(reviewer.id, pendingUploads.reviewedBy))
    .where(pending ? eq(pendingUploads.status, 'pending') : ne(pendingUploads.status, 'pending'))
    .orderBy(pending ? pendingUploads.id : desc(pendingUploads.id))
    .limit(pending ? 500 : 50);
  return rows.map((r) => ({
    id: r.id, sourceKey: r.sourceKey, sourceName: r.sourceName, submittedBy: person(r.senderName, r.senderUser), submittedAt: isoTimestamp(r.submittedAt)!,
    fileName: r.fileName, status: r.status as UploadView['status'], accepted: r.accepted, rejected: r.rejections.length, rejections: r.rejections.slice(0, 50),
    units: r.units ?? [], firstDay: r.firstDay, lastDay: r.lastDay, reviewedBy: person(r.reviewerName, r.reviewerUser), reviewedAt: isoTimestamp(r.reviewedAt),
    pollRunId: r.pollRunId
  }));
}

export type ReviewResult = { ok: true; outcome: PollOutcome | null; rejections: RejectedRow[] } | { ok: false; status: 404 | 409; message: string };

async function pendingOne(sql: Queryable, id: number) {
  const [p] = await orm(sql).select().from(pendingUploads).where(eq(pendingUploads.id, id));
  if (!p) return { ok: false, status: 404, message: `Không có tệp tải lên #${id}.` } as const;
  if (p.status !== 'pending') return { ok: false, status: 409, message: `Tệp tải lên #${id} đã được ${p.status === 'approved' ? 'duyệt' : 'từ chối'} trước đó.` } as const;
  return { ok: true, p } as const;
}

/**
 * Approves a held upload: its rows are checked against the source priorities again (a system of
 * record may have reported them meanwhile), then committed as a poll run of the upload source,
 * through the same path as any upload (samples, the boards it touches, NOTIFY), in one transaction
 * with the upload's change of status, so a second approval cannot count it twice.
 */
export async function approveUpload(sql: Sql, id: number, ctx: UploadSender, jobs?: PgBoss): Promise<ReviewResult> {
  const found = await pendingOne(sql, id);
  if (!found.ok) return found;
  const p = found.p;
  const [meta] = await orm(sql).select({ priority: dataSources.priority }).from(dataSources).where(eq(dataSources.id, p.sourceId));
  const source: SourceRow = (await loadSource(sql, p.sourceId))!;
  const screened = await screenByPriority(sql, { id: p.sourceId, priority: meta!.priority }, { rows: p.rows, rejected: [], read: p.read });
  const approver = userIdOf(ctx.actor);
  const refusedNow = screened.rejected.map((r) => ({ ...r, reason: `khi duyệt: ${r.reason}` }));
  let raced = false;
  let outcome: PollOutcome;
  try {
    outcome = await commitRun(sql, source, {
      startedAt: new Date(), t0: performance.now(), trigger: 'upload', window: { from: p.windowFrom, to: p.windowTo }, jobs,
      fetched: { rows: screened.rows, rejected: [...p.rejections, ...refusedNow], read: p.read, httpStatus: null, body: '', attempts: 1 },
      inTransaction: async (tx, pollRunId) => {
        const db = orm(tx);
        await db.update(pollRuns).set({ submittedBy: p.submittedBy, approvedBy: approver }).where(eq(pollRuns.id, pollRunId));
        const done = await db
          .update(pendingUploads)
          .set({ status: 'approved', reviewedBy: approver, reviewedAt: sqlExpr`now()`, pollRunId, rows: [] })
          .where(and(eq(pendingUploads.id, id), eq(pendingUploads.status, 'pending')))
          .returning({ id: pendingUploads.id });
        if (!done.length) {
          raced = true;
          throw new Error('reviewed meanwhile');
        }
      }
    });
  } catch (e) {
    if (raced) return { ok: false, status: 409, message: `Tệp tải lên #${id} vừa được người khác xử lý.` };
    throw e;
  }
  await recordAudit(sql, {
    actor: ctx.actor, action: 'approve_upload', entity: 'upload', entityId: id, ip: ctx.ip,
    before: { status: 'pending' },
    after: { status: 'approved', pollRunId: outcome.pollRunId, accepted: outcome.accepted, changed: outcome.changed, refusedAtApproval: refusedNow.length }
  });
  return { ok: true, outcome, rejections: refusedNow };
}

/** Rejects a held upload: its rows are dropped (the record of who sent what, and who refused it, stays). */
export async function rejectUpload(sql: Sql, id: number, ctx: UploadSender): Promise<ReviewResult> {
  const found = await pendingOne(sql, id);
  if (!found.ok) return found;
  const reviewer = userIdOf(ctx.actor);
  const done = await orm(sql)
    .update(pendingUploads)
    .set({ status: 'rejected', reviewedBy: reviewer, reviewedAt: sqlExpr`now()`, rows: [] })
    .where(and(eq(pendingUploads.id, id), eq(pendingUploads.status, 'pending')))
    .returning({ id: pendingUploads.id });
  if (!done.length) return { ok: false, status: 409, message: `Tệp tải lên #${id} vừa được người khác xử lý.` };
  await recordAudit(sql, {
    actor: ctx.actor, action: 'reject_upload', entity: 'upload', entityId: id, ip: ctx.ip,
    before: { status: 'pending' }, after: { status: 'rejected', heldRows: found.p.accepted }
  });
  return { ok: true, outcome: null, rejections: [] };
}

// ——— Templates ———

export async function templateSpec(sql: Sql, family: string): Promise<TemplateSpec> {
  if (!(METRIC_FAMILIES as readonly string[]).includes(family)) {
    throw new UploadError(`nhóm chỉ tiêu phải là một trong ${METRIC_FAMILIES.join(', ')}`, 404);
  }
  const db = orm(sql);
  const metricList = await db.select({ key: metrics.key, nameVi: metrics.nameVi }).from(metrics).where(and(eq(metrics.family, family as MetricFamily), eq(metrics.periodic, false))).orderBy(metrics.id);
  // The units in force today that report the family: communes; a city's departments (sở, ban, ngành)
  // their dossiers and tasks, not e-ID nor welfare payments; districts (where the map still has them) their tasks.
  const day = today();
  const unitList = await sql<{ code: string; name: string }[]>`
    select gso_code as code, name from units
    where (valid_from is null or valid_from <= ${day}::date) and (valid_to is null or valid_to >= ${day}::date)
      and (level = 'commune'
        or (level = 'department' and ${family} in ('dossier', 'task'))
        or (level = 'district' and ${family} = 'task'))
    order by case level when 'district' then 0 when 'commune' then 1 else 2 end, gso_code`;
  return { family, metrics: metricList, units: unitList };
}

export async function renderTemplate(sql: Sql, family: string, format: string): Promise<{ body: Uint8Array | string; type: string; name: string }> {
  const spec = await templateSpec(sql, family);
  if (format === 'csv') return { body: templateCsv(spec), type: 'text/csv; charset=utf-8', name: `mau-${family}.csv` };
  if (format !== 'xlsx') throw new UploadError('định dạng phải là xlsx hoặc csv', 400);
  return {
    body: new Uint8Array(await templateXlsx(spec)),
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    name: `mau-${family}.xlsx`
  };
}
