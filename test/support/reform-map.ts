/** A small map built by hand for the tests of a reform: units with their days in force, and the lineage with its shares. */
import type { Sql } from '../../db/client.ts';
import { rebuildClosure } from '../../db/closure.ts';
import { lineageShares, type MergeLink } from '../../src/lib/domain/lineage.ts';

/** [key, code, name, level, type, parent key | null, valid_from, valid_to] */
export type MapUnit = [string, string, string, string, string, string | null, string | null, string | null];

/** Inserts the units (parents first) and the lineage of `links` (keys, not codes), rebuilds closure and rollup; returns key → id. */
export async function buildReformMap(sql: Sql, units: readonly MapUnit[], links: readonly MergeLink[]): Promise<Map<string, number>> {
  const id = new Map<string, number>();
  for (const [key, code, name, level, type, parent, from, to] of units) {
    const [row] = await sql`
      insert into units (gso_code, name, level, type, parent_id, valid_from, valid_to)
      values (${code}, ${name}, ${level}, ${type}, ${parent === null ? null : id.get(parent)!}, ${from}, ${to}) returning id`;
    id.set(key, row!.id as number);
  }
  for (const l of lineageShares(links)) {
    await sql`insert into unit_lineage values (${id.get(l.oldCode)!}, ${id.get(l.newCode)!}, ${l.note}, ${l.share}, ${l.estimated})`;
  }
  await sql.begin((tx) => rebuildClosure(tx));
  return id;
}

/** An upload source to hang hand-made samples on, and the metrics' ids by key. */
export async function testSourceAndMetrics(sql: Sql): Promise<{ sourceId: number; metrics: Map<string, number> }> {
  const [source] = await sql`
    insert into data_sources (key, name, family, kind, url_template, mapping, interval_seconds, timeout_ms, stale_after_seconds)
    values ('reform', 'Nguồn thử', 'dossier', 'upload', '', '{}', 60, 1000, 600) returning id`;
  const metrics = new Map((await sql`select id, key from metrics`).map((m) => [m.key as string, m.id as number]));
  return { sourceId: source!.id as number, metrics };
}
