/**
 * Periodic sources (issue 13, items 2 and 3): the simulator's national portal, connected as the six
 * seeded sources of the demo (data, not code), polled through the engine for a month, a quarter and
 * a year, on the real PostgreSQL. Every unit's six group scores on the national_766 board, computed
 * again from the stored counts (basis recomputed), equal what the simulator publishes, except its
 * planted payment differences, which show as a difference (points ≠ published). Also: an unpublished
 * period is a successful poll of nothing, a second poll changes nothing, bad rows are refused with
 * their reasons and the good ones kept.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readBoard } from '#server/boards';
import { RANKINGS_CHANNEL, type RankingsChanged } from '#contract/notify';
import { backfillSource, recomputePeriodBoards } from '#server/pipeline/backfill';
import { pollSource, type SourceRow } from '#server/pipeline/poll';
import { hanoiSimUnits } from '../../workers/simulator/register.ts';
import { PORTAL_GROUPS, PortalBook, portalPeriod, type PortalPeriod } from '../../workers/simulator/portal.ts';
import { clearFaults, setFault, SIM_SEED } from '../support/fixtures.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

/** 20/10/2026, 10:00 in Hà Nội: September is published (from 03/10), October not yet; no end-of-month rush. */
const NOW = new Date('2026-10-20T03:00:00Z');
const KEYS = ['transparency', 'progress', 'online', 'payment', 'satisfaction', 'digitization'].map((g) => `portal-766-${g}`);

let db: TestDb;
let world: TestWorld;
useDemoWorld((h) => ({ db, world } = h), { map: '2025', now: () => NOW });

const book = () => new PortalBook(SIM_SEED, hanoiSimUnits());
const sources = (): SourceRow[] => KEYS.map((k) => world.sources[k]!);
const NO_RETRY = { attempts: 1, baseDelayMs: 0 };
/**
 * Polls recompute the national_766 boards in their transaction, reading the period values back
 * (ranking/queries.ts periodValues): allowed minutes, as that read is still slow on a year of values.
 */
const SLOW = 900_000;

afterEach(async () => {
  await clearFaults(world.simulatorUrl);
});

/**
 * The national_766 board of a period on our recomputed basis, unit by unit against the simulator's
 * publication: how many (unit, group) pairs agree, and every one that differs.
 */
async function reconcile(kind: 'month' | 'quarter' | 'year', period: PortalPeriod) {
  const published = book().period(period, NOW);
  expect(published.children.length).toBeGreaterThan(140);
  const board = await readBoard(db.sql, { scope: '01', period: kind, date: period.start, scheme: 'national_766', basis: 'recomputed' }, NOW);
  expect(board.basis).toBe('recomputed');
  const rows = new Map(board.rows.map((r) => [r.unitCode, r]));
  const planted = new Map(published.planted.map((p) => [p.gsoCode, p]));
  let equal = 0;
  const differences: { unit: string; group: string; points: number | null; published: number | null }[] = [];
  for (const child of published.children) {
    const row = rows.get(child.unit.gsoCode);
    expect(row, `${child.unit.gsoCode} on the ${kind} board`).toBeDefined();
    for (const g of PORTAL_GROUPS) {
      const value = row!.groups[g]!;
      // What the portal published is stored and shown as it is.
      expect(value.published, `${child.unit.portalCode} ${g} published`).toBe(child.scores[g]);
      if (value.points === value.published) equal++;
      else differences.push({ unit: child.unit.portalCode, group: g, points: value.points, published: value.published });
    }
    // Our total is the sum of our groups; theirs the sum of theirs.
    expect(row!.totalPublished).toBe(child.total);
  }
  // Exactly the planted payment differences differ, each by what the simulator planted (its formula vs its publication).
  expect(differences.map((d) => `${d.unit} ${d.group}`).sort()).toEqual(published.planted.map((p) => `${p.portalCode} payment`).sort());
  for (const d of differences) {
    const p = [...planted.values()].find((x) => x.portalCode === d.unit)!;
    expect(d.points).toBe(p.formulaScore);
    expect(d.published).toBe(p.published);
    expect(d.points).not.toBe(d.published);
  }
  // The province's own row (the overview's headline): published and ours, every group.
  expect(board.scopeScore).not.toBeNull();
  for (const g of PORTAL_GROUPS) {
    expect(board.scopeScore!.groups[g]!.published, `province ${g} published`).toBe(published.province.scores[g]);
    expect(board.scopeScore!.groups[g]!.points, `province ${g} recomputed`).toBe(published.province.scores[g]);
  }
  return { units: published.children.length, equal, differences: differences.length };
}

describe('the national portal as six periodic sources of the engine', () => {
  it('is seeded on the map of 01/07/2025 as data: POST, pages, code systems, month / quarter / year', () => {
    for (const s of sources()) {
      expect(s.periods).toEqual(['month', 'quarter', 'year']);
      expect(s.request.method).toBe('POST');
      expect(s.request.pagination).toMatchObject({ kind: 'page', start: 1 });
      expect(s.urlTemplate).toMatch(/\/api\/v1\/reporting\/evaluation\/[a-z-]+$/);
    }
    expect(world.sources['portal-766-transparency']!.codeSystem).toBe('portal_id');
    expect(world.sources['portal-766-satisfaction']!.codeSystem).toBe('portal_id');
    expect(world.sources['portal-766-progress']!.codeSystem).toBe('portal');
    expect(world.sources['portal-766-satisfaction']!.request.body).toContain('"fromDate": "{from}", "toDate": "{to}"');
  });

  it('polls its trailing window period by period: September, Q3 and 2026 stored, October (not published yet) a success of nothing', async () => {
    for (const source of sources()) {
      const outcome = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, retry: NO_RETRY });
      expect(outcome.error, source.key).toBeNull();
      expect(outcome.outcome, source.key).toBe('success');
      expect(outcome.rejected).toBe(0);
      expect(outcome.accepted).toBeGreaterThan(0);
    }
    const stored = await db.sql<{ kind: string; start: string; units: number; metrics: number }[]>`
      select period_kind as kind, to_char(period_start, 'YYYY-MM-DD') as start, count(distinct unit_id)::int as units, count(distinct metric_id)::int as metrics
      from period_samples group by 1, 2 order by 2, 1`;
    const units = book().period(portalPeriod('month', 2026, 9), NOW).children.length + 1; // and the city's own row
    const [catalogue] = await db.sql<{ metrics: number }[]>`select count(*)::int as metrics from metrics where periodic`;
    const metrics = catalogue!.metrics;
    expect(metrics).toBe(41);
    // Every field of the 766 metric list (every periodic metric), per unit and period; nothing for October nor Q4.
    expect(stored).toEqual([
      { kind: 'year', start: '2026-01-01', units, metrics },
      { kind: 'quarter', start: '2026-07-01', units, metrics },
      { kind: 'month', start: '2026-09-01', units, metrics }
    ]);
    // Nothing of a day's values came from them.
    const [daily] = await db.sql<{ n: number }[]>`select count(*)::int as n from samples s join data_sources d on d.id = s.source_id where d.key like 'portal-766-%'`;
    expect(daily!.n).toBe(0);
    // One poll run per poll, over the trailing window; every row names it, first seen now.
    const [provenance] = await db.sql<{ without: number }[]>`
      select count(*) filter (where poll_run_id is null or first_seen_at is null)::int as without from period_samples`;
    expect(provenance!.without).toBe(0);
  }, SLOW);

  it('stores 0 and 0 where the portal shows 0/0 (ratio null), never skips it', async () => {
    const sep = book().period(portalPeriod('month', 2026, 9), NOW);
    // A commune publishes no procedure: its publishing metric is 0/0 (ratio and score null on the portal).
    const zero = sep.children.find((c) => c.unit.kind === 'commune' && c.transparency.metrics.some((m) => m.code === 'PUBLISH_ON_TIME' && !m.denominator && m.ratio === null))!;
    expect(zero, 'a commune with PUBLISH_ON_TIME 0/0 in September').toBeDefined();
    const rows = await db.sql<{ key: string; value: number }[]>`
      select m.key, v.value from period_samples v join metrics m on m.id = v.metric_id join units u on u.id = v.unit_id
      where u.external_codes ->> 'portal' = ${zero.unit.portalCode} and v.period_kind = 'month' and v.period_start = '2026-09-01'
        and m.key in ('p766.publish_on_time.n', 'p766.publish_on_time.d') order by 1`;
    expect(rows).toEqual([{ key: 'p766.publish_on_time.d', value: 0 }, { key: 'p766.publish_on_time.n', value: 0 }]);
  });

  it('recomputes the month, quarter and year boards: every unit\'s six groups equal the publication, the planted payment differences differ', async () => {
    const month = await reconcile('month', portalPeriod('month', 2026, 9));
    const quarter = await reconcile('quarter', portalPeriod('quarter', 2026, 3));
    const year = await reconcile('year', portalPeriod('year', 2026));
    for (const r of [month, quarter, year]) {
      expect(r.differences).toBe(2);
      expect(r.equal).toBe(r.units * 6 - 2);
    }
    console.info(`reconciliation (units × 6 groups): month ${JSON.stringify(month)}, quarter ${JSON.stringify(quarter)}, year ${JSON.stringify(year)}`);
  }, SLOW);

  it('reads a past year through a backfill, period by period, and ranks it', async () => {
    const progress = world.sources['portal-766-progress']!;
    const result = await backfillSource(db.sql, progress, { from: '2025-12-01', to: '2025-12-31' }, { secretKeyHex: world.secretKeyHex });
    expect(result.rejected).toBe(0);
    expect(result.changedPeriods.map((p) => `${p.kind} ${p.start}`).sort()).toEqual(['month 2025-12-01', 'quarter 2025-10-01', 'year 2025-01-01']);
    // The other five stored first, their boards recomputed once after (as the history job does).
    const changes = { changedPeriods: [] as { kind: 'month' | 'quarter' | 'year'; start: string }[], changedMetricIds: new Set<number>() };
    for (const source of sources().filter((s) => s.key !== progress.key)) {
      const r = await backfillSource(db.sql, source, { from: '2025-12-01', to: '2025-12-31' }, { secretKeyHex: world.secretKeyHex, recompute: false });
      expect(r.rejected, source.key).toBe(0);
      changes.changedPeriods.push(...r.changedPeriods);
      for (const id of r.changedMetricIds) changes.changedMetricIds.add(id);
    }
    await recomputePeriodBoards(db.sql, changes);
    const runs = await db.sql<{ from: string; to: string }[]>`
      select window_from::text as from, window_to::text as to from poll_runs where source_id = ${progress.id} and trigger = 'backfill' order by window_from, window_to`;
    expect(runs).toEqual([{ from: '2025-01-01', to: '2025-12-31' }, { from: '2025-10-01', to: '2025-12-31' }, { from: '2025-12-01', to: '2025-12-31' }]);
    // A year across the reform of 01/07/2025: the new units' (their codes name them from that day).
    const year = await reconcile('year', portalPeriod('year', 2025));
    expect(year.differences).toBe(2);
  }, SLOW);

  it('a second poll of the same periods changes nothing and touches no stored value', async () => {
    const before = await db.sql<{ n: number; last: string }[]>`select count(*)::int as n, max(ingested_at)::text as last from period_samples`;
    for (const source of sources()) {
      const outcome = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, retry: NO_RETRY });
      expect(outcome.outcome).toBe('success');
      expect(outcome.changed, source.key).toBe(0);
    }
    const after = await db.sql<{ n: number; last: string }[]>`select count(*)::int as n, max(ingested_at)::text as last from period_samples`;
    expect(after).toEqual(before);
  }, SLOW);

  it('announces the boards it recomputed: a changed month\'s, its quarter\'s and its year\'s, of the 766 scheme', async () => {
    const source = world.sources['portal-766-progress']!;
    // A value the portal will give again: the next poll stores it (one change) and recomputes.
    await db.sql`
      delete from period_samples v using units u
      where u.id = v.unit_id and u.external_codes ->> 'portal' = 'H26.100' and v.source_id = ${source.id} and v.period_kind = 'month'`;
    const heard: RankingsChanged[] = [];
    const listener = await db.sql.listen(RANKINGS_CHANNEL, (payload) => heard.push(JSON.parse(payload) as RankingsChanged));
    try {
      const outcome = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, retry: NO_RETRY });
      expect(outcome.changed).toBe(3); // on time, received, score of September
      await expect.poll(() => heard.length, { timeout: 10_000 }).toBe(1);
    } finally {
      await listener.unlisten();
    }
    expect(heard[0]!.schemes).toEqual(['national_766']);
    expect(heard[0]!.periods).toEqual([
      { kind: 'year', start: '2026-01-01' }, { kind: 'quarter', start: '2026-07-01' }, { kind: 'month', start: '2026-09-01' }
    ]);
  }, SLOW);

  it('refuses bad rows with their reasons in words and keeps the good ones', async () => {
    const source = world.sources['portal-766-payment']!;
    // (unknown_units is not among them: the simulator adds its unknown unit to every page, even past the
    // last, and a source paginated by page reads until a page yields nothing; the unit tests cover it.)
    for (const fault of ['negative', 'part_exceeds_whole', 'wrong_types', 'duplicates'] as const) {
      await setFault(world.simulatorUrl, { system: 'portal', fault });
      const outcome = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, retry: NO_RETRY });
      expect(outcome.outcome, `${fault}: ${outcome.error}`).toBe('partial');
      expect(outcome.accepted, fault).toBeGreaterThan(1000);
      const [run] = await db.sql<{ rejections: { reason: string }[] }[]>`select rejections from poll_runs where id = ${outcome.pollRunId!}`;
      const reasons = run!.rejections.map((r) => r.reason).join('\n');
      if (fault === 'negative') expect(reasons).toMatch(/tháng 9\/2026: trang 1: p766\.dossier_online_payment_success không được âm/);
      if (fault === 'part_exceeds_whole') expect(reasons).toMatch(/p766\.dossier_online_payment_success \(\d+\) lớn hơn p766\.dossier_financial_obligation/);
      if (fault === 'duplicates') expect(reasons).toMatch(/trùng với dòng \d+, bỏ qua \(đơn vị H26\.\d+\)/);
      if (fault === 'wrong_types') expect(reasons).toMatch(/p766\.dossier_financial_obligation phải là một số, nhận được "\d+"/);
    }
  }, SLOW);
});
