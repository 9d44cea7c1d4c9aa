/**
 * Units by any code system (issue 12, item 5): a source speaks GSO codes, the national portal's, or a
 * vendor's own; the units import takes a register's own codes (not only 2–5 digits) and external
 * codes; an unmatched code names the system tried; a source's scope is checked on units, whatever
 * codes its rows carry.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orm } from '#db/client';
import { dataSources } from '#db/schema/sources';
import { importUnitsCsv } from '../../src/lib/server/admin/units.ts';
import { loadLookups } from '#server/pipeline/ingest';
import { loadSource, pollSource } from '#server/pipeline/poll';
import type { Principal } from '../../src/lib/server/auth/principal.ts';
import { useDemoWorld, type TestDb, type TestWorld } from '../support/world.ts';
import { testJobs, type TestJobs } from '../support/jobs.ts';

let db: TestDb;
let world: TestWorld;
useDemoWorld((h) => ({ db, world } = h));

/** The national portal's published rows: POST with a JSON body, answers 201, units by portal code (or whatever the test sets). */
let portal: Server;
let portalUrl = '';
let portalRows: unknown[] = [];
const portalBodies: string[] = [];
let jobs: TestJobs;
let actor: Principal;

beforeAll(async () => {
  portal = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      portalBodies.push(Buffer.concat(chunks).toString('utf8'));
      const body = JSON.stringify({ trangThai: 'OK', duLieu: portalRows });
      res.writeHead(req.method === 'POST' ? 201 : 405, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}/cong-du-lieu/api/thong-ke`;
  jobs = await testJobs(db, 'pgboss_codes');
  const [user] = await db.sql<{ id: number }[]>`insert into users (username, display_name, password_hash, role) values ('quantri', 'Quản trị', 'x', 'admin') returning id`;
  actor = { kind: 'user', sessionId: 's', user: { id: user!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } };
});
afterAll(async () => {
  await jobs?.stop();
  await new Promise((resolve) => portal?.close(resolve));
});

const unitId = async (code: string) => (await db.sql<{ id: number }[]>`select id from units where gso_code = ${code}`)[0]!.id;

/** A Hà Nội unit as a line of the import, with the external codes given. */
async function registerLine(code: string, externalCodes: string): Promise<string> {
  const [u] = await db.sql<{ name: string; level: string; type: string; parent: string | null }[]>`
    select u.name, u.level, u.type, p.gso_code as parent from units u left join units p on p.id = u.parent_id where u.gso_code = ${code}`;
  return [code, `"${u!.name}"`, u!.level, u!.type, u!.parent ?? '', externalCodes].join(',');
}

async function addPortalSource(key: string, codeSystem: string, scopeCode: string | null): Promise<number> {
  const [row] = await orm(db.sql)
    .insert(dataSources)
    .values({
      key, name: `Cổng dữ liệu quốc gia (${codeSystem})`, family: 'dossier', kind: 'json_http', produces: 'samples', granularity: 'day',
      urlTemplate: portalUrl, authKind: 'none', intervalSeconds: 3600, timeoutMs: 4000, staleAfterSeconds: 7200, trailingDays: 2, enabled: false,
      scopeUnitId: scopeCode ? await unitId(scopeCode) : null, codeSystem, numberLocale: 'vi',
      request: { method: 'POST', headers: {}, body: '{"tuNgay":"{from:dd/MM/yyyy}","denNgay":"{to:dd/MM/yyyy}"}', bodyType: 'json', pagination: { kind: 'none' } },
      mapping: {
        expression: '{ "unitCode": ma, "date": $date(ngay, "dd/MM/yyyy"), "values": { "dossier.received": $number(tiepNhan) } }',
        each: 'duLieu',
        metrics: ['dossier.received']
      } as never
    })
    .returning({ id: dataSources.id });
  return row!.id;
}

const WINDOW = { from: '2026-11-30', to: '2026-12-01' };

describe('units by any code system', () => {
  it("imports a register's own codes and external codes, and refuses an external code given to two units", async () => {
    const csv = [
      'gso_code,name,level,type,parent_gso_code,external_codes',
      'H99,Tỉnh Thử Nghiệm,province,Tỉnh,,portal=H99',
      'H99.01,Huyện Một,district,Huyện,H99,portal=H99.01',
      'H99.01-x_1,Xã Một,commune,Xã,H99.01,portal=H99.100;dvc=000.00.99.H99',
      await registerLine('00001', 'portal=H01.00001;dvc=000.00.01.H01'),
      await registerLine('00004', 'portal=H01.00004'),
      await registerLine('00037', 'portal=H01.00037') // a commune of another district (Hoàn Kiếm)
    ].join('\n');
    const result = await importUnitsCsv(db.sql, csv, actor, { ip: '10.0.0.5', jobs: jobs.boss });
    expect(result).toMatchObject({ ok: true, counts: { rows: 6, created: 3, updated: 3 } });
    const stored = await db.sql<{ code: string; parent: string | null; ext: Record<string, string> }[]>`
      select u.gso_code as code, p.gso_code as parent, u.external_codes as ext from units u left join units p on p.id = u.parent_id
      where u.gso_code in ('H99', 'H99.01', 'H99.01-x_1', '00001') order by u.id`;
    expect(stored).toEqual([
      { code: '00001', parent: '001', ext: { portal: 'H01.00001', dvc: '000.00.01.H01' } },
      { code: 'H99', parent: null, ext: { portal: 'H99' } },
      { code: 'H99.01', parent: 'H99', ext: { portal: 'H99.01' } },
      { code: 'H99.01-x_1', parent: 'H99.01', ext: { portal: 'H99.100', dvc: '000.00.99.H99' } }
    ]);
    // Each system's codes name the units; the register's own codes are the 'gso' system.
    const portalLookups = await loadLookups(db.sql, 'portal');
    expect(portalLookups.codeSystem).toBe('portal');
    expect(portalLookups.unitIdByCode.get('H01.00001')).toBe(await unitId('00001'));
    expect(portalLookups.unitIdByCode.get('H99.100')).toBe(await unitId('H99.01-x_1'));
    expect(portalLookups.unitIdByCode.has('00001')).toBe(false);
    expect((await loadLookups(db.sql, 'dvc')).unitIdByCode.get('000.00.01.H01')).toBe(await unitId('00001'));
    expect((await loadLookups(db.sql)).unitIdByCode.get('H99.01-x_1')).toBe(await unitId('H99.01-x_1'));

    const twice = await importUnitsCsv(db.sql, ['gso_code,name,level,type,parent_gso_code,external_codes', await registerLine('00007', 'portal=H01.00001')].join('\n'), actor, {
      ip: null, jobs: jobs.boss
    });
    expect(twice).toEqual({ ok: false, problems: [{ line: 2, field: 'register', message: 'dòng 2: mã ngoài portal=H01.00001 thuộc 2 đơn vị (00001, 00007): mỗi mã chỉ được gán cho một đơn vị đang hiệu lực' }] });
    const bad = await importUnitsCsv(db.sql, 'gso_code,name,level,type,parent_gso_code\nH 99,Sai,commune,Xã,H99.01\n', actor, { ip: null, jobs: jobs.boss });
    expect(bad).toMatchObject({ ok: false, problems: [{ line: 2, message: expect.stringMatching(/^dòng 2: gso_code "H 99" không phải mã đơn vị hợp lệ/) }] });
  });

  it("matches a source's rows by its code system, names the system of an unmatched code, and checks the scope on units", async () => {
    const id = await addPortalSource('cong-quoc-gia', 'portal', '001'); // scope: Ba Đình, in GSO
    portalRows = [
      { ma: 'H01.00001', ngay: '30/11/2026', tiepNhan: '1.234' },
      { ma: 'H01.00004', ngay: '01/12/2026', tiepNhan: '56' },
      { ma: 'H44.999', ngay: '01/12/2026', tiepNhan: '7' }, // no unit has it
      { ma: '00001', ngay: '01/12/2026', tiepNhan: '8' }, // a GSO code, not a portal code
      { ma: 'H01.00037', ngay: '01/12/2026', tiepNhan: '9' } // a unit of Hoàn Kiếm: outside the scope, skipped
    ];
    const outcome = await pollSource(db.sql, (await loadSource(db.sql, id))!, { secretKeyHex: world.secretKeyHex, window: WINDOW, trigger: 'manual' });
    expect(outcome).toMatchObject({ outcome: 'partial', accepted: 2, rejected: 2 });
    expect(JSON.parse(portalBodies.at(-1)!)).toEqual({ tuNgay: '30/11/2026', denNgay: '01/12/2026' });
    const samples = await db.sql<{ code: string; day: string; value: number }[]>`
      select u.gso_code as code, s.day::text as day, s.value::float8 as value from samples s join units u on u.id = s.unit_id
      where s.source_id = ${id} order by s.day`;
    expect(samples).toEqual([{ code: '00001', day: '2026-11-30', value: 1234 }, { code: '00004', day: '2026-12-01', value: 56 }]);
    const [run] = await db.sql<{ rejections: { index: number; reason: string }[] }[]>`select rejections from poll_runs where id = ${outcome.pollRunId}`;
    expect(run!.rejections).toEqual([
      { index: 2, reason: 'không có đơn vị mã H44.999 trong hệ mã portal (đơn vị H44.999, 2026-12-01)' },
      { index: 3, reason: 'không có đơn vị mã 00001 trong hệ mã portal (đơn vị 00001, 2026-12-01)' }
    ]);
    // A known unit outside the scope is not an error of the source: skipped, and counted on the run.
    expect((await db.sql<{ skipped: number }[]>`select skipped from poll_runs where id = ${outcome.pollRunId}`)[0]!.skipped).toBe(1);
  });

  it("matches a register's own non-numeric codes in the 'gso' system, and a scope given by such a code", async () => {
    const id = await addPortalSource('tinh-thu', 'gso', 'H99');
    portalRows = [
      { ma: 'H99.01-x_1', ngay: '01/12/2026', tiepNhan: '2.001' },
      { ma: 'H99.100', ngay: '01/12/2026', tiepNhan: '3' } // its portal code: not a code of the register
    ];
    const outcome = await pollSource(db.sql, (await loadSource(db.sql, id))!, { secretKeyHex: world.secretKeyHex, window: WINDOW, trigger: 'manual' });
    expect(outcome).toMatchObject({ accepted: 1, rejected: 1 });
    const [sample] = await db.sql<{ value: number }[]>`select value::float8 as value from samples where source_id = ${id} and unit_id = ${await unitId('H99.01-x_1')}`;
    expect(sample!.value).toBe(2001);
    const [run] = await db.sql<{ rejections: { reason: string }[] }[]>`select rejections from poll_runs where id = ${outcome.pollRunId}`;
    expect(run!.rejections[0]!.reason).toBe('không có đơn vị mã H99.100 trong hệ mã gso (đơn vị H99.100, 2026-12-01)');
  });
});
