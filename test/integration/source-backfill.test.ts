/**
 * History from the screens (issue 12, item 9), server side: a 400-day backfill of the fifth vendor
 * (a one-stop-shop system the seed does not configure: POST, pages of 50 communes, "1.234",
 * dd/MM/yyyy, HTTP Basic), connected as an administrator would, through startSourceBackfill and
 * the worker's `backfill-source` job; progress read while it runs; one result per window; values
 * stored equal to the simulator's ground truth. And a window the vendor refuses: recorded, the job
 * goes on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orm } from '#db/client';
import { dataSources } from '#db/schema/sources';
import { SOURCES_CHANNEL } from '#contract/notify';
import type { JobStatus } from '#contract/jobs';
import { addDays, today } from '#domain/periods';
import { seal } from '#server/secrets';
import { SOURCE_BACKFILL_QUEUE } from '#server/jobs/queues';
import { readBackfillStatus } from '#server/jobs/status';
import { startSourceBackfill } from '../../src/lib/server/admin/backfill.ts';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { createSimulator } from '../../workers/simulator/server.ts';
import { ONE_STOP_FIELDS, ONE_STOP_PATH, oneStopDay } from '../../workers/simulator/mot-cua-api.ts';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { someUnits } from '../../workers/simulator/test-kit.ts';
import { SIM_SEED } from '../support/fixtures.ts';
import { FIFTH_VENDOR_CREDENTIALS, FIFTH_VENDOR_MAPPING, FIFTH_VENDOR_MAPPING_TEXT, FIFTH_VENDOR_REQUEST } from '../support/fifth-vendor.ts';
import { parseMappingField } from '../../src/lib/server/admin/sources.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

let db: TestDb;
let world: TestWorld;
useDemoWorld((h) => ({ db, world } = h));

/** The province's one-stop-shop system: four districts of Hà Nội (more than one page of 50 communes). */
const units = someUnits(4);
const communes = units.filter((u) => u.level === 'commune');
const vendor = createSimulator({ seed: SIM_SEED, units });
let vendorUrl = '';
let jobs: TestJobs;
let actor: Principal;
let sourceId = 0;

beforeAll(async () => {
  vendorUrl = `http://127.0.0.1:${await vendor.listen(0)}${ONE_STOP_PATH}`;
  jobs = await testJobs(db, 'pgboss_backfill');
  await jobs.work({ secretKeyHex: world.secretKeyHex });
  const [user] = await db.sql<{ id: number }[]>`insert into users (username, display_name, password_hash, role) values ('quantri', 'Quản trị', 'x', 'admin') returning id`;
  actor = { kind: 'user', sessionId: 's', user: { id: user!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
  const [row] = await orm(db.sql)
    .insert(dataSources)
    .values({
      key: 'mot-cua-tinh', name: 'Hệ thống một cửa của tỉnh (báo cáo)', family: 'dossier', kind: 'json_http', produces: 'samples', granularity: 'day',
      urlTemplate: vendorUrl, authKind: 'basic', credentialsSealed: seal(JSON.stringify(FIFTH_VENDOR_CREDENTIALS), world.secretKeyHex),
      intervalSeconds: 300, timeoutMs: 10_000, staleAfterSeconds: 1200, trailingDays: 3, enabled: true, priority: 50, codeSystem: 'gso', numberLocale: 'vi',
      request: FIFTH_VENDOR_REQUEST,
      // What the form's mapping field makes of the text an administrator types.
      mapping: (parseMappingField('json_http', 'dossier', FIFTH_VENDOR_MAPPING_TEXT) as { mapping: never }).mapping
    })
    .returning({ id: dataSources.id });
  sourceId = row!.id;
});
afterAll(async () => {
  await jobs?.stop();
  await vendor.close();
});

/** Every status of the job read when a window of the source was announced (NOTIFY on the sources channel). */
async function follow(jobId: () => string | null, until: (s: JobStatus) => boolean) {
  const seen: JobStatus[] = [];
  let resolve!: (s: JobStatus) => void;
  const reached = new Promise<JobStatus>((r) => (resolve = r));
  const listener = await db.sql.listen(SOURCES_CHANNEL, (payload) => {
    const id = jobId();
    if (!id || JSON.parse(payload).sourceId !== sourceId) return;
    void readBackfillStatus(jobs.boss, db.sql, id).then((s) => {
      if (!s) return;
      seen.push(s);
      if (until(s)) resolve(s);
    });
  });
  return { seen, reached, stop: () => listener.unlisten() };
}

describe('a source backfill as a pg-boss job', () => {
  it('takes the mapping as typed in the form', () => {
    expect(parseMappingField('json_http', 'dossier', FIFTH_VENDOR_MAPPING_TEXT)).toEqual({ mapping: FIFTH_VENDOR_MAPPING });
  });

  it('loads 400 days of the fifth vendor window by window, with progress while it runs, equal to its ground truth', { timeout: 300_000 }, async () => {
    const to = addDays(today(), -1); // yesterday: every day of the range is complete at the vendor
    const from = addDays(to, -399);
    let jobId: string | null = null;
    const followed = await follow(() => jobId, (s) => s.done >= 1);
    const t0 = performance.now();
    const started = await startSourceBackfill(db.sql, jobs.boss, 'mot-cua-tinh', { from, to }, { actor, ip: '10.0.0.5' });
    if (!started.ok) throw new Error(started.message);
    jobId = started.jobId;
    expect(started.windows).toBe(13);

    // While it runs: some windows done, the others still to come.
    const running = await followed.reached;
    expect(running).toMatchObject({ kind: 'backfill', state: 'running', total: 13, error: null });
    expect(running.done).toBeGreaterThanOrEqual(1);
    expect(running.done).toBeLessThan(13);
    expect(running.backfill!.windows[0]).toMatchObject({ from, to: addDays(from, 30), state: 'done', rejected: 0, error: null });

    const output = await jobs.settled(SOURCE_BACKFILL_QUEUE, started.jobId);
    const seconds = (performance.now() - t0) / 1000;
    followed.stop();
    const days = 400;
    const samples = communes.length * days * 9;
    expect(output).toEqual({ windows: 13, failed: 0, samples, rejected: 0 });

    // One result per window, contiguous over the range, each with its counts.
    const status = (await readBackfillStatus(jobs.boss, db.sql, started.jobId))!;
    expect(status).toMatchObject({ kind: 'backfill', state: 'done', done: 13, total: 13, error: null, finishedAt: expect.any(String) });
    const windows = status.backfill!.windows;
    expect(windows).toHaveLength(13);
    expect(windows[0]!.from).toBe(from);
    expect(windows.at(-1)!.to).toBe(to);
    windows.forEach((w, i) => {
      if (i > 0) expect(w.from).toBe(addDays(windows[i - 1]!.to, 1));
      const length = (Date.parse(w.to) - Date.parse(w.from)) / 864e5 + 1;
      expect(w).toMatchObject({ state: 'done', accepted: communes.length * length * 9, rejected: 0, error: null });
    });
    expect(status.backfill).toMatchObject({ sourceKey: 'mot-cua-tinh', from, to, samples, rejected: 0, failed: 0 });
    expect(followed.seen.length).toBeGreaterThanOrEqual(2);

    // Every value stored is the vendor's ground truth ("1.234" read as 1234) — and not the seeded dossier API's.
    const rows = await db.sql<{ code: string; day: string; metric: string; value: number }[]>`
      select u.gso_code as code, s.day::text as day, m.key as metric, s.value::float8 as value
      from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id where s.source_id = ${sourceId}`;
    expect(rows).toHaveLength(samples);
    const field = Object.fromEntries(Object.entries(ONE_STOP_FIELDS).map(([f, key]) => [key, f])) as Record<string, keyof typeof ONE_STOP_FIELDS>;
    const truthKey = {
      tiepNhan: 'received', tiepNhanTrucTuyen: 'receivedOnline', daGiaiQuyet: 'resolved', dungHan: 'resolvedOnTime', conHanXuLy: 'pendingOnTime',
      quaHanXuLy: 'pendingOverdue', daSoHoa: 'digitized', coPhiLePhi: 'withFee', thanhToanTrucTuyen: 'paidOnline'
    } as const;
    const now = new Date();
    let wrong = 0;
    let differFromSeeded = 0;
    let weekdays = 0;
    for (const r of rows) {
      if (oneStopDay(SIM_SEED, r.code, r.day, now)[truthKey[field[r.metric]!]] !== r.value) wrong++;
      if (r.metric === 'dossier.received' && r.value > 0) {
        weekdays++;
        if (dossierDay(SIM_SEED, r.code, r.day, now).received !== r.value) differFromSeeded++;
      }
    }
    expect(wrong).toBe(0);
    expect(differFromSeeded / weekdays).toBeGreaterThan(0.9);
    expect(rows.some((r) => r.value >= 1000) || rows.some((r) => r.value >= 100)).toBe(true);

    // The boards of the range were ranked at the end; the runs name the job.
    const [boards] = await db.sql<{ n: number }[]>`select count(distinct period_start)::int as n from rankings where period_kind = 'day' and period_start between ${from} and ${to}`;
    expect(boards!.n).toBe(days);
    const [runs] = await db.sql<{ n: number }[]>`select count(*)::int as n from poll_runs where job_id = ${started.jobId} and trigger = 'backfill'`;
    expect(runs!.n).toBe(13);
    const [audit] = await db.sql<{ after: unknown }[]>`select after from audit_log where action = 'backfill' and entity = 'source' and entity_id = 'mot-cua-tinh'`;
    expect(audit!.after).toEqual({ from, to, jobId: started.jobId, windows: 13 });
    console.info(`400-day backfill of the fifth vendor: ${seconds.toFixed(1)} s, ${samples} samples, 13 windows, ${communes.length} communes`);
  });

  it('records a window the vendor refuses, in its own words, and goes on with the next', async () => {
    let jobId: string | null = null;
    const followed = await follow(() => jobId, (s) => s.done >= 2);
    const started = await startSourceBackfill(db.sql, jobs.boss, 'mot-cua-tinh', { from: '2019-12-20', to: '2020-01-25' }, { actor, ip: null });
    if (!started.ok) throw new Error(started.message);
    jobId = started.jobId;
    expect(await jobs.settled(SOURCE_BACKFILL_QUEUE, started.jobId)).toEqual({ windows: 2, failed: 1, samples: communes.length * 6 * 9, rejected: 0 });
    followed.stop();
    const status = (await readBackfillStatus(jobs.boss, db.sql, started.jobId))!;
    expect(status).toMatchObject({ state: 'done', done: 2, total: 2, backfill: { failed: 1 } });
    const [refused, stored] = status.backfill!.windows;
    expect(refused).toMatchObject({ from: '2019-12-20', to: '2020-01-19', state: 'failed', accepted: 0 });
    expect(refused!.error).toContain('Hệ thống vận hành từ 01/01/2020: không có số liệu trước ngày này');
    expect(stored).toMatchObject({ from: '2020-01-20', to: '2020-01-25', state: 'done', accepted: communes.length * 6 * 9, error: null });
    const [run] = await db.sql<{ http_status: number; outcome: string }[]>`select http_status, outcome from poll_runs where id = ${refused!.runId}`;
    expect(run).toEqual({ http_status: 400, outcome: 'failed' });
  });

  it('refuses a bad range naming the field, an unknown, upload or disabled source, in words', async () => {
    const start = (key: string, range: { from?: unknown; to?: unknown }) => startSourceBackfill(db.sql, jobs.boss, key, range, { actor, ip: null });
    const now = today();
    expect(await start('mot-cua-tinh', { from: '2026-02-30', to: '2026-03-01' })).toEqual({
      ok: false, status: 400, field: 'from', message: 'from: "2026-02-30" không phải một ngày dạng YYYY-MM-DD.'
    });
    expect(await start('mot-cua-tinh', { from: '2026-03-01' })).toEqual({ ok: false, status: 400, field: 'to', message: 'to: nhập ngày kết thúc (dạng YYYY-MM-DD).' });
    expect(await start('mot-cua-tinh', { from: '2026-03-02', to: '2026-03-01' })).toMatchObject({ ok: false, status: 400, field: 'from', message: expect.stringMatching(/^from: ngày bắt đầu \(2026-03-02\) phải trước/) });
    expect(await start('mot-cua-tinh', { from: now, to: addDays(now, 1) })).toMatchObject({ ok: false, status: 400, field: 'to', message: expect.stringMatching(/không được sau hôm nay/) });
    expect(await start('khong-co', { from: now, to: now })).toEqual({ ok: false, status: 404, message: 'Không có nguồn dữ liệu khong-co.' });
    expect(await start('tai-len-hoso', { from: now, to: now })).toMatchObject({ ok: false, status: 409, message: expect.stringMatching(/nhận tệp tải lên/) });
    await db.sql`update data_sources set enabled = false where key = 'qlvb'`;
    expect(await start('qlvb', { from: now, to: now })).toEqual({ ok: false, status: 409, message: 'Nguồn qlvb đang tắt: bật nguồn rồi mới nạp lịch sử được.' });
  });
});
