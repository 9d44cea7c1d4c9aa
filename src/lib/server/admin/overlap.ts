/**
 * Overlap and priority (issue 12, item 6). Two enabled sources overlap when the units they report
 * (their scope unit's subtree; no scope: every unit) and their metrics (those their mapping
 * declares, else their family's) intersect. Per (unit, metric, day) only the highest-priority
 * source's value counts (the view effective_samples, migration 0014); equal priorities would add
 * up, so an enabled source that overlaps another enabled source of the same priority is refused
 * (saveSource and setEnabled, admin/sources.ts) with the overlap named and the way out: give each
 * its own priority.
 *
 * Disabled sources are not compared: a disabled source polls nothing new (its stored values still
 * count by their priority), and enabling it is checked then.
 */
import { and, eq, inArray, ne } from 'drizzle-orm';
import { orm, type Queryable } from '#db/client';
import { dataSources } from '#db/schema/sources';
import { metrics as metricsTable } from '#db/schema/indicators';
import { unitClosure, units } from '#db/schema/units';
import { METRICS, TASK_METRICS } from '#domain/catalogue';

/** What is compared of a source (a saved one, or the form about to be saved). */
export interface OverlapCandidate {
  /** null: not saved yet. */
  id: number | null;
  family: string;
  /** null: every unit. */
  scopeUnitId: number | null;
  /** The metric keys it declares; empty: its family's metrics (metricsOfSource gives both). */
  metrics: readonly string[];
  priority: number;
  enabled: boolean;
}

export interface Overlap {
  sourceKey: string;
  sourceName: string;
  /** The units both report, in words: "Huyện Thanh Oai", or "toàn thành phố". */
  units: string;
  /** The metrics both report, Vietnamese names, in catalogue order. */
  metrics: string[];
}

/** Every unit, in the words of an overlap. */
export const WHOLE_CITY = 'toàn thành phố';

/** The metric keys of a family (the catalogue's) that a daily source or an upload reports: not the periodic ones (the portal's 766 fields). */
export function familyMetrics(family: string): string[] {
  return METRICS.filter((m) => m.family === family && !m.periodic).map((m) => m.key);
}

/**
 * The metric keys a source reports: a task list's the task metrics; a JSON mapping's its
 * `metrics` list; a table mapping's its column targets; otherwise (nothing declared) its family's.
 */
export function metricsOfSource(source: { family: string; produces: string; mapping: unknown }): string[] {
  const mapping = (source.mapping ?? {}) as { metrics?: unknown; columns?: unknown; taskColumns?: unknown };
  if (source.produces === 'tasks' || mapping.taskColumns) return [...TASK_METRICS];
  if (Array.isArray(mapping.metrics) && mapping.metrics.length) return [...new Set(mapping.metrics.filter((m): m is string => typeof m === 'string'))];
  if (mapping.columns && typeof mapping.columns === 'object') {
    const targets = Object.values(mapping.columns as Record<string, unknown>).filter((m): m is string => typeof m === 'string' && m.length > 0);
    if (targets.length) return [...new Set(targets)];
  }
  return familyMetrics(source.family);
}

/**
 * The first enabled source (by id) that overlaps the candidate at the same priority, with what
 * they share; null when none does, or the candidate is disabled.
 */
export async function findOverlap(sql: Queryable, candidate: OverlapCandidate): Promise<Overlap | null> {
  if (!candidate.enabled) return null;
  const mine = new Set(candidate.metrics.length ? candidate.metrics : familyMetrics(candidate.family));
  const db = orm(sql);
  const others = await db
    .select({
      id: dataSources.id, key: dataSources.key, name: dataSources.name, family: dataSources.family, produces: dataSources.produces,
      mapping: dataSources.mapping, scopeUnitId: dataSources.scopeUnitId
    })
    .from(dataSources)
    .where(
      and(
        eq(dataSources.enabled, true),
        eq(dataSources.priority, candidate.priority),
        candidate.id === null ? undefined : ne(dataSources.id, candidate.id)
      )
    )
    .orderBy(dataSources.id);
  const sharing = others
    .map((o) => ({ ...o, shared: metricsOfSource(o).filter((m) => mine.has(m)) }))
    .filter((o) => o.shared.length > 0);
  if (!sharing.length) return null;

  // Two subtrees meet when one scope is in the other's subtree: the deeper scope is what they share.
  const scopes = [...new Set([candidate.scopeUnitId, ...sharing.map((o) => o.scopeUnitId)].filter((id): id is number => id !== null))];
  const closure = scopes.length
    ? await db
        .select({ ancestor: unitClosure.ancestorId, descendant: unitClosure.descendantId })
        .from(unitClosure)
        .where(and(inArray(unitClosure.ancestorId, scopes), inArray(unitClosure.descendantId, scopes)))
    : [];
  const within = new Set(closure.map((c) => `${c.ancestor}>${c.descendant}`));
  const meet = (a: number | null, b: number | null): { shared: number | null } | null => {
    if (a === null) return { shared: b };
    if (b === null || a === b) return { shared: a };
    if (within.has(`${a}>${b}`)) return { shared: b };
    if (within.has(`${b}>${a}`)) return { shared: a };
    return null;
  };
  for (const other of sharing) {
    const met = meet(candidate.scopeUnitId, other.scopeUnitId);
    if (!met) continue;
    const [unit] = met.shared === null ? [] : await db.select({ name: units.name }).from(units).where(eq(units.id, met.shared));
    const names = await db.select({ key: metricsTable.key, nameVi: metricsTable.nameVi }).from(metricsTable).where(inArray(metricsTable.key, other.shared));
    const nameOf = new Map(names.map((n) => [n.key, n.nameVi]));
    const order = new Map(METRICS.map((m, i) => [m.key, i]));
    const shared = [...other.shared].sort((a, b) => (order.get(a) ?? 999) - (order.get(b) ?? 999));
    return {
      sourceKey: other.key,
      sourceName: other.name,
      units: met.shared === null ? WHOLE_CITY : (unit?.name ?? `đơn vị #${met.shared}`),
      metrics: shared.map((k) => nameOf.get(k) ?? METRICS.find((m) => m.key === k)?.nameVi ?? k)
    };
  }
  return null;
}

/**
 * The refusal, in words for the `priority` field: which source, which units, which metrics, and
 * how to fix it.
 */
export function overlapMessage(overlap: Overlap, priority: number): string {
  const where = overlap.units === WHOLE_CITY ? WHOLE_CITY : `${overlap.units} (và các đơn vị trực thuộc)`;
  return (
    `Trùng với nguồn đang bật "${overlap.sourceName}" (${overlap.sourceKey}), cùng mức ưu tiên ${priority}: ` +
    `cả hai cùng báo số liệu cho ${where} về các chỉ số: ${overlap.metrics.join(', ')}. ` +
    `Hai nguồn cùng mức ưu tiên thì số liệu bị cộng dồn. Cách sửa: đặt cho mỗi nguồn một mức ưu tiên khác nhau ` +
    `(số liệu của nguồn có mức ưu tiên cao hơn được tính), hoặc thu hẹp đơn vị hay chỉ số của một trong hai nguồn.`
  );
}
