import { describe, expect, it } from 'vitest';
import { mapDossierBody } from './map.ts';

const row = (over: Record<string, unknown> = {}) => ({
  maDonVi: '00001', ngay: '2026-11-20', tiepNhan: 10, tiepNhanTrucTuyen: 8, daGiaiQuyet: 7,
  giaiQuyetDungHan: 6, dangGiaiQuyetTrongHan: 2, dangGiaiQuyetQuaHan: 1, ...over
});
const body = (rows: unknown[]) => JSON.stringify({ maHeThong: 'MOTCUA', thoiDiem: '2026-11-20T10:00:00Z', duLieu: rows });

describe('mapDossierBody', () => {
  it('maps a row to six canonical samples', () => {
    const { samples, rejected } = mapDossierBody(body([row()]));
    expect(rejected).toEqual([]);
    expect(samples).toContainEqual({ unitCode: '00001', metric: 'dossier.resolved_on_time', date: '2026-11-20', value: 6 });
    expect(samples).toHaveLength(6);
  });
  it('rejects bad rows with a reason in words and keeps the good ones', () => {
    const { samples, rejected } = mapDossierBody(
      body([
        row(),
        row({ maDonVi: '00004', tiepNhan: -3 }),
        row({ maDonVi: '00006', tiepNhan: '12' }),
        row({ maDonVi: '00007', tiepNhanTrucTuyen: 11 }),
        row(),
        'not a row'
      ])
    );
    expect(samples).toHaveLength(6);
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(rejected[0]!.reason).toMatch(/tiepNhan: must not be negative/);
    expect(rejected[1]!.reason).toMatch(/tiepNhan: must be a number/);
    expect(rejected[2]!.reason).toMatch(/received online is larger than received/);
    expect(rejected[3]!.reason).toMatch(/duplicate row for unit 00001 on 2026-11-20/);
  });
  it('fails the whole body, in words, when it is not JSON or not the expected shape', () => {
    expect(() => mapDossierBody('{"duLieu": [')).toThrow(/not valid JSON/);
    expect(() => mapDossierBody('{"duLieu": 3}')).toThrow(/unexpected payload shape/);
  });
});
