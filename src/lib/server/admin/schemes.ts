/**
 * Indicator schemes (operations, national_766, …): the active version of each, its history, and a
 * change — which never edits a version. A change of one scheme inserts its next version (same key,
 * version + 1, active) with copies of the indicators carrying the new points and saturations,
 * deactivates that scheme's previous version, and queues the recompute of that scheme's current boards
 * (a job per period, run by the workers, never inside the request), all in one transaction; the
 * other schemes are untouched. Older boards keep the version they were computed
 * with (rankings.scheme_id), so a past rank is always explained by its own scheme.
 */
import { and, asc, desc, eq, inArray, max, sql as expr, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable as Sql } from '#db/client';
import { isoTimestamp, orm } from '#db/client';
import { auditLog } from '#db/schema/auth';
import { indicatorSchemes, indicators as indicatorTable } from '#db/schema/indicators';
import { periodOf, today, type Period } from '#domain/periods';
import { BOARD_PERIOD_KINDS, DEFAULT_SCHEME_KEY, schemeKeySchema } from '#contract/dto';
import type { PgBoss } from 'pg-boss';
import { queueRecompute } from '#server/jobs/send';
import { recordAudit } from '../auth/audit.ts';
import { fieldErrors, inTransaction, type Actor, type ChangeContext, type Outcome } from './users.ts';

export interface Band {
  name: string;
  min: number;
}

export interface SchemeIndicatorView {
  key: string;
  family: string;
  nameVi: string;
  nameEn: string;
  numerator: string[];
  denominator: string[];
  maxPoints: number;
  /** The ratio at which full points are earned, 0.01–1. */
  saturation: number;
  sortOrder: number;
}

export interface SchemeView {
  id: number;
  key: string;
  version: number;
  nameVi: string;
  nameEn: string;
  active: boolean;
  bands: Band[];
  note: string | null;
  createdAt: string;
  /** Who made this version (from the audit log); null for the seeded first version. */
  createdBy: string | null;
  indicators: SchemeIndicatorView[];
}

export const MIN_BANDS = 2;
export const MAX_BANDS = 7;

const indicatorChange = z.object({
  maxPoints: z
    .number({ error: 'Điểm tối đa phải là một số.' })
    .min(0, 'Điểm tối đa phải từ 0 đến 100.')
    .max(100, 'Điểm tối đa phải từ 0 đến 100.'),
  saturation: z
    .number({ error: 'Mức đạt điểm tối đa phải là một số phần trăm.' })
    .min(0.01, 'Mức đạt điểm tối đa phải từ 1 % đến 100 %.')
    .max(1, 'Mức đạt điểm tối đa phải từ 1 % đến 100 %.')
});

const band = z.object({
  name: z.string({ error: 'Nhập tên xếp loại.' }).trim().min(1, 'Nhập tên xếp loại.').max(40, 'Tên xếp loại dài tối đa 40 ký tự.'),
  min: z.number({ error: 'Điểm sàn phải là một số.' }).min(0, 'Điểm sàn phải từ 0 đến 100.').max(100, 'Điểm sàn phải từ 0 đến 100.')
});

export const bandsSchema = z
  .array(band, { error: 'Nhập các mức xếp loại.' })
  .min(MIN_BANDS, `Cần từ ${MIN_BANDS} đến ${MAX_BANDS} mức xếp loại.`)
  .max(MAX_BANDS, `Cần từ ${MIN_BANDS} đến ${MAX_BANDS} mức xếp loại.`)
  .superRefine((bands, ctx) => {
    const seen = new Set<string>();
    bands.forEach((b, i) => {
      const name = b.name.toLowerCase();
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `Tên xếp loại "${b.name}" bị trùng.` });
      seen.add(name);
      const above = bands[i - 1];
      if (above && b.min >= above.min) {
        ctx.addIssue({ code: 'custom', path: [i, 'min'], message: `Điểm sàn phải nhỏ hơn của mức trên (${above.name}: ${above.min}).` });
      }
    });
    const last = bands[bands.length - 1];
    if (last && last.min !== 0) ctx.addIssue({ code: 'custom', path: [bands.length - 1, 'min'], message: 'Mức cuối cùng phải có điểm sàn 0 (mọi tổng điểm đều được xếp loại).' });
  });

export const schemeChangeSchema = z.object({
  /** Which scheme the change is to (default: operations); only its versions change. */
  scheme: schemeKeySchema.default(DEFAULT_SCHEME_KEY),
  /** The version the form showed: a save over a newer version is refused instead of undoing it. */
  baseSchemeId: z.number().int().positive().nullish(),
  /** By indicator key; an indicator left out keeps its values. */
  indicators: z.record(z.string(), indicatorChange),
  bands: bandsSchema,
  note: z.string({ error: 'Ghi lý do thay đổi.' }).trim().min(1, 'Ghi lý do thay đổi.').max(1000, 'Lý do dài tối đa 1.000 ký tự.')
});
export type SchemeChangeInput = z.input<typeof schemeChangeSchema>;

async function schemesWhere(sql: Sql, where: SQL): Promise<SchemeView[]> {
  const db = orm(sql);
  const s = indicatorSchemes;
  // Who made the version: the newest create_version entry of the audit log (none for a seeded version).
  const creator = db
    .select({ name: auditLog.actorName })
    .from(auditLog)
    .where(and(eq(auditLog.entity, 'scheme'), eq(auditLog.entityId, expr`${s.id}::text`), eq(auditLog.action, 'create_version')))
    .orderBy(desc(auditLog.at))
    .limit(1)
    .as('creator');
  const schemes = await db
    .select({
      id: s.id, key: s.key, version: s.version, nameVi: s.nameVi, nameEn: s.nameEn, active: s.active, bands: s.bands, note: s.note,
      createdAt: s.createdAt, createdBy: creator.name
    })
    .from(s)
    .leftJoinLateral(creator, expr`true`)
    .where(where)
    .orderBy(desc(s.version), desc(s.id));
  if (!schemes.length) return [];
  const i = indicatorTable;
  const indicators = await db
    .select({
      schemeId: i.schemeId, key: i.key, family: i.family, nameVi: i.nameVi, nameEn: i.nameEn, numerator: i.numerator, denominator: i.denominator,
      maxPoints: i.maxPoints, saturation: i.saturation, sortOrder: i.sortOrder
    })
    .from(i)
    .where(inArray(i.schemeId, schemes.map((s) => s.id)))
    .orderBy(asc(i.sortOrder), asc(i.id));
  return schemes.map((s) => ({
    ...s,
    createdAt: isoTimestamp(s.createdAt)!,
    indicators: indicators.filter((i) => i.schemeId === s.id).map(({ schemeId: _, ...i }) => i)
  }));
}

/** The version of a scheme (default: operations) its boards are computed with: its newest active row (as the ranking workers pick it). */
export async function readActiveScheme(sql: Sql, key: string = DEFAULT_SCHEME_KEY): Promise<SchemeView | null> {
  const s = indicatorSchemes;
  const [active] = await orm(sql).select({ id: s.id }).from(s).where(and(eq(s.active, true), eq(s.key, key))).orderBy(desc(s.id)).limit(1);
  if (!active) return null;
  return (await schemesWhere(sql, eq(s.id, active.id)))[0] ?? null;
}

/** The version in force of every scheme, the operations scheme first. */
export async function readActiveSchemes(sql: Sql): Promise<SchemeView[]> {
  const s = indicatorSchemes;
  const inForce = orm(sql).selectDistinctOn([s.key], { id: s.id }).from(s).where(eq(s.active, true)).orderBy(asc(s.key), desc(s.id));
  const views = await schemesWhere(sql, inArray(s.id, inForce));
  return views.sort((a, b) => Number(b.key === DEFAULT_SCHEME_KEY) - Number(a.key === DEFAULT_SCHEME_KEY) || a.key.localeCompare(b.key));
}

/** Every version of a scheme, newest first, each with its indicators and bands. */
export function schemeHistory(sql: Sql, key: string): Promise<SchemeView[]> {
  return schemesWhere(sql, eq(indicatorSchemes.key, key));
}

export async function readScheme(sql: Sql, schemeId: number): Promise<SchemeView | null> {
  return (await schemesWhere(sql, eq(indicatorSchemes.id, schemeId)))[0] ?? null;
}

/** What the audit log keeps of a version. */
const auditView = (s: Pick<SchemeView, 'id' | 'key' | 'version' | 'bands' | 'note'>, indicators: Pick<SchemeIndicatorView, 'key' | 'maxPoints' | 'saturation'>[]) => ({
  id: s.id,
  // Not `key`: the audit log masks a field named so, taking it for a secret.
  scheme: s.key,
  version: s.version,
  note: s.note,
  bands: s.bands,
  indicators: Object.fromEntries(indicators.map((i) => [i.key, { maxPoints: i.maxPoints, saturation: i.saturation }]))
});

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;

export type SchemeSaved = {
  scheme: { id: number; key: string; version: number };
  previous: { id: number; version: number };
  /** The boards recomputed with the new version, by a job: one per period, followed as one batch. */
  recompute: { batch: string; periods: Period[] };
};

/** Where the change came from (audit), and the job queue its recompute goes to. */
export type SchemeChangeContext = ChangeContext & { jobs: PgBoss };

/**
 * Saves a change as the next version of one scheme (`input.scheme`, default operations), and queues
 * the recompute of that scheme's boards of the current period of every kind with it — in one
 * transaction, so a failed save queues nothing and a saved version always has its recompute. The
 * workers run it (minutes at national scale); the admin screen follows the batch. The other
 * schemes' versions and boards stay.
 */
export async function saveSchemeVersion(sql: Sql, input: SchemeChangeInput, actor: Actor, ctx: SchemeChangeContext): Promise<Outcome<SchemeSaved>> {
  const parsed = schemeChangeSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) };
  const v = parsed.data;
  const bands = v.bands.map((b) => ({ name: b.name, min: round(b.min, 2) }));
  const changes = Object.entries(v.indicators).map(([key, c]) => ({ key, maxPoints: round(c.maxPoints, 2), saturation: round(c.saturation, 4) }));
  return inTransaction(sql, async (tx): Promise<Outcome<SchemeSaved>> => {
    // Locks the active version: two saves at once are one after the other, the second sees the first.
    const db = orm(tx);
    const schemes = indicatorSchemes;
    const [current] = await db
      .select({
        id: schemes.id, key: schemes.key, version: schemes.version, nameVi: schemes.nameVi, nameEn: schemes.nameEn, bands: schemes.bands, note: schemes.note,
        groups: schemes.groups, totalRule: schemes.totalRule, periodKinds: schemes.periodKinds
      })
      .from(schemes)
      .where(and(eq(schemes.active, true), eq(schemes.key, v.scheme)))
      .orderBy(desc(schemes.id))
      .limit(1)
      .for('update');
    if (!current) return { ok: false, errors: { scheme: `Không có bộ chỉ số "${v.scheme}" đang áp dụng.` } };
    if (v.baseSchemeId != null && v.baseSchemeId !== current.id) {
      return { ok: false, errors: { form: 'Bộ chỉ số vừa được thay đổi (có phiên bản mới hơn). Tải lại trang rồi sửa lại.' } };
    }
    const indicators = await db
      .select()
      .from(indicatorTable)
      .where(eq(indicatorTable.schemeId, current.id))
      .orderBy(asc(indicatorTable.sortOrder), asc(indicatorTable.id));
    const known = new Map(indicators.map((i) => [i.key, i]));
    const errors: Record<string, string> = {};
    for (const c of changes) if (!known.has(c.key)) errors[`indicators.${c.key}`] = `Không có chỉ số ${c.key} trong bộ chỉ số đang áp dụng.`;
    if (Object.keys(errors).length) return { ok: false, errors };
    const byKey = new Map(changes.map((c) => [c.key, c]));
    const next = indicators.map((i) => ({
      key: i.key, maxPoints: byKey.get(i.key)?.maxPoints ?? i.maxPoints, saturation: byKey.get(i.key)?.saturation ?? i.saturation
    }));
    const total = next.reduce((s, i) => s + i.maxPoints, 0);
    if (total <= 0) {
      return { ok: false, errors: { indicators: 'Tổng điểm tối đa của các chỉ số phải lớn hơn 0.' } };
    }
    // Totals are out of the scheme's own maximum (100, or 20 for the 766 group): a band above it is never reached.
    const unreachable = bands.findIndex((b) => b.min > total + 1e-9);
    if (unreachable >= 0) {
      return { ok: false, errors: { [`bands.${unreachable}.min`]: `Điểm sàn ${bands[unreachable]!.min} cao hơn tổng điểm tối đa của bộ chỉ số (${round(total, 2)}): không đơn vị nào đạt được.` } };
    }
    const unchanged =
      next.every((n) => same(n.maxPoints, known.get(n.key)!.maxPoints) && same(n.saturation, known.get(n.key)!.saturation)) &&
      JSON.stringify(bands) === JSON.stringify(current.bands.map((b) => ({ name: b.name, min: b.min })));
    if (unchanged) return { ok: false, errors: { form: 'Không có thay đổi nào so với phiên bản đang áp dụng.' } };

    const [newest] = await db.select({ version: max(schemes.version) }).from(schemes).where(eq(schemes.key, current.key));
    const version = newest!.version! + 1;
    await db.update(schemes).set({ active: false }).where(and(eq(schemes.key, current.key), eq(schemes.active, true)));
    const [created] = await db
      .insert(schemes)
      .values({
        key: current.key, version, nameVi: current.nameVi, nameEn: current.nameEn, active: true, bands, note: v.note,
        // A group's maximum is its indicators' (an edited sub-indicator moves its group's); the rules stay.
        groups: current.groups.map((g) => ({ ...g, maxPoints: round(next.filter((_, n) => indicators[n]!.groupKey === g.key).reduce((t, i) => t + i.maxPoints, 0), 2) })),
        totalRule: current.totalRule, periodKinds: current.periodKinds
      })
      .returning({ id: schemes.id });
    const schemeId = created!.id;
    // Copies of the version's indicators, with the new points and saturations (`next`, in the same order).
    await db.insert(indicatorTable).values(indicators.map(({ id: _, ...i }, n) => ({ ...i, schemeId, maxPoints: next[n]!.maxPoints, saturation: next[n]!.saturation })));

    // This scheme's current boards of every period kind are recomputed with the new version by a job
    // (queued in this transaction: no version without its recompute); older boards keep theirs.
    const day = today(ctx.now);
    const periods = BOARD_PERIOD_KINDS.filter((kind) => !current.periodKinds || current.periodKinds.includes(kind)).map((kind) => periodOf(kind, day));
    const batch = await queueRecompute(ctx.jobs, tx, { periods, schemes: [current.key], cause: 'scheme' });

    await recordAudit(tx, {
      actor, action: 'create_version', entity: 'scheme', entityId: schemeId,
      before: auditView({ id: current.id, key: current.key, version: current.version, bands: current.bands, note: current.note },
        indicators.map((i) => ({ key: i.key, maxPoints: i.maxPoints, saturation: i.saturation }))),
      after: auditView({ id: schemeId, key: current.key, version, bands, note: v.note }, next),
      ip: ctx.ip
    });
    return { ok: true, scheme: { id: schemeId, key: current.key, version }, previous: { id: current.id, version: current.version }, recompute: { batch, periods } };
  });
}

/** Form field names of the scheme form. */
export const schemeField = {
  maxPoints: (key: string) => `indicators.${key}.maxPoints`,
  /** In percent on the form (1–100); the scheme stores a ratio (0.01–1). */
  saturation: (key: string) => `indicators.${key}.saturation`,
  bandName: (i: number) => `bands.${i}.name`,
  bandMin: (i: number) => `bands.${i}.min`
} as const;

/** A number as typed: "12", "12.5" or "12,5"; empty or anything else is NaN (and named by the schema). */
const typedNumber = (s: string | undefined) => {
  const t = (s ?? '').trim().replace(',', '.');
  return t === '' ? NaN : Number(t);
};

/**
 * The scheme form (flat fields: `scheme` (its key), `indicators.<key>.maxPoints`, `indicators.<key>.saturation`
 * in percent, `bands.<i>.name` / `bands.<i>.min` for i = 0…6, `note`, `baseSchemeId`) → a change.
 * Band rows left wholly empty are skipped; `bandRows[i]` is the form row of the i-th band.
 */
export function schemeInputFromForm(values: Record<string, string>): { input: SchemeChangeInput; bandRows: number[] } {
  const indicators: Record<string, { maxPoints: number; saturation: number }> = {};
  for (const [field, value] of Object.entries(values)) {
    const m = /^indicators\.(.+)\.(maxPoints|saturation)$/.exec(field);
    if (!m) continue;
    const entry = (indicators[m[1]!] ??= { maxPoints: NaN, saturation: NaN });
    if (m[2] === 'maxPoints') entry.maxPoints = typedNumber(value);
    else entry.saturation = typedNumber(value) / 100;
  }
  const bands: { name: string; min: number }[] = [];
  const bandRows: number[] = [];
  for (let i = 0; i < MAX_BANDS + 3; i++) {
    const name = values[schemeField.bandName(i)];
    const min = values[schemeField.bandMin(i)];
    if ((name ?? '').trim() === '' && (min ?? '').trim() === '') continue;
    bands.push({ name: name ?? '', min: typedNumber(min) });
    bandRows.push(i);
  }
  const base = Number(values.baseSchemeId);
  return {
    input: {
      scheme: values.scheme || DEFAULT_SCHEME_KEY, baseSchemeId: Number.isInteger(base) && base > 0 ? base : null, indicators, bands, note: values.note ?? ''
    },
    bandRows
  };
}

/** Saves the scheme form: errors are named by the form's own fields (`bands.3.min` is the fourth row as shown). */
export async function saveSchemeFromForm(sql: Sql, values: Record<string, string>, actor: Actor, ctx: SchemeChangeContext): Promise<Outcome<SchemeSaved>> {
  const { input, bandRows } = schemeInputFromForm(values);
  const result = await saveSchemeVersion(sql, input, actor, ctx);
  if (result.ok) return result;
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(result.errors)) {
    const m = /^bands\.(\d+)\.(.+)$/.exec(field);
    errors[m ? `bands.${bandRows[Number(m[1])] ?? m[1]}.${m[2]}` : field] ??= message;
  }
  return { ok: false, errors };
}
