/**
 * Period values (the 766 fields) written straight into period_samples for tests of the ranking and
 * the screens, under a source of their own: what a periodic source stores, without its HTTP.
 */
import type { Sql } from '../../db/client.ts';

export interface PeriodValue {
  unitCode: string;
  kind: 'month' | 'quarter' | 'year';
  /** The period's first day */
  start: string;
  values: Record<string, number>;
}

/** A periodic upload-kind source (family dossier) to write under; returns its id. */
export async function periodSource(sql: Sql, key = 'test-766', priority = 100): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into data_sources (key, name, family, kind, mapping, periods, priority)
    values (${key}, ${`Nguồn thử ${key}`}, 'dossier', 'upload', '{"expression":"[]"}'::jsonb, array['month','quarter','year'], ${priority})
    returning id`;
  return row!.id;
}

/** Writes the values (by unit code in force at the period's start, and metric key). */
export async function writePeriodValues(sql: Sql, sourceId: number, values: readonly PeriodValue[]): Promise<void> {
  const rows = values.flatMap((v) => Object.entries(v.values).map(([metric, value]) => ({ ...v, metric, value })));
  await sql`
    insert into period_samples (unit_id, metric_id, period_kind, period_start, source_id, value, observed_at, first_seen_at)
    select u.id, m.id, t.kind, t.start, ${sourceId}, t.value, now(), now()
    from unnest(${sql.array(rows.map((r) => r.unitCode))}::text[], ${sql.array(rows.map((r) => r.metric))}::text[],
                ${sql.array(rows.map((r) => r.kind))}::text[], ${sql.array(rows.map((r) => r.start))}::date[],
                ${sql.array(rows.map((r) => r.value))}::float8[]) as t(code, metric, kind, start, value)
    join units u on u.gso_code = t.code and (u.valid_from is null or u.valid_from <= t.start) and (u.valid_to is null or u.valid_to >= t.start)
    join metrics m on m.key = t.metric
    on conflict (unit_id, metric_id, period_kind, period_start, source_id) do update set value = excluded.value`;
}

const pair = (code: string, n: number, d: number) => ({ [`p766.${code}.n`]: n, [`p766.${code}.d`]: d });

/**
 * Every 766 field of a unit for one period, from a handful of knobs, with the published group
 * scores the portal's formulas give (pass `published` to plant a disagreement).
 */
export function portalFields(knobs: { received: number; onTime: number; online?: number; petitions?: number; published?: Partial<Record<string, number>> }): Record<string, number> {
  const { received, onTime } = knobs;
  const online = knobs.online ?? 6;
  const fields = {
    ...pair('publish_on_time', 0, 0), ...pair('public_update_on_time', 0, 0), ...pair('public_content_full', 40, 50), ...pair('dossier_sync', received, received),
    ...pair('progress', onTime, received),
    'p766.score.online': online,
    'p766.dossier_online_payment_success': 90, 'p766.dossier_financial_obligation': 100, 'p766.dossier_online_formality_payment_success': 3,
    'p766.fee_formality': 10, 'p766.fee_dossier_formality': 2, 'p766.fee_dossier_formality_distinct': 10,
    ...pair('dossier_receiving_satisfaction', 700, 1000), ...pair('petition_processing_on_time', 0, knobs.petitions ?? 0), ...pair('petition_handling_satisfaction', 0, knobs.petitions ?? 0),
    ...pair('original_result_available', 600, 800), ...pair('so_hoa_giay_to_giai_quyet', 80, 800), ...pair('reused_digitized_data', 20, 800),
    ...pair('synced_with_dvcqg_personal_storage', 0, 0), ...pair('citizen_data_connected_dossier', 400, 800), ...pair('citizen_data_connected_formality', 30, 300),
    'p766.electronic_certified_copy.score': 2
  };
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const progress = received === 0 ? 0 : r2((20 * onTime) / received);
  const petitions = knobs.petitions ? 0 : 12;
  const scores = {
    'p766.score.transparency': r2(1.6 + (received ? 6 : 0)), 'p766.score.progress': progress, 'p766.score.payment': 6.65,
    'p766.score.satisfaction': r2(4.67 + petitions), 'p766.score.digitization': 8.16, ...knobs.published
  };
  return { ...fields, ...scores } as Record<string, number>;
}
