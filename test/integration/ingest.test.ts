import { describe, expect, it } from 'vitest';
import { pollSource } from '#server/pipeline/poll';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { SIM_SEED } from '../support/fixtures.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

// Friday 20 November 2026, 19:00 ICT: the offices have closed, the day's numbers are final.
const NOW = new Date('2026-11-20T12:00:00Z');

describe('ingest on the real PostgreSQL', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h), { now: () => NOW });

  const snapshot = () => db.sql`select unit_id, metric_id, day, source_id, value, observed_at, ingested_at from samples order by 1, 2, 3, 4`;

  it('stores a poll of the trailing window, and the same poll twice changes nothing', async () => {
    const first = await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(first).toMatchObject({ outcome: 'success', rejected: 0, error: null });
    expect(first.accepted).toBe(526 * 3 * 9); // communes × 3 trailing days × 9 metrics
    expect(first.changed).toBe(first.accepted);
    const before = await snapshot();
    const rankingsBefore = await db.sql`select scope_unit_id, period_kind, period_start, unit_id, rank, total, computed_at from rankings order by 1, 2, 3, 4`;

    const second = await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(second).toMatchObject({ outcome: 'success', accepted: first.accepted, changed: 0 });
    expect(await snapshot()).toEqual(before);
    // Nothing changed, so no board was recomputed either.
    expect(await db.sql`select scope_unit_id, period_kind, period_start, unit_id, rank, total, computed_at from rankings order by 1, 2, 3, 4`).toEqual(rankingsBefore);

    const runs = await db.sql<{ outcome: string; accepted: number; changed: number; window_from: string; window_to: string }[]>`
      select outcome, accepted, changed, window_from, window_to from poll_runs order by id`;
    expect(runs.map((r) => [r.outcome, r.changed])).toEqual([['success', first.accepted], ['success', 0]]);
    expect(runs[0]).toMatchObject({ window_from: '2026-11-18', window_to: '2026-11-20' });
  });

  it('stores exactly what the district system reported (its ground truth)', async () => {
    const communes = world.units.filter((u) => u.parentGsoCode === '278').map((u) => u.gsoCode);
    const expected = communes.reduce((sum, code) => sum + dossierDay(SIM_SEED, code, '2026-11-19', NOW).received, 0);
    const [row] = await db.sql<{ total: number }[]>`
      select sum(s.value)::float8 as total from samples s
      join unit_closure c on c.descendant_id = s.unit_id join units d on d.id = c.ancestor_id and d.gso_code = '278'
      join metrics m on m.id = s.metric_id and m.key = 'dossier.received'
      where s.day = '2026-11-19'`;
    expect(expected).toBeGreaterThan(0);
    expect(row!.total).toBe(expected);
  });

  it('records a failed poll in words and keeps the stored data', async () => {
    const before = await snapshot();
    const broken = { ...world.source, urlTemplate: world.source.urlTemplate.replace('/thong-ke-ngay', '/no-such-path') };
    const outcome = await pollSource(db.sql, broken, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(outcome.outcome).toBe('failed');
    expect(outcome.error).toMatch(/^HTTP 404 từ nguồn/);
    const [run] = await db.sql<{ http_status: number; error: string; error_stage: string }[]>`select http_status, error, error_stage from poll_runs where id = ${outcome.pollRunId}`;
    expect(run).toEqual({ http_status: 404, error: outcome.error, error_stage: 'http' });
    expect(await snapshot()).toEqual(before);
  });
});
