/**
 * GET /api/v1/rankings as a client reads it: the route's own handler on the real database. A unit that
 * is not ranked carries why as a code with its indicators' keys (`notRanked`) and, as before, in words
 * (`notRankedReason`), now Vietnamese; the CSV carries both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Board } from '../../src/lib/contract/dto.ts';
import { recomputeRankings } from '#server/ranking/rankings';
import { periodOf } from '../../src/lib/domain/periods.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
const LEADER = { kind: 'user', user: { id: 1, username: 'lanhdao', displayName: 'Lãnh đạo', role: 'leader', unitCode: null, unitName: null }, sessionId: 'test' };

describe('GET /api/v1/rankings', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let route: typeof import('../../src/routes/api/v1/rankings/+server.ts');
  let pool: typeof import('../../src/lib/server/db.ts');
  /** The handler's answer to a query string, as a signed-in leader. */
  const get = (query: string) => route.GET({ url: new URL(`http://localhost/api/v1/rankings?${query}`), locals: { principal: LEADER } } as never);

  beforeAll(async () => {
    db = await freshDatabase();
    // The route reads through the web process's pool, which opens on first use from DATABASE_URL.
    process.env.DATABASE_URL = db.url;
    world = await demoWorld(db.sql, { now: () => NOW });
    await world.pollAll(NOW);
    // Thanh Oai's e-ID system lost its figures of the 19th: the district cannot be ranked that day.
    await db.sql`
      delete from samples s using metrics m, unit_closure c, units d
      where m.id = s.metric_id and m.key like 'eid.%' and c.descendant_id = s.unit_id and c.ancestor_id = d.id
        and d.gso_code = '278' and s.day = '2026-11-19'`;
    await recomputeRankings(db.sql, [periodOf('day', '2026-11-19')]);
    route = await import('../../src/routes/api/v1/rankings/+server.ts');
    pool = await import('../../src/lib/server/db.ts');
  });
  afterAll(async () => {
    await (await pool?.database())?.sql.end();
    await world.simulator.close();
    await db.drop();
  });

  it('gives an unranked unit’s reason as a code with its indicators and in Vietnamese words, beside the ranked ones', async () => {
    const res = await get('scope=01&period=day&date=2026-11-19');
    expect(res.status).toBe(200);
    const board = (await res.json()) as Board;
    const thanhOai = board.rows.find((r) => r.unitCode === '278')!;
    expect(thanhOai).toMatchObject({
      rank: null, total: null, band: null,
      notRanked: { code: 'no_data', indicators: ['eid.activation'] },
      notRankedReason: 'chưa có số liệu về Kích hoạt định danh điện tử',
      change: { places: null, sentence: 'chưa xếp hạng kỳ này' }
    });
    // The others are ranked, with no reason.
    const ranked = board.rows.filter((r) => r.unitCode !== '278');
    expect(ranked).toHaveLength(29);
    expect(ranked.every((r) => r.rank !== null && r.notRanked === null && r.notRankedReason === null)).toBe(true);
  });

  it('says a board not computed yet in the same two ways', async () => {
    const board = (await (await get('scope=01&period=day&date=2026-10-01')).json()) as Board;
    expect(board.rows).toHaveLength(30);
    for (const r of board.rows) expect(r).toMatchObject({ rank: null, notRanked: { code: 'not_computed', indicators: [] }, notRankedReason: 'chưa tính cho kỳ này' });
  });

  it('puts the Vietnamese words and the code side by side in the CSV', async () => {
    const res = await get('scope=01&period=day&date=2026-11-19&format=csv');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toContain('Xếp loại,Lý do chưa xếp hạng,Mã lý do chưa xếp hạng,So với kỳ trước');
    expect(lines.find((l) => l.includes(',278,Huyện Thanh Oai,'))).toMatch(/^,\d*,278,Huyện Thanh Oai,,,chưa có số liệu về Kích hoạt định danh điện tử,no_data,chưa xếp hạng kỳ này,/);
  });
});
