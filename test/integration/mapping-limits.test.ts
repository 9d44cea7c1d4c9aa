/**
 * A source whose mapping never ends, or builds a huge string, polled through the real workers
 * (pg-boss, the ticker, the sandbox's real limits: 5 s, 512 MB): its poll fails in words on the
 * source, the health card says so, and another source goes on polling meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '#server/log';
import type { PollOutcome } from '#server/pipeline/poll';
import { readSourceHealth } from '#server/sources';
import { createBoss } from '#server/jobs/boss';
import { requestPoll } from '#server/jobs/send';
import { startWorkers } from '../../workers/scheduler.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';

const ENDLESS = '($f := function($n){ $f($n+1) }; $f(0))';
/** Five strings of 100 million characters joined into one: a gigabyte of string. */
const HUGE_STRING = '$length($join([1..5].($pad("", 100000000, "x") & $string($))))';

type Seen = PollOutcome & { sourceId: number; at: number };

describe('a mapping past its limits, polled by the real workers', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let boss: Awaited<ReturnType<typeof createBoss>>;
  let workers: Awaited<ReturnType<typeof startWorkers>>;
  const seen: Seen[] = [];
  let t0 = 0;
  const waiters: { test: (o: Seen) => boolean; resolve: (o: Seen) => void }[] = [];
  const next = (test: (o: Seen) => boolean) => new Promise<Seen>((resolve) => waiters.push({ test, resolve }));

  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql); // the workers poll on the real clock
    // The one-stop shop is enabled with the endless mapping (the ticker asks for its poll at once,
    // then once an hour); the e-ID system polls every second all along, with its own good mapping.
    await db.sql`update data_sources set enabled = key in ('motcua', 'vneid'), interval_seconds = 1, timeout_ms = 4000`;
    await db.sql`update data_sources set interval_seconds = 3600 where key = 'motcua'`;
    await db.sql`update data_sources set mapping = ${JSON.stringify({ expression: ENDLESS, metrics: [] })}::jsonb where key = 'motcua'`;
    boss = await createBoss(db.url, { schema: 'pgboss_limits' });
    t0 = performance.now();
    workers = await startWorkers({
      sql: db.sql, boss, secretKeyHex: world.secretKeyHex, log: createLogger({ level: 'silent' }),
      onPoll: (o) => {
        const s = { ...o, at: performance.now() };
        seen.push(s);
        for (const w of [...waiters]) if (w.test(s)) waiters.splice(waiters.indexOf(w), 1), w.resolve(s);
      }
    });
  });
  afterAll(async () => {
    await workers?.stop();
    await boss?.stop({ graceful: true, timeout: 10_000 });
    await world?.simulator.close();
    await db?.drop();
  });

  const motcua = () => world.sources.motcua!.id;
  const vneid = () => world.sources.vneid!.id;

  it('stops the endless mapping after 5 s, says so on the source, and the e-ID system polls all along', async () => {
    const outcome = seen.find((o) => o.sourceId === motcua()) ?? (await next((o) => o.sourceId === motcua()));
    expect(outcome.outcome).toBe('failed');
    expect(outcome.error).toBe('phép ánh xạ chạy quá 5 giây và đã bị dừng');
    const took = outcome.at - t0;
    expect(took).toBeGreaterThanOrEqual(5_000);
    expect(took).toBeLessThan(15_000);
    // While the mapping ran (its last 5 s before it was stopped), the other source's polls went on:
    // it polls every second, each poll taking ~0.3 s (seconds on a busy machine).
    const during = seen.filter((o) => o.sourceId === vneid() && o.outcome === 'success' && o.at > outcome.at - 4_800 && o.at < outcome.at);
    expect(during.length).toBeGreaterThanOrEqual(1);

    // In words on the source: the poll history and the health card.
    const [run] = await db.sql<{ outcome: string; error: string }[]>`select outcome, error from poll_runs where id = ${outcome.pollRunId}`;
    expect(run).toEqual({ outcome: 'failed', error: 'phép ánh xạ chạy quá 5 giây và đã bị dừng' });
    const card = (await readSourceHealth(db.sql)).find((h) => h.key === 'motcua')!;
    expect(card).toMatchObject({ lastError: 'phép ánh xạ chạy quá 5 giây và đã bị dừng', consecutiveFailures: 1, lastOutcome: 'failed' });
    expect(card.status).toBe('stale'); // never a success yet: "số liệu cũ", with the reason under it
    expect((await readSourceHealth(db.sql)).find((h) => h.key === 'vneid')!.status).toBe('ok');
  }, 40_000);

  it('stops a mapping that builds a huge string, and the e-ID system polls on', async () => {
    await db.sql`update data_sources set mapping = ${JSON.stringify({ expression: HUGE_STRING, metrics: [] })}::jsonb where key = 'motcua'`;
    const t0 = performance.now();
    const failed = next((o) => o.sourceId === motcua());
    await requestPoll(boss, motcua(), 'manual');
    const outcome = await failed;
    expect(outcome.outcome).toBe('failed');
    // Usually the memory limit (in ~1 s); on a machine busy enough, the time limit comes first.
    expect(outcome.error).toMatch(/^phép ánh xạ (dùng quá 512 MB bộ nhớ|chạy quá 5 giây) và đã bị dừng$/);
    const card = (await readSourceHealth(db.sql)).find((h) => h.key === 'motcua')!;
    expect(card).toMatchObject({ lastError: outcome.error, consecutiveFailures: 2 });
    // The workers are still themselves: the next e-ID poll after it succeeds.
    const after = await next((o) => o.sourceId === vneid() && o.at > outcome.at);
    expect(after.outcome).toBe('success');
    expect(after.at - t0).toBeLessThan(20_000);

    // A good mapping again: the source polls fine (the killed helper was replaced).
    await db.sql`update data_sources set mapping = ${JSON.stringify(world.sources.motcua!.mapping)}::jsonb where key = 'motcua'`;
    const good = next((o) => o.sourceId === motcua());
    await requestPoll(boss, motcua(), 'manual');
    expect((await good).outcome).toBe('success');
  }, 60_000);
});
