/**
 * Ingestion that survives bad sources, on the real PostgreSQL against the real simulator: every
 * fault kind through the real pg-boss workers, the circuit breaker, gap filling after an outage,
 * and each of the four systems stored exactly as it reported.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleUpload, renderTemplate } from '../../src/lib/server/uploads.ts';
import { addDays, datesBetween, today } from '../../src/lib/domain/periods.ts';
import { pollSource, type PollOutcome } from '#server/pipeline/poll';
import { createBoss } from '#server/jobs/boss';
import { requestPoll } from '#server/jobs/send';
import { startWorkers } from '../../workers/scheduler.ts';
import { createLogger } from '#server/log';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { eidDay } from '../../workers/simulator/eid.ts';
import { paymentMonth } from '../../workers/simulator/payments.ts';
import { tasksOf } from '../../workers/simulator/tasks.ts';
import { freshDatabase } from '../support/db.ts';
import { clearFaults, demoWorld, setFault, SIM_SEED } from '../support/fixtures.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

// Friday 20 November 2026, 19:00 ICT: the offices have closed, the day's numbers are final.
const NOW = new Date('2026-11-20T12:00:00Z');
const FAST = { attempts: 2, baseDelayMs: 20 };

type Db = Awaited<ReturnType<typeof freshDatabase>>;
type World = Awaited<ReturnType<typeof demoWorld>>;

async function stored(db: Db, metric: string, unitCode: string, day: string): Promise<number | null> {
  const [row] = await db.sql<{ value: number }[]>`
    select s.value from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
    where m.key = ${metric} and u.gso_code = ${unitCode} and s.day = ${day}`;
  return row?.value ?? null;
}

describe('the four district systems, stored as they reported', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h), { now: () => NOW });

  it('polls each system with its own credentials and mapping, and matches its ground truth', async () => {
    for (const key of ['motcua', 'vneid', 'ansinh', 'qlvb']) {
      const outcome = await pollSource(db.sql, world.sources[key]!, { secretKeyHex: world.secretKeyHex, now: NOW });
      expect(outcome, key).toMatchObject({ outcome: 'success', rejected: 0, error: null });
    }
    const day = '2026-11-19';
    const d = dossierDay(SIM_SEED, '00004', day, NOW);
    expect(await stored(db, 'dossier.received', '00004', day)).toBe(d.received);
    expect(await stored(db, 'dossier.paid_online', '00004', day)).toBe(d.paidOnline);
    const e = eidDay(SIM_SEED, '00004', day, NOW);
    expect(await stored(db, 'eid.activated', '00004', day)).toBe(e.activated);
    expect(await stored(db, 'eid.eligible', '00004', day)).toBe(e.eligible);
    // The payment system reports per month: the row lands on the month's first day.
    const p = paymentMonth(SIM_SEED, '00004', '2026-11', NOW)!;
    expect(await stored(db, 'payment.welfare_cashless', '00004', '2026-11-01')).toBe(p.cashless);
    expect(await stored(db, 'payment.welfare_amount', '00004', '2026-11-01')).toBe(p.amount);
    // Tasks: counted from the task list, per unit and day.
    const tasks = tasksOf(SIM_SEED, '278', '2026-01-01', day, NOW);
    const openOverdue = tasks.filter((t) => t.ngayGiao <= day && (t.ngayHoanThanh === null || t.ngayHoanThanh > day) && t.hanXuLy < day).length;
    const completedOnTime = tasks.filter((t) => t.ngayHoanThanh === day && t.ngayHoanThanh <= t.hanXuLy).length;
    expect(await stored(db, 'task.open_overdue', '278', day)).toBe(openOverdue);
    expect(await stored(db, 'task.completed_on_time', '278', day)).toBe(completedOnTime);
    // With all four families in, the city board ranks every district on the eight indicators.
    const [board] = await db.sql<{ ranked: number; unranked: number }[]>`
      select count(*) filter (where r.rank is not null)::int as ranked, count(*) filter (where r.rank is null)::int as unranked
      from rankings r join units s on s.id = r.scope_unit_id and s.gso_code = '01'
      where r.scheme_key = 'operations' and r.period_kind = 'month' and r.period_start = '2026-11-01'`;
    expect(board).toEqual({ ranked: 30, unranked: 0 });
  });
});

describe('polling that survives every fault, through the real workers', () => {
  let db: Db;
  let world: World;
  let boss: Awaited<ReturnType<typeof createBoss>>;
  let workers: Awaited<ReturnType<typeof startWorkers>>;
  const waiting = new Map<number, (o: PollOutcome) => void>();

  beforeAll(async () => {
    db = await freshDatabase();
    // The workers poll on the real clock, so the simulator runs on it too.
    world = await demoWorld(db.sql);
    // Only the polls of this test: no ticker; every poll is asked for by hand ("poll now").
    await db.sql`update data_sources set timeout_ms = 1500`;
    boss = await createBoss(db.url, { schema: 'pgboss_faults' });
    workers = await startWorkers({
      sql: db.sql, boss, secretKeyHex: world.secretKeyHex, log: createLogger({ level: 'silent' }), retry: FAST, schedule: false,
      onPoll: (o) => waiting.get(o.sourceId)?.(o)
    });
  });
  afterAll(async () => {
    await workers.stop();
    await boss.stop({ graceful: true, timeout: 10_000 });
    await world.simulator.close();
    await db.drop();
  });

  /** Asks the workers for a poll and waits for its outcome. */
  async function pollNow(key: string): Promise<PollOutcome> {
    const id = world.sources[key]!.id;
    const done = new Promise<PollOutcome>((resolve) => waiting.set(id, resolve));
    await requestPoll(boss, id, 'manual');
    const outcome = await done;
    waiting.delete(id);
    return outcome;
  }
  const run = async (id: number) =>
    (await db.sql<{ outcome: string; http_status: number | null; error: string | null; error_stage: string | null; attempts: number; raw_body: string | null; rejections: { index: number; reason: string }[] | null }[]>`
      select outcome, http_status, error, error_stage, attempts, raw_body, rejections from poll_runs where id = ${id}`)[0]!;

  const cases: { system: string; key: string; fault: Record<string, unknown>; outcome: 'failed' | 'partial' | 'success'; error?: RegExp; stage?: string; reason?: RegExp; rejected?: number }[] = [
    { system: 'dossier', key: 'motcua', fault: { fault: 'latency', ms: 300 }, outcome: 'success' },
    { system: 'dossier', key: 'motcua', fault: { fault: 'http_5xx', status: 503 }, outcome: 'failed', error: /^HTTP 503 từ nguồn: «.+» \(sau 2 lần thử\)$/, stage: 'http' },
    { system: 'dossier', key: 'motcua', fault: { fault: 'timeout' }, outcome: 'failed', error: /^nguồn không trả lời trong 1500 ms \(sau 2 lần thử\)$/, stage: 'connection' },
    { system: 'dossier', key: 'motcua', fault: { fault: 'reset' }, outcome: 'failed', error: /^không kết nối được hoặc kết nối bị ngắt .*\(sau 2 lần thử\)$/, stage: 'connection' },
    { system: 'dossier', key: 'motcua', fault: { fault: 'malformed' }, outcome: 'failed', error: /^dữ liệu trả về không phải JSON hợp lệ/, stage: 'parse' },
    { system: 'dossier', key: 'motcua', fault: { fault: 'wrong_types' }, outcome: 'partial', reason: /phải là một số, nhận được "/ },
    { system: 'dossier', key: 'motcua', fault: { fault: 'unknown_units' }, outcome: 'partial', reason: /^không có đơn vị mã 9999\d trong hệ mã gso/, rejected: 3 },
    { system: 'dossier', key: 'motcua', fault: { fault: 'negative' }, outcome: 'partial', reason: /không được âm/ },
    { system: 'dossier', key: 'motcua', fault: { fault: 'part_exceeds_whole' }, outcome: 'partial', reason: /dossier.received_online \(\d+\) lớn hơn dossier.received/ },
    { system: 'dossier', key: 'motcua', fault: { fault: 'duplicates' }, outcome: 'partial', reason: /^trùng với dòng \d+, bỏ qua/ },
    { system: 'dossier', key: 'motcua', fault: { fault: 'oversize' }, outcome: 'failed', error: /^dữ liệu trả về lớn hơn 10 MB: bị từ chối$/, stage: 'http' },
    { system: 'dossier', key: 'motcua', fault: { fault: 'drip' }, outcome: 'failed', error: /^dữ liệu trả về chưa xong sau 1500 ms/, stage: 'connection' },
    { system: 'eid', key: 'vneid', fault: { fault: 'part_exceeds_whole' }, outcome: 'partial', reason: /eid.collected_level2 \(\d+\) lớn hơn eid.eligible/ },
    { system: 'payment', key: 'ansinh', fault: { fault: 'malformed' }, outcome: 'failed', error: /thiếu dấu " đóng/, stage: 'parse' },
    { system: 'payment', key: 'ansinh', fault: { fault: 'wrong_types' }, outcome: 'partial', reason: /giá trị «12 người» không phải là số/ },
    { system: 'task', key: 'qlvb', fault: { fault: 'negative' }, outcome: 'partial', reason: /trước ngày giao/ },
    { system: 'task', key: 'qlvb', fault: { fault: 'wrong_types' }, outcome: 'partial', reason: /hạn 20261120 không phải là một ngày/ }
  ];

  for (const c of cases) {
    it(`${c.system}: ${String(c.fault.fault)} → ${c.outcome}, the good rows kept, and the next poll fine`, async () => {
      const id = world.sources[c.key]!.id;
      await setFault(world.simulatorUrl, { system: c.system, ...c.fault });
      const before = await db.sql<{ n: number }[]>`select count(*)::int as n from samples where source_id = ${id}`;
      const outcome = await pollNow(c.key);
      expect(outcome.outcome).toBe(c.outcome);
      const r = await run(outcome.pollRunId!);
      expect(r.outcome).toBe(c.outcome);
      if (c.error) expect(r.error).toMatch(c.error);
      expect(r.error_stage).toBe(c.stage ?? null);
      if (c.outcome === 'failed') {
        // Nothing stored was lost.
        expect((await db.sql<{ n: number }[]>`select count(*)::int as n from samples where source_id = ${id}`)[0]!.n).toBe(before[0]!.n);
      }
      if (c.outcome === 'partial') {
        expect(r.rejections!.length).toBeGreaterThan(0);
        if (c.rejected) expect(r.rejections).toHaveLength(c.rejected);
        for (const rej of r.rejections!) expect(rej.reason).toMatch(c.reason!);
        expect(r.raw_body).toBeTruthy(); // kept, because something was rejected
        expect(outcome.accepted).toBeGreaterThan(0);
      }
      if (c.fault.fault === 'http_5xx') expect(r).toMatchObject({ http_status: 503, attempts: 2 });
      if (c.system === 'dossier' && c.outcome !== 'failed') {
        // A good row is stored exactly as the system's ground truth.
        const yesterday = addDays(today(), -1); // final: its counts no longer grow
        expect(await stored(db, 'dossier.received', '00001', yesterday)).toBe(dossierDay(SIM_SEED, '00001', yesterday, new Date()).received);
      }
      await clearFaults(world.simulatorUrl);
      const next = await pollNow(c.key);
      expect(next).toMatchObject({ outcome: 'success', rejected: 0, error: null });
    });
  }

  it('holds up no other source while one hangs', async () => {
    await setFault(world.simulatorUrl, { system: 'dossier', fault: 'timeout' });
    const hanging = pollNow('motcua');
    const other = await pollNow('vneid');
    expect(other.outcome).toBe('success');
    expect((await hanging).outcome).toBe('failed');
    await clearFaults(world.simulatorUrl);
  });
});

describe('the circuit breaker and gap filling', () => {
  let db: Db;
  let world: World;
  let clock = NOW;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => clock });
  });
  afterAll(async () => {
    await world.simulator.close();
    await db.drop();
  });
  const health = async (id: number) =>
    (await db.sql<{ consecutive_failures: number; breaker_state: string; polls_skipped: number; covered_through: string | null }[]>`
      select consecutive_failures, breaker_state, polls_skipped, to_char(covered_through, 'YYYY-MM-DD') as covered_through
      from source_health where source_id = ${id}`)[0]!;

  it('opens after five failed polls in a row, skips scheduled polls while open, and closes on the first success', async () => {
    const source = world.sources.vneid!;
    await setFault(world.simulatorUrl, { system: 'eid', fault: 'http_5xx', status: 502 });
    for (let i = 0; i < 5; i++) {
      const o = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, retry: FAST });
      expect(o.outcome).toBe('failed');
    }
    expect(await health(source.id)).toMatchObject({ consecutive_failures: 5, breaker_state: 'open' });
    const skipped = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, retry: FAST });
    expect(skipped.outcome).toBe('skipped');
    expect(skipped.error).toMatch(/^tạm ngừng lấy \(ngắt mạch\) đến /);
    expect((await health(source.id)).polls_skipped).toBe(1);
    await clearFaults(world.simulatorUrl);
    // A person's "poll now" goes through an open breaker; its success closes it.
    const manual = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: NOW, trigger: 'manual' });
    expect(manual.outcome).toBe('success');
    expect(await health(source.id)).toMatchObject({ consecutive_failures: 0, breaker_state: 'closed' });
  });

  it('fills the gap after a source was down for days', async () => {
    const source = world.sources.motcua!;
    clock = new Date('2026-11-05T12:00:00Z');
    expect((await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: clock })).outcome).toBe('success');
    expect((await health(source.id)).covered_through).toBe('2026-11-05');
    await setFault(world.simulatorUrl, { system: 'dossier', fault: 'http_5xx' });
    clock = new Date('2026-11-10T12:00:00Z');
    expect((await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: clock, retry: FAST })).outcome).toBe('failed');
    await clearFaults(world.simulatorUrl);
    clock = NOW; // the 20th: back up
    const back = await pollSource(db.sql, source, { secretKeyHex: world.secretKeyHex, now: clock });
    expect(back).toMatchObject({ outcome: 'success', window: { from: '2026-11-05', to: '2026-11-20' } });
    const [runRow] = await db.sql<{ trigger: string }[]>`select trigger from poll_runs where id = ${back.pollRunId}`;
    expect(runRow!.trigger).toBe('gap');
    for (const day of datesBetween('2026-11-06', '2026-11-17')) {
      expect(await stored(db, 'dossier.received', '00001', day), day).toBe(dossierDay(SIM_SEED, '00001', day, NOW).received);
    }
  });
});

describe('uploads for units with no API', () => {
  let db: Db;
  let world: World;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql);
  });
  afterAll(async () => {
    await world.simulator.close();
    await db.drop();
  });

  it('takes the downloaded template back filled: good rows stored, bad ones rejected with reasons', async () => {
    const template = await renderTemplate(db.sql, 'dossier', 'xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template.body as never);
    const sheet = book.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    expect(headers.slice(0, 3)).toEqual(['Mã đơn vị [unit_code]', 'Tên đơn vị [unit_name]', 'Ngày (YYYY-MM-DD) [date]']);
    expect(headers).toHaveLength(3 + 9); // the nine dossier metrics
    expect(sheet.rowCount).toBe(1 + 526); // a row per commune to fill
    const day = addDays(today(), -3);
    const fill = (rowNumber: number, values: number[]) => {
      const row = sheet.getRow(rowNumber);
      row.getCell(3).value = day;
      values.forEach((v, i) => (row.getCell(4 + i).value = v));
    };
    fill(2, [100, 80, 70, 60, 20, 10, 50, 40, 30]);
    fill(3, [100, 80, 70, 60, 20, 10, 50, 40, -1]);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());

    const outcome = await handleUpload(db.sql, 'tai-len-hoso', new File([bytes], 'so-lieu.xlsx'));
    expect(outcome).toMatchObject({ outcome: 'partial', accepted: 9, rejected: 1 });
    const [run] = await db.sql<{ trigger: string; rejections: { index: number; reason: string }[] }[]>`
      select trigger, rejections from poll_runs where id = ${outcome.pollRunId}`;
    expect(run!.trigger).toBe('upload');
    expect(run!.rejections).toEqual([{ index: 2, reason: expect.stringMatching(/^dossier.paid_online không được âm \(-1\)/) }]);
    const code = sheet.getRow(2).getCell(1).value as string;
    const [sample] = await db.sql<{ value: number }[]>`
      select s.value from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
      where u.gso_code = ${code} and m.key = 'dossier.received' and s.day = ${day} and s.source_id = ${world.sources['tai-len-hoso']!.id}`;
    expect(sample!.value).toBe(100);
  });

  it('says what is wrong with a request, naming the field', async () => {
    await expect(handleUpload(db.sql, 'motcua', new File(['x'], 'a.csv'))).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/không nhận tệp tải lên/) });
    await expect(handleUpload(db.sql, 'nope', new File(['x'], 'a.csv'))).rejects.toMatchObject({ status: 404 });
    await expect(handleUpload(db.sql, 'tai-len-hoso', null)).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/^file: /) });
    await expect(handleUpload(db.sql, 'tai-len-hoso', new File([], 'a.csv'))).rejects.toMatchObject({ status: 400, message: 'file: tệp trống' });
    const wrongShape = await handleUpload(db.sql, 'tai-len-hoso', new File(['a,b\n1,2\n'], 'a.csv'));
    expect(wrongShape).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/không có cột "unit_code"/) });
  });
});
