/** The history the seed leaves to the workers' job (runHistory, the `backfill-history` queue's work), on the real PostgreSQL. */
import { describe, expect, it } from 'vitest';
import { addDays, today } from '../../src/lib/domain/periods.ts';
import { runHistory } from '#server/pipeline/history';
import { createLogger } from '#server/log';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';

const NOW = new Date();
const TODAY = today(NOW);

describe('the history job', () => {
  let db: TestDb;
  let world: TestWorld;
  useDemoWorld((h) => ({ db, world } = h), { now: () => NOW });

  it('backfills every enabled polled source (in id order, uploads and disabled sources left out), and ranks the range', async () => {
    const from = addDays(TODAY, -6);
    const to = addDays(TODAY, -5);
    await db.sql`update data_sources set enabled = false where key = 'vneid'`;
    const lines: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } });
    const done = await runHistory(db.sql, { from, to }, { secretKeyHex: world.secretKeyHex, log });

    const runs = await db.sql<{ key: string; trigger: string }[]>`
      select s.key, r.trigger from poll_runs r join data_sources s on s.id = r.source_id order by r.id`;
    const polled = Object.values(world.sources).filter((s) => s.kind !== 'upload' && s.key !== 'vneid').sort((a, b) => a.id - b.id);
    expect([...new Set(runs.map((r) => r.key))]).toEqual(polled.map((s) => s.key));
    expect(runs.every((r) => r.trigger === 'backfill')).toBe(true);
    const [boards] = await db.sql<{ n: number }[]>`select count(*)::int as n from rankings where period_kind = 'day' and period_start between ${from} and ${to}`;
    expect(boards!.n).toBeGreaterThan(0);
    expect(done.sources).toBe(polled.length);
    expect(done.samples).toBeGreaterThan(0);
    expect(await db.sql`select 1 from app_meta where key like '%pending%'`).toHaveLength(0);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ msg: 'history backfilled', from, to });
  });
});
