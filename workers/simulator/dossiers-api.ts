/**
 * The one-stop-shop system's API (MOTCUA): GET /motcua/api/v1/thong-ke-ngay?tuNgay&denNgay,
 * header x-api-key; per unit and day, in date order then the register's order: the communes in
 * force that day, and the city's departments (sở, ban, ngành), which handle dossiers too.
 */
import { daysBetween } from './calendar.ts';
import { dossierDay, type DossierDay, type DossierOverride } from './dossiers.ts';
import { OVERSIZE_BYTES, cutInHalf } from './faults.ts';
import { dayRange, isProblem, jsonAnswer, oversizeJson, rangeMessageVi, type SystemApi, type SystemContext } from './http.ts';
import { unitDossiers } from './truth.ts';

export const DOSSIER_PATH = '/motcua/api/v1/thong-ke-ngay';
export const MAX_RANGE_DAYS = 400;

export interface DossierRow {
  maDonVi: string;
  ngay: string;
  tiepNhan: number | string; // a string only under the wrong_types fault
  tiepNhanTrucTuyen: number;
  daGiaiQuyet: number;
  giaiQuyetDungHan: number;
  dangGiaiQuyetTrongHan: number;
  dangGiaiQuyetQuaHan: number;
  soHoaThanhPhan: number;
  coPhiLePhi: number;
  thanhToanTrucTuyen: number;
}

/** A day's counts in the system's words. */
export function dossierRow(maDonVi: string, ngay: string, d: DossierDay): DossierRow {
  return {
    maDonVi,
    ngay,
    tiepNhan: d.received,
    tiepNhanTrucTuyen: d.receivedOnline,
    daGiaiQuyet: d.resolved,
    giaiQuyetDungHan: d.resolvedOnTime,
    dangGiaiQuyetTrongHan: d.pendingOnTime,
    dangGiaiQuyetQuaHan: d.pendingOverdue,
    soHoaThanhPhan: d.digitized,
    coPhiLePhi: d.withFee,
    thanhToanTrucTuyen: d.paidOnline
  };
}

const NAMES: [string, string] = ['tuNgay', 'denNgay'];

export function dossierApi(ctx: SystemContext, overrides: Map<string, DossierOverride>): SystemApi<DossierRow> {
  const error = (status: number, message: string) =>
    jsonAnswer(status, { maLoi: status === 400 ? 'THAM_SO' : status === 401 ? 'XAC_THUC' : 'HE_THONG', thongBao: message });
  const envelope = (rows: DossierRow[], at: Date) => ({ maHeThong: 'MOTCUA', thoiDiem: at.toISOString(), soBanGhi: rows.length, duLieu: rows });
  return {
    system: 'dossier',
    path: DOSSIER_PATH,
    authenticate: (req) => (req.headers['x-api-key'] === ctx.keys.dossier ? null : error(401, 'API key không hợp lệ')),
    error,
    query(url, at) {
      const range = dayRange(url.searchParams, NAMES, at, MAX_RANGE_DAYS);
      if (isProblem(range)) return rangeMessageVi(range, NAMES, MAX_RANGE_DAYS, 'ngày');
      const rows: DossierRow[] = [];
      for (const ngay of daysBetween(range.from, range.last)) {
        for (const u of ctx.register.of(ngay, ['commune', 'department'])) {
          rows.push(dossierRow(u.code, ngay, unitDossiers(ctx.seed, u, ngay, at, overrides.get(`${u.code}|${ngay}`))));
        }
      }
      return { rows, unknownRow: (code) => dossierRow(code, range.last, dossierDay(ctx.seed, code, range.last, at)) };
    },
    render: (rows, at) => jsonAnswer(200, envelope(rows, at)),
    oversize: (rows, at) => ({ ...jsonAnswer(200, null), body: oversizeJson(envelope(rows, at), 'ghiChu', OVERSIZE_BYTES) }),
    truncate: cutInHalf,
    corrupt: {
      wrongTypes: (r) => ({ ...r, tiepNhan: String(r.tiepNhan) }),
      negative: (r) => ({ ...r, dangGiaiQuyetQuaHan: -Math.max(1, r.dangGiaiQuyetQuaHan) }),
      partExceedsWhole: (r) => ({ ...r, tiepNhanTrucTuyen: Number(r.tiepNhan) + 5 })
    }
  };
}
