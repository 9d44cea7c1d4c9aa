/**
 * Targets (chỉ tiêu) as an administrator sets them (docs/targets.md): one on the screen or the API,
 * many from a spreadsheet (.xlsx or CSV). Each bad field or line is named in words; a spreadsheet's
 * good lines are kept when others are refused. Every change is in the audit log.
 */
import { and, eq, inArray, isNull, sql as expr } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { orm, type Queryable as Sql } from '#db/client';
import { targets, units, users } from '#db/schema/index';
import { PERIOD_KINDS, periodOf, type PeriodKind } from '#domain/periods';
import { parsePercent } from '#domain/targets';
import { DEFAULT_SCHEME_KEY } from '#domain/catalogue';
import { TARGETS_CHANNEL, type TargetsChanged } from '#contract/notify';
import { m } from '$lib/paraglide/messages';
import { parseDay } from '../../admin/dates.ts';
import { recordAudit } from '../auth/audit.ts';
import type { Principal } from '../auth/principal.ts';
import { readSchemeIndicators, rootUnitCode } from '../boards.ts';
import { readXlsx, sniffUpload } from '../pipeline/mapping/sheets.ts';
import { readCsvRecords } from '../pipeline/mapping/table.ts';
import { toCsv } from '../csv.ts';
import { toXlsx } from '../exports.ts';
import { inTransaction, type ChangeContext, type Outcome } from './users.ts';

export interface TargetListRow {
  id: number;
  schemeKey: string;
  indicatorKey: string;
  indicatorName: string;
  /** null: the whole installation. */
  unitCode: string | null;
  unitName: string | null;
  periodKind: PeriodKind | null;
  periodStart: string | null;
  minRatio: number;
  updatedAt: string;
  updatedBy: string | null;
}

export async function listTargets(sql: Sql, schemeKey: string = DEFAULT_SCHEME_KEY): Promise<TargetListRow[]> {
  const editor = alias(users, 'editor');
  const rows = await orm(sql)
    .select({
      id: targets.id, schemeKey: targets.schemeKey, indicatorKey: targets.indicatorKey, unitCode: units.gsoCode, unitName: units.name,
      periodKind: targets.periodKind, periodStart: targets.periodStart, minRatio: targets.minRatio, updatedAt: targets.updatedAt, updatedBy: editor.username
    })
    .from(targets)
    .leftJoin(units, eq(units.id, targets.unitId))
    .leftJoin(editor, eq(editor.id, targets.updatedBy))
    .where(eq(targets.schemeKey, schemeKey))
    .orderBy(targets.indicatorKey, expr`${targets.unitId} nulls first`, units.gsoCode, expr`${targets.periodStart} nulls first`);
  const names = new Map((await readSchemeIndicators(sql, schemeKey)).map((i) => [i.key, i.nameVi]));
  return rows.map((r) => ({ ...r, indicatorName: names.get(r.indicatorKey) ?? r.indicatorKey, updatedAt: r.updatedAt.toISOString() }));
}

/** What the screen, the API and a spreadsheet line send: the words as typed. */
export interface TargetInput {
  id?: string | number;
  indicatorKey?: string;
  /** A unit's code; empty or the city's own code: the whole installation. */
  scopeCode?: string;
  /** Empty: every period. */
  periodKind?: string;
  /** Any day of the period (dd/mm/yyyy or YYYY-MM-DD); the period's first day is kept. */
  periodDate?: string;
  /** "95", "95,5" */
  percent?: string;
}

interface Place { indicatorKey: string; unitId: number | null; periodKind: PeriodKind | null; periodStart: string | null; minRatio: number }

async function checkInput(sql: Sql, input: TargetInput, schemeKey: string): Promise<{ place: Place } | { errors: Record<string, string> }> {
  const errors: Record<string, string> = {};
  const indicatorKey = (input.indicatorKey ?? '').trim();
  const indicators = await readSchemeIndicators(sql, schemeKey);
  if (!indicators.some((i) => i.key === indicatorKey)) errors.indicatorKey = m.target_err_indicator({ key: indicatorKey });
  const scopeCode = (input.scopeCode ?? '').trim();
  let unitId: number | null = null;
  if (scopeCode && scopeCode !== (await rootUnitCode(sql as Parameters<typeof rootUnitCode>[0]))) {
    const [u] = await orm(sql).select({ id: units.id }).from(units).where(and(eq(units.gsoCode, scopeCode), isNull(units.validTo)));
    if (!u) errors.scopeCode = m.target_err_scope({ code: scopeCode });
    else unitId = u.id;
  }
  const kindText = (input.periodKind ?? '').trim();
  let periodKind: PeriodKind | null = null;
  let periodStart: string | null = null;
  if (kindText) {
    if (!(PERIOD_KINDS as readonly string[]).includes(kindText)) errors.periodKind = m.target_err_period_kind({ value: kindText });
    else periodKind = kindText as PeriodKind;
    const dayText = (input.periodDate ?? '').trim();
    const day = dayText ? parseDay(dayText) : null;
    if (!dayText) errors.periodDate = m.target_err_period_date_missing();
    else if (!day) errors.periodDate = m.target_err_period_date({ value: dayText });
    else if (periodKind) periodStart = periodOf(periodKind, day).start;
  }
  const percentText = (input.percent ?? '').trim();
  const minRatio = percentText ? parsePercent(percentText) : null;
  if (!percentText) errors.percent = m.target_err_value_missing();
  else if (minRatio === null) errors.percent = m.target_err_value({ value: percentText });
  if (Object.keys(errors).length || minRatio === null) return { errors };
  return { place: { indicatorKey, unitId, periodKind, periodStart, minRatio } };
}

const auditView = (p: Place & { scopeCode?: string | null }) => ({
  indicatorKey: p.indicatorKey, unitId: p.unitId, periodKind: p.periodKind, periodStart: p.periodStart, minRatio: p.minRatio
});

/**
 * Saves one target: with `id`, that one changes; without, the one at the same place (indicator,
 * unit, period) takes the new value, or a new one is made.
 */
export async function saveTarget(sql: Sql, input: TargetInput, actor: Principal, ctx: ChangeContext & { schemeKey?: string } = {}): Promise<Outcome<{ id: number; created: boolean }>> {
  const schemeKey = ctx.schemeKey ?? DEFAULT_SCHEME_KEY;
  const checked = await checkInput(sql, input, schemeKey);
  if ('errors' in checked) return { ok: false, errors: checked.errors };
  const id = input.id === undefined || input.id === '' ? null : Number(input.id);
  if (id !== null && !Number.isInteger(id)) return { ok: false, errors: { form: m.target_err_not_found() } };
  return inTransaction(sql, async (tx) => {
    const r = await writeTarget(tx, schemeKey, checked.place, id, actor, ctx);
    return r ? { ok: true as const, ...r } : { ok: false as const, errors: { form: m.target_err_not_found() } };
  });
}

/**
 * Tells every web node which open boards the change of a target touches (TARGETS_CHANNEL), inside
 * the change's transaction so it arrives once the change is committed: the boards of the periods the
 * places name (every period when one names none) and of the units (a unit's own board and its
 * parent's, where it is a row; every board when one is the city's).
 */
async function announce(tx: Sql, schemeKey: string, places: readonly Pick<Place, 'unitId' | 'periodKind' | 'periodStart'>[]): Promise<void> {
  const everyPeriod = places.some((p) => p.periodKind === null || p.periodStart === null);
  const everyScope = places.some((p) => p.unitId === null);
  const unitIds = [...new Set(places.map((p) => p.unitId).filter((id): id is number => id !== null))];
  const parents = everyScope || !unitIds.length ? [] : await orm(tx).select({ id: units.parentId }).from(units).where(inArray(units.id, unitIds));
  const payload: TargetsChanged = {
    scheme: schemeKey,
    periods: everyPeriod ? null : [...new Map(places.map((p) => [`${p.periodKind}|${p.periodStart}`, { kind: p.periodKind!, start: p.periodStart! }])).values()],
    scopeIds: everyScope ? null : [...new Set([...unitIds, ...parents.map((p) => p.id).filter((id): id is number => id !== null)])]
  };
  await tx`select pg_notify(${TARGETS_CHANNEL}, ${JSON.stringify(payload)})`;
}

async function writeTarget(tx: Sql, schemeKey: string, place: Place, id: number | null, actor: Principal, ctx: ChangeContext): Promise<{ id: number; created: boolean } | null> {
  const db = orm(tx);
  const actorId = actor.kind === 'user' ? actor.user.id : null;
  const now = ctx.now ?? new Date();
  const same = and(
    eq(targets.schemeKey, schemeKey), eq(targets.indicatorKey, place.indicatorKey),
    place.unitId === null ? isNull(targets.unitId) : eq(targets.unitId, place.unitId),
    place.periodKind === null ? isNull(targets.periodKind) : eq(targets.periodKind, place.periodKind),
    place.periodStart === null ? isNull(targets.periodStart) : eq(targets.periodStart, place.periodStart)
  );
  const [before] = id !== null
    ? await db.select().from(targets).where(and(eq(targets.id, id), eq(targets.schemeKey, schemeKey))).for('update')
    : await db.select().from(targets).where(same).for('update');
  if (id !== null && !before) return null;
  if (before) {
    // Moving an edited target onto another's place replaces that one.
    if (id !== null) await db.delete(targets).where(and(same, expr`${targets.id} <> ${id}`));
    await db.update(targets).set({ ...place, updatedBy: actorId, updatedAt: now }).where(eq(targets.id, before.id));
    await recordAudit(tx, { actor, action: 'update', entity: 'target', entityId: before.id, before: auditView({ ...before, minRatio: before.minRatio }), after: auditView(place), ip: ctx.ip });
    await announce(tx, schemeKey, [before, place]);
    return { id: before.id, created: false };
  }
  const [made] = await db.insert(targets).values({ schemeKey, ...place, updatedBy: actorId, updatedAt: now }).returning({ id: targets.id });
  await recordAudit(tx, { actor, action: 'create', entity: 'target', entityId: made!.id, after: auditView(place), ip: ctx.ip });
  await announce(tx, schemeKey, [place]);
  return { id: made!.id, created: true };
}

export async function deleteTarget(sql: Sql, id: number, actor: Principal, ctx: ChangeContext = {}): Promise<Outcome<object>> {
  return inTransaction(sql, async (tx) => {
    const [gone] = await orm(tx).delete(targets).where(eq(targets.id, id)).returning();
    if (!gone) return { ok: false as const, errors: { form: m.target_err_not_found() } };
    await recordAudit(tx, { actor, action: 'delete', entity: 'target', entityId: id, before: auditView(gone), ip: ctx.ip });
    await announce(tx, gone.schemeKey, [gone]);
    return { ok: true as const };
  });
}

// ——— Spreadsheets ———

/** The template's columns: the key in brackets finds the column whatever the words before it say. */
export const TARGET_COLUMNS = [
  { key: 'indicator', heading: 'Chỉ số (mã hoặc tên) [indicator]' },
  { key: 'unit_code', heading: 'Mã đơn vị (trống: toàn thành phố) [unit_code]' },
  { key: 'period_kind', heading: 'Loại kỳ (trống: mọi kỳ) [period_kind]' },
  { key: 'period_date', heading: 'Ngày trong kỳ (dd/mm/yyyy) [period_date]' },
  { key: 'percent', heading: 'Chỉ tiêu (%) [percent]' }
] as const;
type ColumnKey = (typeof TARGET_COLUMNS)[number]['key'];

export type SheetCell = string | number | boolean | Date | null;
export interface TargetLine { line: number; input: TargetInput }
export interface TargetProblem { line: number | null; reason: string }

const fold = (t: string) => t.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();

/** Period kinds as a spreadsheet may write them: the key, or its Vietnamese name (with or without accents). */
const KIND_WORDS: Record<string, PeriodKind> = {
  ngay: 'day', tuan: 'week', thang: 'month', quy: 'quarter', nam: 'year',
  'ky bc thang': 'report_month', 'ky bao cao thang': 'report_month', 'thang bao cao': 'report_month',
  'ky bc quy': 'report_quarter', 'ky bao cao quy': 'report_quarter', 'quy bao cao': 'report_quarter',
  'ky bc nam': 'report_year', 'ky bao cao nam': 'report_year', 'nam bao cao': 'report_year'
};

const cellText = (c: SheetCell | undefined): string => {
  if (c === null || c === undefined) return '';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).trim();
};

/**
 * A spreadsheet's rows (the first is the header) → the lines it asks for, and each line it cannot
 * take with its number (as the spreadsheet numbers it) and why, in words. Pure: what needs the
 * database (does the unit exist, the indicator) is given.
 */
export function parseTargetsSheet(
  rows: readonly (readonly SheetCell[])[],
  known: { indicators: readonly { key: string; nameVi: string }[]; unitCodes: ReadonlySet<string> }
): { lines: TargetLine[]; problems: TargetProblem[] } {
  const problems: TargetProblem[] = [];
  const header = (rows[0] ?? []).map((c) => cellText(c));
  const at = {} as Record<ColumnKey, number>;
  for (const col of TARGET_COLUMNS) {
    const i = header.findIndex((h) => h.toLowerCase().includes(`[${col.key}]`) || h.toLowerCase() === col.key);
    if (i < 0) problems.push({ line: 1, reason: m.target_import_no_column({ column: col.key }) });
    at[col.key] = i;
  }
  if (problems.length) return { lines: [], problems };
  const byKey = new Map(known.indicators.map((i) => [i.key.toLowerCase(), i.key]));
  const byName = new Map(known.indicators.map((i) => [fold(i.nameVi), i.key]));
  const lines: TargetLine[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((row, i) => {
    const line = i + 2;
    const get = (k: ColumnKey) => row[at[k]];
    if (TARGET_COLUMNS.every((c) => cellText(get(c.key)) === '')) return;
    const reasons: string[] = [];
    const indText = cellText(get('indicator'));
    const indicatorKey = byKey.get(indText.toLowerCase()) ?? byName.get(fold(indText));
    if (!indicatorKey) reasons.push(m.target_import_indicator({ value: indText }));
    const unitCode = cellText(get('unit_code'));
    if (unitCode && !known.unitCodes.has(unitCode)) reasons.push(m.target_import_unit({ code: unitCode }));
    const kindText = cellText(get('period_kind'));
    const kind = kindText ? ((PERIOD_KINDS as readonly string[]).includes(kindText) ? (kindText as PeriodKind) : KIND_WORDS[fold(kindText)]) : null;
    if (kindText && !kind) reasons.push(m.target_import_kind({ value: kindText }));
    const dateCell = get('period_date');
    const dateText = cellText(dateCell);
    const day = dateCell instanceof Date ? dateText : dateText ? parseDay(dateText) : null;
    if (dateText && !day) reasons.push(m.target_import_date({ value: dateText }));
    if (kindText && !dateText) reasons.push(m.target_import_date_missing());
    if (!kindText && dateText) reasons.push(m.target_import_date_alone());
    // A number cell: 95 is 95 %; 0.95 is Excel's own percentage (a cell formatted as %) and also 95 %.
    const valueCell = get('percent');
    const valueText = cellText(valueCell);
    const minRatio = typeof valueCell === 'number' ? (valueCell > 0 && valueCell <= 1 ? valueCell : valueCell > 1 && valueCell <= 100 ? valueCell / 100 : null) : parsePercent(valueText);
    if (minRatio === null) reasons.push(m.target_import_value({ value: valueText }));
    if (reasons.length) {
      problems.push({ line, reason: reasons.join('; ') });
      return;
    }
    const place = `${indicatorKey}|${unitCode}|${kind ?? ''}|${kind && day ? periodOf(kind, day).start : ''}`;
    const first = seen.get(place);
    if (first !== undefined) {
      problems.push({ line, reason: m.target_import_twice({ line: first }) });
      return;
    }
    seen.set(place, line);
    lines.push({ line, input: { indicatorKey, scopeCode: unitCode, periodKind: kind ?? '', periodDate: day ?? '', percent: String(Math.round(minRatio! * 10000) / 100) } });
  });
  if (!lines.length && !problems.length) problems.push({ line: null, reason: m.target_import_empty() });
  return { lines, problems };
}

/** A spreadsheet's cells, .xlsx or CSV (told apart by its first bytes). */
export async function readSheet(bytes: Uint8Array): Promise<SheetCell[][]> {
  if (sniffUpload(bytes) === 'xlsx') return readXlsx(bytes);
  const text = Buffer.from(bytes).toString('utf8');
  return readCsvRecords(text).records.map((r) => r.cells);
}

export interface TargetImport { saved: number; problems: TargetProblem[] }

/** Imports a spreadsheet of targets: every good line saved (audited one by one), every bad one refused with its line and reason. */
export async function importTargets(sql: Sql, bytes: Uint8Array, actor: Principal, ctx: ChangeContext & { schemeKey?: string } = {}): Promise<TargetImport> {
  const schemeKey = ctx.schemeKey ?? DEFAULT_SCHEME_KEY;
  let rows: SheetCell[][];
  try {
    rows = await readSheet(bytes);
  } catch (e) {
    return { saved: 0, problems: [{ line: null, reason: (e as Error).message }] };
  }
  const indicators = await readSchemeIndicators(sql, schemeKey);
  const current = await orm(sql).select({ code: units.gsoCode }).from(units).where(isNull(units.validTo));
  const { lines, problems } = parseTargetsSheet(rows, { indicators, unitCodes: new Set(current.map((u) => u.code)) });
  let saved = 0;
  for (const l of lines) {
    const r = await saveTarget(sql, l.input, actor, { ...ctx, schemeKey });
    if (r.ok) saved += 1;
    else problems.push({ line: l.line, reason: Object.values(r.errors).join('; ') });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { saved, problems };
}

/** The template to fill: the headings, and one example line per indicator for the whole city. */
export async function targetsTemplate(sql: Sql, format: 'xlsx' | 'csv', schemeKey: string = DEFAULT_SCHEME_KEY): Promise<{ body: Uint8Array | string; type: string; name: string }> {
  const indicators = await readSchemeIndicators(sql, schemeKey);
  const table = [TARGET_COLUMNS.map((c) => c.heading), ...indicators.map((i) => [i.nameVi, '', '', '', ''])];
  if (format === 'csv') return { body: toCsv(table), type: 'text/csv; charset=utf-8', name: 'mau-chi-tieu.csv' };
  return { body: await toXlsx(table, 'Chỉ tiêu'), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', name: 'mau-chi-tieu.xlsx' };
}

/** The API's JSON body → the form's fields: `percent` as a number (95.5) or text ("95,5"); `periodDate` YYYY-MM-DD or dd/mm/yyyy. */
export function targetInputFromJson(body: Record<string, unknown>): TargetInput {
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v === null || v === undefined ? '' : JSON.stringify(v));
  return { indicatorKey: text(body.indicatorKey), scopeCode: text(body.scopeCode), periodKind: text(body.periodKind), periodDate: text(body.periodDate), percent: text(body.percent) };
}
