import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIndicatorDrill, readLateAndCorrected, readRawSamples } from '../../src/lib/server/drilldown.ts';
import { lateAndCorrectedSentence } from '../../src/lib/i18n/arrivals.ts';
import { addDays, periodOf, today } from '../../src/lib/domain/periods.ts';
import { backfillSource } from '#server/pipeline/backfill';
import { pollSource } from '#server/pipeline/poll';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld, setOverride, SIM_SEED } from '../support/fixtures.ts';

// The database's own clock stamps first_seen_at and ingested_at, so the polls happen now too
// (frozen for the simulator, so that a re-poll reads exactly the same numbers).
const NOW = new Date();
const TODAY = today(NOW);
const YESTERDAY = addDays(TODAY, -1);
const TWO_DAYS_AGO = addDays(TODAY, -2);

interface SampleRow {
  metric: string;
  value: number;
  poll_run_id: number | null;
  first_seen_at: string | null;
  ingested_at: string;
}

describe('drill-down and sample provenance on the real PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let commune: string;
  let firstRun: number;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    commune = world.units.filter((u) => u.parentGsoCode === '278').map((u) => u.gsoCode).sort()[0]!;
  });
  afterAll(async () => {
    await world.simulator.close();
    await db.drop();
  });

  const samplesOf = (code: string, day: string) => db.sql<SampleRow[]>`
    select m.key as metric, s.value, s.poll_run_id,
           to_char(s.first_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as first_seen_at,
           to_char(s.ingested_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as ingested_at
    from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
    where u.gso_code = ${code} and s.day = ${day}::date order by m.key`;

  it('names, on every sample a poll stores, the poll run and when it first arrived; a re-poll with no change touches neither', async () => {
    const first = await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(first).toMatchObject({ outcome: 'success', rejected: 0 });
    firstRun = first.pollRunId!;
    const rows = await samplesOf(commune, YESTERDAY);
    expect(rows).toHaveLength(9); // the nine dossier metrics
    for (const r of rows) {
      expect(r.poll_run_id).toBe(firstRun);
      expect(r.first_seen_at).not.toBeNull();
      expect(r.first_seen_at).toBe(r.ingested_at); // stored once, never changed yet
    }
    const [all] = await db.sql<{ unnamed: number }[]>`
      select count(*) filter (where poll_run_id is distinct from ${firstRun} or first_seen_at is null)::int as unnamed from samples`;
    expect(all!.unnamed).toBe(0);

    const second = await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(second).toMatchObject({ outcome: 'success', changed: 0 });
    expect(second.pollRunId).not.toBe(firstRun);
    expect(await samplesOf(commune, YESTERDAY)).toEqual(rows);
    const [after] = await db.sql<{ moved: number }[]>`select count(*)::int as moved from samples where poll_run_id <> ${firstRun}`;
    expect(after!.moved).toBe(0);
  });

  it('lists the raw samples behind a day and the poll run they came from, adding up to the day\'s value and the stored board', async () => {
    const raw = await readRawSamples(db.sql, commune, 'dossier.on_time', YESTERDAY);
    const truth = dossierDay(SIM_SEED, commune, YESTERDAY, NOW);
    expect(raw.samples.map((s) => s.metricKey).sort()).toEqual(['dossier.pending_on_time', 'dossier.received', 'dossier.resolved_on_time']);
    expect(raw.samples.every((s) => s.sourceKey === 'motcua' && s.sourceName === world.source.name && s.pollRunId === firstRun)).toBe(true);
    expect(raw.samples.every((s) => s.firstSeenAt !== null && !s.late && !s.corrected)).toBe(true);
    expect(raw.samples.find((s) => s.metricKey === 'dossier.received')).toMatchObject({ role: 'denominator', value: truth.received, unitCode: commune, day: YESTERDAY });
    expect(raw).toMatchObject({ numerator: truth.resolvedOnTime + truth.pendingOnTime, denominator: truth.received, withoutPoll: 0 });
    expect(raw.polls).toHaveLength(1);
    expect(raw.polls[0]).toMatchObject({ id: firstRun, sourceKey: 'motcua', outcome: 'success', trigger: 'schedule', rejected: 0, samples: 3 });
    expect(raw.polls[0]!.accepted).toBeGreaterThan(0);
    expect(raw.polls[0]!.startedAt).toBe(NOW.toISOString());

    // The district: every commune's samples, adding up to the drill's day and to the stored day board.
    const district = await readRawSamples(db.sql, '278', 'dossier.on_time', YESTERDAY);
    const communes = world.units.filter((u) => u.parentGsoCode === '278').length;
    expect(district.samples).toHaveLength(3 * communes);
    const drill = await readIndicatorDrill(db.sql, '278', 'dossier.on_time', { period: 'day', date: YESTERDAY }, NOW);
    expect(drill.days).toEqual([{ date: YESTERDAY, numerator: district.numerator, denominator: district.denominator, ratio: district.ratio }]);
    expect(drill.total).toMatchObject({ numerator: district.numerator, denominator: district.denominator });
    expect(drill.unit).toMatchObject({ code: '278', name: 'Huyện Thanh Oai', chain: [{ code: '01', name: 'Thành phố Hà Nội' }] });
    expect(drill.children).toHaveLength(communes);
    const childSum = drill.children.reduce((s, c) => s + (c.value?.denominator ?? 0), 0);
    expect(childSum).toBe(district.denominator);
    expect(drill.children.map((c) => c.value?.rank)).toEqual([...drill.children.map((c) => c.value?.rank)].sort((a, b) => (a ?? 1e9) - (b ?? 1e9)));
  });

  it('gives the month day by day up to today, and refuses an unknown unit or indicator in words', async () => {
    const drill = await readIndicatorDrill(db.sql, commune, 'dossier.on_time', { period: 'month', date: TODAY }, NOW);
    const month = periodOf('month', TODAY);
    expect(drill.period).toMatchObject({ kind: 'month', start: month.start, end: month.end, provisional: true });
    expect(drill.days[0]!.date).toBe(month.start);
    expect(drill.days.at(-1)!.date).toBe(TODAY);
    expect(drill.children).toEqual([]); // a commune has no children
    const polled = new Set([TWO_DAYS_AGO, YESTERDAY, TODAY]);
    for (const d of drill.days) {
      if (polled.has(d.date)) expect(d.denominator).toBe(dossierDay(SIM_SEED, commune, d.date, NOW).received);
      else expect(d).toMatchObject({ numerator: null, denominator: null, ratio: null }); // nothing reported: no data, not 0
    }
    await expect(readIndicatorDrill(db.sql, commune, 'no.such', { period: 'month', date: TODAY })).rejects.toThrow(/Không có chỉ số "no.such"/);
    await expect(readRawSamples(db.sql, '99999', 'dossier.on_time', TODAY)).rejects.toThrow(/Không có đơn vị mã 99999/);
  });

  it('counts as late the samples first stored after the next day', async () => {
    const late = await readLateAndCorrected(db.sql, commune, periodOf('day', TWO_DAYS_AGO));
    // Everything of two days ago arrived today: late. The three metrics behind the on-time ratio:
    expect(late['dossier.on_time']).toMatchObject({ samples: 3, late: 3, corrected: 0 });
    expect(lateAndCorrectedSentence(late['dossier.on_time']!, 'vi')).toBe('3 số liệu đến muộn');
    expect(late['dossier.online']).toMatchObject({ samples: 2, late: 2 });
    expect(lateAndCorrectedSentence(late['dossier.online']!, 'vi')).toBe('2 số liệu đến muộn');
    expect(late['eid.activation']).toMatchObject({ samples: 0, late: 0, corrected: 0 }); // not polled
    expect(lateAndCorrectedSentence(late['eid.activation']!, 'vi')).toBeNull();
    expect(Object.keys(late)).toHaveLength(8); // every indicator of the active scheme
    const only = await readLateAndCorrected(db.sql, commune, periodOf('day', TWO_DAYS_AGO), { indicatorKey: 'dossier.on_time' });
    expect(only).toEqual({ 'dossier.on_time': late['dossier.on_time'] });
    const onTime = await readLateAndCorrected(db.sql, commune, periodOf('day', YESTERDAY));
    expect(onTime['dossier.on_time']).toMatchObject({ samples: 3, late: 0, corrected: 0 });
    // The raw samples say the same, row by row.
    const raw = await readRawSamples(db.sql, commune, 'dossier.on_time', TWO_DAYS_AGO);
    expect(raw.samples.filter((s) => s.late)).toHaveLength(3);
  });

  it('a correction at the source moves ingested_at and the poll run, keeps first_seen_at, and is counted as corrected', async () => {
    const before = await samplesOf(commune, YESTERDAY);
    const todayBefore = await samplesOf(commune, TODAY);
    // The district system corrects yesterday (7 more dossiers received) and today's count grows by 5.
    await setOverride(world.simulatorUrl, { unitCode: commune, date: YESTERDAY, receivedDelta: 7 });
    await setOverride(world.simulatorUrl, { unitCode: commune, date: TODAY, receivedDelta: 5 });
    const third = await pollSource(db.sql, world.source, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(third.changed).toBeGreaterThan(0);
    const after = await samplesOf(commune, YESTERDAY);
    const received = (rows: SampleRow[]) => rows.find((r) => r.metric === 'dossier.received')!;
    expect(received(after).value).toBe(received(before).value + 7);
    expect(received(after).poll_run_id).toBe(third.pollRunId);
    expect(received(after).first_seen_at).toBe(received(before).first_seen_at);
    expect(received(after).ingested_at > received(after).first_seen_at!).toBe(true);
    for (const r of after) {
      const was = before.find((b) => b.metric === r.metric)!;
      // Unchanged values keep everything; changed ones name the new run and keep their first arrival.
      if (r.value === was.value) expect(r).toEqual(was);
      else expect(r).toMatchObject({ poll_run_id: third.pollRunId, first_seen_at: was.first_seen_at });
    }

    const onTimeMetrics = ['dossier.resolved_on_time', 'dossier.pending_on_time', 'dossier.received'];
    const changed = after.filter((r) => onTimeMetrics.includes(r.metric) && r.poll_run_id === third.pollRunId).length;
    expect(changed).toBeGreaterThanOrEqual(1);
    const counted = await readLateAndCorrected(db.sql, commune, periodOf('day', YESTERDAY));
    expect(counted['dossier.on_time']).toMatchObject({ samples: 3, late: 0, corrected: changed });
    expect(lateAndCorrectedSentence(counted['dossier.on_time']!, 'vi')).toBe(`${changed} số liệu được sửa sau`);
    // The month counts it too (and the two-days-ago samples that came late).
    const month = await readLateAndCorrected(db.sql, '278', periodOf('month', TODAY));
    expect(month['dossier.on_time']!.corrected).toBe(periodOf('month', TODAY).start <= YESTERDAY ? changed : 0);

    // Today's count growing during the day is not a correction, though it changed.
    expect(received(await samplesOf(commune, TODAY)).value).toBe(received(todayBefore).value + 5);
    const todays = await readLateAndCorrected(db.sql, commune, periodOf('day', TODAY));
    expect(todays['dossier.on_time']).toMatchObject({ late: 0, corrected: 0 });

    // The raw samples name both runs now, newest first, and mark the corrected row.
    const raw = await readRawSamples(db.sql, commune, 'dossier.on_time', YESTERDAY);
    expect(raw.polls.map((p) => p.id)).toEqual(changed === 3 ? [third.pollRunId] : [third.pollRunId, firstRun]);
    expect(raw.samples.find((s) => s.metricKey === 'dossier.received')).toMatchObject({ corrected: true, late: false, pollRunId: third.pollRunId, value: received(after).value });
    expect(raw.denominator).toBe(received(after).value);
  });

  it('stocks count for every day of their cadence, and their raw samples are the ones reported for it', async () => {
    const payment = world.sources.ansinh!;
    const outcome = await pollSource(db.sql, payment, { secretKeyHex: world.secretKeyHex, now: NOW });
    expect(outcome.outcome).toBe('success');
    const drill = await readIndicatorDrill(db.sql, commune, 'payment.cashless', { period: 'month', date: TODAY }, NOW);
    const denominators = new Set(drill.days.map((d) => d.denominator));
    expect(denominators.size).toBe(1); // the month's one report, on every day
    expect([...denominators][0]).toBeGreaterThan(0);
    const raw = await readRawSamples(db.sql, commune, 'payment.cashless', TODAY);
    expect(raw.samples.map((s) => s.day)).toEqual([periodOf('month', TODAY).start, periodOf('month', TODAY).start]);
    expect(raw.denominator).toBe(drill.days.at(-1)!.denominator);
    expect(raw.polls.map((p) => p.id)).toEqual([outcome.pollRunId]);
  });

  it('history loaded by a backfill names its run and counts as arrived by the end of its day: never late, but a later change is a correction', async () => {
    const from = addDays(TODAY, -12);
    const to = addDays(TODAY, -11);
    const result = await backfillSource(db.sql, world.source, { from, to }, { secretKeyHex: world.secretKeyHex, recompute: false });
    expect(result.samples).toBe(world.communeCodes.length * 2 * 9);
    const rows = await samplesOf(commune, from);
    expect(rows).toHaveLength(9);
    // Assumed on time: first seen at the end of its own day (midnight ICT = 17:00 UTC the day before the next).
    const endOfDay = new Date(`${addDays(from, 1)}T00:00:00+07:00`).getTime();
    expect(rows.every((r) => r.first_seen_at !== null && new Date(r.first_seen_at).getTime() === endOfDay && r.poll_run_id !== null)).toBe(true);
    const [run] = await db.sql<{ trigger: string; outcome: string; accepted: number; changed: number; window_from: string; window_to: string }[]>`
      select trigger, outcome, accepted, changed, to_char(window_from, 'YYYY-MM-DD') as window_from, to_char(window_to, 'YYYY-MM-DD') as window_to
      from poll_runs where id = ${rows[0]!.poll_run_id}`;
    expect(run).toEqual({ trigger: 'backfill', outcome: 'success', accepted: result.samples, changed: result.samples, window_from: from, window_to: to });
    const late = await readLateAndCorrected(db.sql, commune, { start: from, end: to });
    expect(late['dossier.on_time']).toMatchObject({ samples: 6, late: 0, corrected: 0 });
    const raw = await readRawSamples(db.sql, commune, 'dossier.on_time', from);
    expect(raw.polls).toEqual([expect.objectContaining({ trigger: 'backfill', sourceKey: 'motcua' })]);
    expect(raw.samples.every((s) => s.firstSeenAt !== null && !s.late && !s.corrected)).toBe(true);
  });
});
