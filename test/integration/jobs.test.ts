/**
 * The pg-boss queues that replaced app_meta's hand-made ones, with the real workers: the history
 * the seed leaves (backfilled and ranked; a malformed payload fails at once, in words), and a
 * disabled source, whose waiting polls are dropped and whose late poll job is skipped, not retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { readBoard } from '../../src/lib/server/boards.ts';
import { dropQueuedPollsOf, pollNow, setEnabled } from '../../src/lib/server/admin/sources.ts';
import { HISTORY_QUEUE, POLL_QUEUE } from '#server/jobs/queues';
import { pollNowJob, queueHistory, requestPoll } from '#server/jobs/send';
import { readPollStatus } from '#server/jobs/status';
import { dossierDay } from '../../workers/simulator/dossiers.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld, SIM_SEED } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

const NOW = new Date('2026-11-20T12:00:00Z');

describe('jobs on pg-boss, run by the real workers', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let jobs: TestJobs;
  let admin: Principal;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    jobs = await testJobs(db, 'pgboss_jobs');
    await jobs.work({ secretKeyHex: world.secretKeyHex });
    const [row] = await db.sql<{ id: number }[]>`
      insert into users (username, display_name, password_hash, role) values ('quantri', 'Quản trị', 'x', 'admin') returning id`;
    admin = { kind: 'user', sessionId: 's', user: { id: row!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
  });
  afterAll(async () => {
    await jobs?.stop();
    await world?.simulator.close();
    await db?.drop();
  });

  it('backfills the history the seed left, from every enabled source, and ranks it', async () => {
    const id = await queueHistory(jobs.boss, { from: '2026-10-01', to: '2026-10-07' });
    expect(id).toBeTruthy();
    // One at a time: asking again while it waits or runs is absorbed.
    expect(await queueHistory(jobs.boss, { from: '2026-10-01', to: '2026-10-07' })).toBeNull();
    const output = await jobs.settled(HISTORY_QUEUE, id!);
    expect(output).toEqual({ sources: 4, samples: expect.any(Number) });
    expect((output as { samples: number }).samples).toBeGreaterThan(0);

    // Every polled source read the range, recorded as backfill runs.
    const runs = await db.sql<{ key: string; n: number }[]>`
      select s.key, count(*)::int as n from poll_runs r join data_sources s on s.id = r.source_id
      where r.trigger = 'backfill' and r.window_from <= '2026-10-07' and r.window_to >= '2026-10-01' group by s.key order by s.key`;
    expect(runs.map((r) => r.key)).toEqual(['ansinh', 'motcua', 'qlvb', 'vneid']);
    // Stored as the district system reported it.
    const [stored] = await db.sql<{ value: number }[]>`
      select s.value from samples s join units u on u.id = s.unit_id join metrics m on m.id = s.metric_id
      where m.key = 'dossier.received' and u.gso_code = '00001' and s.day = '2026-10-03'`;
    expect(stored!.value).toBe(dossierDay(SIM_SEED, '00001', '2026-10-03', NOW).received);
    // Ranked: the range's boards, and the next day's (its previous rank now exists).
    const board = await readBoard(db.sql, { scope: '01', period: 'day', date: '2026-10-03' }, NOW);
    expect(board.rows.filter((r) => r.rank !== null)).toHaveLength(30);
    const [next] = await db.sql<{ n: number }[]>`select count(*)::int as n from rankings where period_kind = 'day' and period_start = '2026-10-08'`;
    expect(next!.n).toBeGreaterThan(0);
    expect(jobs.lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'history backfilled', from: '2026-10-01', to: '2026-10-07' }));
  });

  it('fails a malformed history payload at once, in words naming the field, without retrying it', async () => {
    const backwards = await jobs.boss.send(HISTORY_QUEUE, { from: '2026-10-07', to: '2026-10-01' });
    expect(await jobs.failed(HISTORY_QUEUE, backwards!)).toEqual({ message: 'payload: to: must not be before from' });
    const [job] = await jobs.boss.findJobs(HISTORY_QUEUE, { id: backwards! });
    expect(job).toMatchObject({ state: 'failed', retryCount: 0 });

    const words = await jobs.boss.send(HISTORY_QUEUE, { from: 'last month' });
    expect(await jobs.failed(HISTORY_QUEUE, words!)).toEqual({
      message: 'payload: from: must be a date written YYYY-MM-DD; to: must be a date written YYYY-MM-DD'
    });
    expect(jobs.lines).toContainEqual(expect.objectContaining({
      level: 'warn', queue: 'backfill-history', jobId: words, msg: expect.stringMatching(/^job refused: payload: from: must be a date/)
    }));
  });

  describe('a disabled source', () => {
    let idle: TestJobs; // a queue no worker takes from: what waits there stays
    beforeAll(async () => {
      idle = await testJobs(db, 'pgboss_idle');
    });
    afterAll(async () => {
      await idle?.stop();
    });

    it('loses its waiting polls when it is disabled or saved disabled, and "poll now" refuses it in words', async () => {
      const motcua = world.sources.motcua!;
      const waiting = await requestPoll(idle.boss, motcua.id, 'manual');
      expect(waiting).toBeTruthy();
      // A second "poll now" while one waits is absorbed: the page follows the one waiting.
      expect(await pollNowJob(idle.boss, motcua.id)).toBe(waiting);
      expect(await idle.boss.findJobs(POLL_QUEUE, { queued: true })).toHaveLength(1);
      expect(await setEnabled(db.sql, 'motcua', false, { actor: admin, ip: null, jobs: idle.boss })).toEqual({ ok: true });
      expect(await idle.boss.findJobs(POLL_QUEUE, { queued: true })).toHaveLength(0);
      // The other sources' polls stay; only its own go (the path of a source saved disabled).
      await requestPoll(idle.boss, world.sources.vneid!.id, 'schedule', 60);
      await requestPoll(idle.boss, motcua.id, 'schedule', 60);
      expect(await dropQueuedPollsOf(db.sql, idle.boss, 'motcua')).toBe(1);
      expect((await idle.boss.findJobs<{ sourceId: number }>(POLL_QUEUE, { queued: true })).map((j) => j.data.sourceId)).toEqual([world.sources.vneid!.id]);

      expect(await pollNow(db.sql, 'motcua', { actor: admin, ip: null, jobs: idle.boss })).toEqual({
        ok: false, status: 409, message: 'Nguồn motcua đang tắt: bật nguồn rồi mới lấy số liệu được.'
      });
      expect(await idle.boss.findJobs(POLL_QUEUE, { key: `source:${motcua.id}` })).toHaveLength(0);
    });

    it('has a poll job that was already taken skipped with a log line, completed rather than retried', async () => {
      const motcua = world.sources.motcua!;
      const runsBefore = await db.sql`select id from poll_runs where source_id = ${motcua.id}`;
      // A poll that got past the drop (asked for just before the source was disabled).
      const id = await requestPoll(jobs.boss, motcua.id, 'manual');
      expect(await jobs.settled(POLL_QUEUE, id!)).toEqual({ skipped: 'disabled' });
      const [job] = await jobs.boss.findJobs(POLL_QUEUE, { id: id! });
      expect(job).toMatchObject({ state: 'completed', retryCount: 0 });
      expect(jobs.lines).toContainEqual(expect.objectContaining({ level: 'info', source: 'motcua', msg: 'poll skipped: the source is disabled' }));
      expect(await db.sql`select id from poll_runs where source_id = ${motcua.id}`).toHaveLength(runsBefore.length);
      // As the admin page reads it.
      expect(await readPollStatus(jobs.boss, id!)).toMatchObject({
        kind: 'poll', state: 'done', done: 1, total: 1, error: null, poll: { runId: null, outcome: 'skipped', skipped: 'disabled' }
      });

      // Enabled again, "poll now" is a job the page follows to its poll run.
      expect(await setEnabled(db.sql, 'motcua', true, { actor: admin, ip: null, jobs: jobs.boss })).toEqual({ ok: true });
      const asked = await pollNow(db.sql, 'motcua', { actor: admin, ip: null, jobs: jobs.boss });
      if (!asked.ok || !asked.jobId) throw new Error(`poll now refused: ${JSON.stringify(asked)}`);
      const output = (await jobs.settled(POLL_QUEUE, asked.jobId)) as { pollRunId: number; outcome: string };
      expect(output).toMatchObject({ outcome: 'success', error: null });
      const status = await readPollStatus(jobs.boss, asked.jobId);
      expect(status).toMatchObject({ state: 'done', poll: { runId: output.pollRunId, outcome: 'success', skipped: null } });
      const [run] = await db.sql<{ trigger: string; outcome: string }[]>`select trigger, outcome from poll_runs where id = ${output.pollRunId}`;
      expect(run).toEqual({ trigger: 'manual', outcome: 'success' });
    });
  });
});
