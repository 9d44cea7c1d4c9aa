import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PollOutcome } from '#server/pipeline/poll';
import { createBoss } from '#server/jobs/boss';
import { requestPoll } from '#server/jobs/send';
import { startWorkers } from '../../workers/scheduler.ts';
import { createLogger } from '#server/log';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';

describe('the workers on pg-boss', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql);
  });
  afterAll(async () => {
    await world.simulator.close();
    await db.drop();
  });

  it('schedules a poll of each enabled source and records it', async () => {
    const boss = await createBoss(db.url, { schema: 'pgboss_test' });
    const outcomes: (PollOutcome & { sourceId: number })[] = [];
    let resolveFirst!: (o: PollOutcome & { sourceId: number }) => void;
    const first = new Promise<PollOutcome & { sourceId: number }>((r) => (resolveFirst = r));
    const workers = await startWorkers({
      sql: db.sql, boss, secretKeyHex: world.secretKeyHex, log: createLogger({ level: 'silent' }),
      onPoll: (o) => { outcomes.push(o); resolveFirst(o); }
    });
    try {
      const outcome = await first;
      expect(outcome.outcome).toBe('success');
      expect(outcome.accepted).toBeGreaterThan(0);
      const [run] = await db.sql<{ outcome: string; source_id: number }[]>`select outcome, source_id from poll_runs where id = ${outcome.pollRunId}`;
      expect(run).toEqual({ outcome: 'success', source_id: outcome.sourceId });
      expect(Object.values(world.sources).map((s) => s.id)).toContain(outcome.sourceId);
      // "Poll now" while one is queued or running is absorbed, never doubled.
      const a = await requestPoll(boss, world.source.id);
      const b = await requestPoll(boss, world.source.id);
      expect([a, b].filter(Boolean).length).toBeLessThanOrEqual(1);
    } finally {
      await workers.stop();
      await boss.stop({ graceful: true, timeout: 10_000 });
    }
  });
});
