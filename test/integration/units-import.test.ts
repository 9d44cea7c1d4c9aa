import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { importUnitsCsv, importUnitsFile, unitsSummary } from '../../src/lib/server/admin/units.ts';
import { readBoard } from '../../src/lib/server/boards.ts';
import { freshDatabase } from '../support/db.ts';
import { demoWorld } from '../support/fixtures.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';
import { RECOMPUTE_QUEUE } from '#server/jobs/queues';
import type { UnitsImportResult } from '../../src/lib/server/admin/units.ts';

// Friday 20 November 2026, 19:00 ICT.
const NOW = new Date('2026-11-20T12:00:00Z');
const TODAY = '2026-11-20';
/** A merge without a date takes effect today: the merged unit's last day in force is yesterday. */
const YESTERDAY = '2026-11-19';
const DAKLAK = readFileSync(new URL('../../db/seed/data/daklak.csv', import.meta.url), 'utf8');

describe('importing administrative units on the real PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let world: Awaited<ReturnType<typeof demoWorld>>;
  let actor: Principal;
  let jobs: TestJobs;
  beforeAll(async () => {
    db = await freshDatabase();
    world = await demoWorld(db.sql, { now: () => NOW });
    await world.pollAll(NOW);
    jobs = await testJobs(db, 'pgboss_units');
    await jobs.work({ secretKeyHex: world.secretKeyHex });
    const [user] = await db.sql<{ id: number }[]>`
      insert into users (username, display_name, password_hash, role) values ('quantri', 'Quản trị', 'x', 'admin') returning id`;
    actor = { kind: 'user', sessionId: 's', user: { id: user!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
  });
  afterAll(async () => {
    await jobs?.stop();
    await world.simulator.close();
    await db.drop();
  });

  const count = async (query: Promise<{ n: number }[]>) => (await query)[0]!.n;
  /** An import, and then its recompute of the current boards, run by the workers (the import only queues it). */
  const imported = async (result: Promise<UnitsImportResult>) => {
    const r = await result;
    if (r.ok) {
      expect(r.recompute).toEqual({ batch: expect.any(String), periods: 8 });
      expect(await jobs.batch(r.recompute!.batch)).toBe(8);
    }
    return r;
  };
  const auditCount = () => count(db.sql<{ n: number }[]>`select count(*)::int as n from audit_log where action = 'import' and entity = 'unit'`);

  it('imports Đắk Lắk beside Hà Nội: its 15 districts and 180 communes under their province, closure included', async () => {
    const result = await imported(importUnitsCsv(db.sql, DAKLAK, actor, { now: NOW, ip: '10.0.0.5', jobs: jobs.boss }));
    expect(result).toMatchObject({ ok: true, counts: { rows: 196, created: 196, updated: 0, merged: 0, unchanged: 0, moved: 0 } });

    const districts = await db.sql<{ code: string }[]>`
      select d.gso_code as code from units d join units p on p.id = d.parent_id where p.gso_code = '66' and d.level = 'district'`;
    expect(districts).toHaveLength(15);
    expect(await count(db.sql`
      select count(*)::int as n from units c join units d on d.id = c.parent_id join units p on p.id = d.parent_id
      where p.gso_code = '66' and c.level = 'commune'`)).toBe(180);
    expect(await count(db.sql`
      select count(*)::int as n from unit_closure k join units a on a.id = k.ancestor_id where a.gso_code = '66' and k.depth > 0`)).toBe(195);
    const [krongAna] = await db.sql<{ name: string; parent: string; population: number | null }[]>`
      select u.name, p.gso_code as parent, u.population from units u join units p on p.id = u.parent_id where u.name = 'Huyện Krông A Na'`;
    expect(krongAna).toMatchObject({ parent: '66', population: null });
    // Hà Nội is untouched, and its board still ranks its 30 districts.
    expect(await count(db.sql`select count(*)::int as n from units d join units p on p.id = d.parent_id where p.gso_code = '01'`)).toBe(30);
    expect((await readBoard(db.sql, { scope: '01', period: 'day', date: TODAY }, NOW)).rows).toHaveLength(30);
    // The new province's board was computed today too (no data yet: not ranked, with the reason).
    const board66 = await readBoard(db.sql, { scope: '66', period: 'month', date: TODAY }, NOW);
    expect(board66.rows).toHaveLength(15);
    expect(board66.rows.every((r) => r.rank === null && r.notRanked?.code === 'no_data' && r.notRankedReason?.startsWith('chưa có số liệu'))).toBe(true);

    const [audit] = await db.sql<{ actor_name: string; actor_user_id: number; ip: string; after: { counts: { created: number }; created: string[]; merged: string[] } }[]>`
      select actor_name, actor_user_id, ip, after from audit_log where action = 'import' and entity = 'unit' order by id desc limit 1`;
    expect(audit).toMatchObject({ actor_name: 'quantri', ip: '10.0.0.5', after: { counts: { created: 196 }, merged: [] } });
    expect(audit!.after.created).toHaveLength(196);
    expect(audit!.after.created).toContain('66');

    // The same file again changes nothing.
    const again = await imported(importUnitsCsv(db.sql, DAKLAK, actor, { now: NOW, jobs: jobs.boss }));
    expect(again).toMatchObject({ ok: true, counts: { created: 0, updated: 0, merged: 0, unchanged: 196, lineage: 0 } });
  });

  it('merges 00004 into 00001: 00004 leaves the current boards and keeps its samples and past rankings', async () => {
    const [c4] = await db.sql<{ id: number }[]>`select id from units where gso_code = '00004'`;
    const [c1] = await db.sql<{ id: number }[]>`select id from units where gso_code = '00001'`;
    const samplesBefore = await count(db.sql`select count(*)::int as n from samples where unit_id = ${c4!.id}`);
    expect(samplesBefore).toBeGreaterThan(0);
    const boardBefore = await readBoard(db.sql, { scope: '001', period: 'day', date: TODAY }, NOW);
    expect(boardBefore.rows.map((r) => r.unitCode)).toContain('00004');
    const storedToday = () => db.sql<{ code: string }[]>`
      select u.gso_code as code from rankings r join units s on s.id = r.scope_unit_id join units u on u.id = r.unit_id
      where s.gso_code = '001' and r.scheme_key = 'operations' and r.period_kind = 'day' and r.period_start = ${TODAY}`;
    expect((await storedToday()).map((r) => r.code)).toContain('00004');

    const csv = [
      'gso_code,name,level,type,parent_gso_code,external_codes,merged_into',
      '00001,Phường Phúc Xá,commune,Phường,001,portal=H26.01.001;dvc=000.01.01.H26,',
      '00004,Phường Trúc Bạch,commune,Phường,001,,00001'
    ];
    const result = await imported(importUnitsCsv(db.sql, csv.join('\r\n') + '\r\n', actor, { now: NOW, jobs: jobs.boss }));
    expect(result).toMatchObject({ ok: true, counts: { rows: 2, created: 0, updated: 1, merged: 1, lineage: 1 }, updated: ['00001'], merged: ['00004'] });
    // The merge is a lineage link: 00001 carries 00004's figures from before, whole, and its district counts them once.
    expect(await db.sql`select predecessor_id, successor_id, note, share, estimated from unit_lineage`).toEqual([
      { predecessor_id: c4!.id, successor_id: c1!.id, note: 'Nhập toàn bộ', share: 1, estimated: false }
    ]);
    expect(await db.sql`select share, estimated from unit_rollup where ancestor_id = ${c1!.id} and descendant_id = ${c4!.id}`).toEqual([{ share: 1, estimated: false }]);

    const [merged] = await db.sql<{ valid_to: string; merged_into_id: number; parent: string }[]>`
      select to_char(u.valid_to, 'YYYY-MM-DD') as valid_to, u.merged_into_id, p.gso_code as parent
      from units u join units p on p.id = u.parent_id where u.gso_code = '00004'`;
    expect(merged).toEqual({ valid_to: YESTERDAY, merged_into_id: c1!.id, parent: '001' });
    const [ext] = await db.sql<{ external_codes: Record<string, string> }[]>`select external_codes from units where gso_code = '00001'`;
    expect(ext!.external_codes).toEqual({ portal: 'H26.01.001', dvc: '000.01.01.H26' });

    // History stays with 00004: its samples, and its rank on yesterday's board.
    expect(await count(db.sql`select count(*)::int as n from samples where unit_id = ${c4!.id}`)).toBe(samplesBefore);
    expect(await count(db.sql`
      select count(*)::int as n from rankings r join units s on s.id = r.scope_unit_id
      where s.gso_code = '001' and r.scheme_key = 'operations' and r.unit_id = ${c4!.id} and r.period_kind = 'day' and r.period_start = '2026-11-19'`)).toBe(1);
    // Today's board of its district has one row fewer, read and stored.
    const boardAfter = await readBoard(db.sql, { scope: '001', period: 'day', date: TODAY }, NOW);
    expect(boardAfter.rows).toHaveLength(boardBefore.rows.length - 1);
    expect(boardAfter.rows.map((r) => r.unitCode)).not.toContain('00004');
    const stored = (await storedToday()).map((r) => r.code);
    expect(stored).toHaveLength(boardBefore.rows.length - 1);
    expect(stored).not.toContain('00004');
    expect(await count(db.sql`
      select count(*)::int as n from rankings r join units s on s.id = r.scope_unit_id
      where s.gso_code = '001' and r.unit_id = ${c4!.id} and r.period_kind = 'month' and r.period_start = '2026-11-01'`)).toBe(0);
    // The remaining communes are ranked among themselves: competition ranks 1..n with no gap left by 00004.
    const ranks = boardAfter.rows.map((r) => r.rank).filter((r): r is number => r !== null);
    expect(Math.min(...ranks)).toBe(1);
    expect(Math.max(...ranks)).toBeLessThanOrEqual(boardAfter.rows.length);

    const summary = await unitsSummary(db.sql);
    expect(summary.mergedCount).toBe(1);
    expect(summary.merged).toEqual([{
      id: c4!.id, code: '00004', name: 'Phường Trúc Bạch', level: 'commune', intoCode: '00001', intoName: 'Phường Phúc Xá', since: YESTERDAY,
      successors: [{ code: '00001', name: 'Phường Phúc Xá', note: 'Nhập toàn bộ' }]
    }]);
    expect(summary.lineageCount).toBe(1);
    expect(summary.roots.map((r) => r.code)).toEqual(['01', '66']);
    expect(summary.levels.find((l) => l.level === 'commune')).toEqual({ level: 'commune', current: 526 - 1 + 180, merged: 1 });
  });

  it('moves the children of a merged district to the district that absorbed it', async () => {
    // Hoàn Kiếm (002) into Ba Đình (001), dated 1 July 2025.
    const children = await db.sql<{ code: string }[]>`
      select u.gso_code as code from units u join units p on p.id = u.parent_id where p.gso_code = '002' and u.valid_to is null`;
    expect(children.length).toBeGreaterThan(0);
    const result = await imported(importUnitsCsv(db.sql, 'gso_code,name,level,type,parent_gso_code,merged_into,valid_to\n002,Quận Hoàn Kiếm,district,Quận,01,001,2025-07-01\n', actor, { now: NOW, jobs: jobs.boss }));
    expect(result).toMatchObject({ ok: true, merged: ['002'], counts: { moved: children.length, lineage: 1 } });
    // The same merge again writes nothing new.
    const again = await imported(importUnitsCsv(db.sql, 'gso_code,name,level,type,parent_gso_code,merged_into,valid_to\n002,Quận Hoàn Kiếm,district,Quận,01,001,2025-07-01\n', actor, { now: NOW, jobs: jobs.boss }));
    expect(again).toMatchObject({ ok: true, merged: [], counts: { unchanged: 1, moved: 0, lineage: 0 } });
    expect(await count(db.sql`
      select count(*)::int as n from units u join units p on p.id = u.parent_id
      where p.gso_code = '001' and u.gso_code = any(${db.sql.array(children.map((c) => c.code))}::text[])`)).toBe(children.length);
    expect((await readBoard(db.sql, { scope: '01', period: 'day', date: TODAY }, NOW)).rows).toHaveLength(29);
    // The closure follows: Ba Đình now holds the moved communes.
    expect(await count(db.sql`
      select count(*)::int as n from unit_closure k join units a on a.id = k.ancestor_id join units d on d.id = k.descendant_id
      where a.gso_code = '001' and d.gso_code = ${children[0]!.code}`)).toBe(1);
  });

  it('refuses a file with a bad parent and a cycle whole, naming both lines, and changes nothing', async () => {
    const snapshot = () => db.sql`select id, gso_code, name, parent_id, valid_to, merged_into_id, external_codes from units order by id`;
    const before = await snapshot();
    const closureBefore = await count(db.sql`select count(*)::int as n from unit_closure`);
    const auditsBefore = await auditCount();
    const jobsBefore = (await jobs.boss.findJobs(RECOMPUTE_QUEUE)).length;
    const csv = [
      'gso_code,name,level,type,parent_gso_code', // 1
      '00001,Phường Phúc Xá Mới,commune,Phường,001', // 2: good on its own, but the file is refused
      '00020,Xã Lỗi,commune,Xã,999', // 3: no such parent
      '901,Huyện A,district,Huyện,902', // 4: cycle with 5
      '902,Huyện B,district,Huyện,901', // 5
      '00021,,commune,Xã,001' // 6: no name
    ].join('\n');
    const result = await importUnitsCsv(db.sql, csv, actor, { now: NOW, jobs: jobs.boss });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => p.message);
    expect(problems).toEqual([
      'dòng 3: parent_gso_code 999 không tồn tại',
      'dòng 4: quan hệ cấp trên tạo thành vòng: 901 → 902 → 901 (các dòng 4, 5)',
      'dòng 6: name để trống'
    ]);
    expect(await snapshot()).toEqual(before);
    expect(await count(db.sql`select count(*)::int as n from unit_closure`)).toBe(closureBefore);
    expect(await auditCount()).toBe(auditsBefore);
    expect(await jobs.boss.findJobs(RECOMPUTE_QUEUE)).toHaveLength(jobsBefore); // and nothing queued
  });

  it('takes an uploaded file, and refuses one that is not UTF-8', async () => {
    const good = new File(['\uFEFFgso_code,name,level,type,parent_gso_code,external_codes\n66,Tỉnh Đắk Lắk,province,Tỉnh,,portal=H15\n'], 'daklak.csv', { type: 'text/csv' });
    expect(await imported(importUnitsFile(db.sql, good, actor, { now: NOW, jobs: jobs.boss }))).toMatchObject({ ok: true, updated: ['66'] });
    const [u] = await db.sql<{ external_codes: Record<string, string> }[]>`select external_codes from units where gso_code = '66'`;
    expect(u!.external_codes).toEqual({ portal: 'H15' });
    const latin = new File([Uint8Array.of(...Buffer.from('gso_code,name,level,type,parent_gso_code\n66,T'), 0xea, 0x6e, 0x0a)], 'x.csv');
    expect(await importUnitsFile(db.sql, latin, actor, { now: NOW, jobs: jobs.boss })).toEqual({
      ok: false, problems: [{ line: null, message: 'file: tệp không phải văn bản UTF-8 (hãy lưu dưới dạng "CSV UTF-8")' }]
    });
    expect(await importUnitsFile(db.sql, null, actor, { jobs: jobs.boss })).toMatchObject({ ok: false, problems: [{ message: 'file: chọn một tệp .csv' }] });
  });
});
