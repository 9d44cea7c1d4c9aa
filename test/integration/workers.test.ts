import { describe, expect, it } from 'vitest';
import type { PollOutcome } from '#server/pipeline/poll';
import { createBoss } from '#server/jobs/boss';
import { requestPoll } from '#server/jobs/send';
import { startWorkers } from '../../workers/scheduler.ts';
import { createLogger } from '#server/log';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

describe('the workers on pg-boss', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h));

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
