/**
 * 766 data for the wall's end-to-end test when the product under test has none yet (before the
 * portal simulator and the periodic sources feed it): the portal's fields for two months, for the
 * city, every commune and every department in force, written into the product's own database with
 * test/support/period-values.ts, the boards recomputed with the product's own ranking code, and the
 * web nodes told (the NOTIFY a poll sends). Counts vary by unit and month (deterministically); the
 * portal's published group scores are then set to the product's own re-computation, one commune's
 * payment score 0,01 above it (a reconciliation difference, as the portal has them).
 */
import { createDb } from '../../db/client.ts';
import type { Board } from '../../src/lib/contract/dto.ts';
import { RANKINGS_CHANNEL, type RankingsChanged } from '../../src/lib/contract/notify.ts';
import { periodOf } from '../../src/lib/domain/periods.ts';
import { recomputeRankings } from '../../src/lib/server/ranking/rankings.ts';
import { periodSource, portalFields, writePeriodValues, type PeriodValue } from '../support/period-values.ts';

const GROUPS = ['transparency', 'progress', 'online', 'payment', 'satisfaction', 'digitization'] as const;
const SCHEME = 'national_766';

/** A number in [0, 1) from a unit's place, a month and a knob: the same every run. */
const h = (i: number, month: number, k: number) => (((i + 1) * 2654435761 + month * 40503 + k * 9973) % 100_003) / 100_003;
const r2 = (v: number) => Math.round(v * 100) / 100;

/** The portal's fields of one unit and month, counts scaled and rates varied from the test helper's base row. */
function fieldsOf(i: number, month: number, size: number): Record<string, number> {
  const received = Math.round(size * (300 + 2500 * h(i, month, 2)));
  const onTime = Math.round(received * (0.78 + 0.22 * h(i, month, 3)));
  const base = portalFields({ received, onTime, online: r2(4 + 8 * h(i, month, 5)), petitions: Math.floor(6 * h(i, month, 6)) });
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(base)) {
    if (key.startsWith('p766.score.') && key !== 'p766.score.online') continue; // published later, from our re-computation
    out[key] = value;
  }
  let k = 10;
  for (const key of Object.keys(out)) {
    if (!key.endsWith('.d') || key === 'p766.progress.d' || key === 'p766.dossier_sync.d') continue;
    const n = key.slice(0, -2) + '.n';
    const d = out[key]!;
    if (!(d > 0)) continue;
    const scaled = Math.max(1, Math.round(d * size * (0.5 + h(i, month, k++))));
    const rate = Math.min(1, (out[n]! / d) * (0.55 + 0.9 * h(i, month, k++)));
    out[key] = scaled;
    out[n] = Math.round(scaled * rate);
  }
  out['p766.dossier_online_payment_success'] = Math.round(100 * (0.5 + 0.5 * h(i, month, 7)));
  // Petitions (the test helper's are all late and unrated): most handled on time and to satisfaction.
  for (const code of ['petition_processing_on_time', 'petition_handling_satisfaction']) {
    out[`p766.${code}.n`] = Math.round(out[`p766.${code}.d`]! * (0.6 + 0.4 * h(i, month, code.length)));
  }
  return out;
}

/** The units in force under `scope` today (gso codes), communes first. */
async function children(sql: ReturnType<typeof createDb>['sql'], scope: string): Promise<{ code: string; level: string }[]> {
  return sql<{ code: string; level: string }[]>`
    select c.gso_code as code, c.level from units c join units p on p.id = c.parent_id
    where p.gso_code = ${scope} and p.valid_to is null and c.valid_to is null order by c.level, c.gso_code`;
}

/**
 * Writes two months (`months`: their first days) of 766 values for `scope` and its children, ranks
 * them, and sets the published scores to the product's re-computation read through `readBoard`
 * (the product's API with basis=recomputed).
 */
export async function fill766(databaseUrl: string, scope: string, months: readonly string[], readBoard: (month: string) => Promise<Board>): Promise<void> {
  const { sql } = createDb(databaseUrl, { max: 2, application: 'e2e-wall-766' });
  try {
    const units = await children(sql, scope);
    const [existing] = await sql<{ id: number }[]>`select id from data_sources where key = 'e2e-wall-766'`;
    const source = existing?.id ?? (await periodSource(sql, 'e2e-wall-766'));
    const values: PeriodValue[] = [];
    months.forEach((start, month) => {
      const sums: Record<string, number> = {};
      units.forEach((u, i) => {
        const f = fieldsOf(i, month, u.level === 'department' ? 1.6 : 1);
        values.push({ unitCode: u.code, kind: 'month', start, values: f });
        for (const [k, v] of Object.entries(f)) sums[k] = (sums[k] ?? 0) + v;
      });
      // The city's own row: its units' counts together; its online score the portal's own.
      values.push({ unitCode: scope, kind: 'month', start, values: { ...sums, 'p766.score.online': r2(7.2 + month * 0.4), 'p766.electronic_certified_copy.score': 2 } });
    });
    await writePeriodValues(sql, source, values);
    const periods = months.map((m) => periodOf('month', m));
    await recomputeRankings(sql, periods, { schemes: [SCHEME] });

    // The portal publishes what its formulas give: ours, to two decimals; one commune's payment 0,01 above.
    const planted = units.find((u) => u.level === 'commune')?.code;
    const published: PeriodValue[] = [];
    for (const start of months) {
      const board = await readBoard(start);
      const rows = [...board.rows.map((r) => ({ code: r.unitCode, groups: r.groups })), { code: scope, groups: board.scopeScore?.groups ?? {} }];
      for (const r of rows) {
        const scores: Record<string, number> = {};
        for (const g of GROUPS) {
          if (g === 'online') continue;
          const points = r.groups[g]?.points;
          if (points === null || points === undefined) continue;
          scores[`p766.score.${g}`] = r2(points + (r.code === planted && g === 'payment' ? 0.01 : 0));
        }
        published.push({ unitCode: r.code, kind: 'month', start, values: scores });
      }
    }
    await writePeriodValues(sql, source, published);
    const scopeIds = await recomputeRankings(sql, periods, { schemes: [SCHEME] });
    const payload: RankingsChanged = { pollRunId: null, scopeIds, periods: periods.map((p) => ({ kind: p.kind, start: p.start })), schemes: [SCHEME] };
    await sql`select pg_notify(${RANKINGS_CHANNEL}, ${JSON.stringify(payload)})`;
  } finally {
    await sql.end();
  }
}

/** Moves the city's published progress score of `month` by `delta` points and tells the web nodes: a live change on the wall. */
export async function nudgeProgress(databaseUrl: string, scope: string, month: string, delta: number): Promise<number> {
  const { sql } = createDb(databaseUrl, { max: 2, application: 'e2e-wall-766' });
  try {
    const [row] = await sql<{ value: number }[]>`
      update period_samples ps set value = round((ps.value + ${delta})::numeric, 2)::float8
      from units u, metrics m
      where ps.unit_id = u.id and u.gso_code = ${scope} and u.valid_to is null and ps.metric_id = m.id and m.key = 'p766.score.progress'
        and ps.period_kind = 'month' and ps.period_start = ${month}::date
      returning ps.value`;
    const periods = [periodOf('month', month)];
    const scopeIds = await recomputeRankings(sql, periods, { schemes: [SCHEME] });
    const payload: RankingsChanged = { pollRunId: null, scopeIds, periods: periods.map((p) => ({ kind: p.kind, start: p.start })), schemes: [SCHEME] };
    await sql`select pg_notify(${RANKINGS_CHANNEL}, ${JSON.stringify(payload)})`;
    return row!.value;
  } finally {
    await sql.end();
  }
}
