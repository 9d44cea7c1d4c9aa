/**
 * The police's older e-ID statistics API (v1), still run in some provinces: GET
 * /vneid/api/v1/thong-ke?tu=YYYY-MM-DD&den=YYYY-MM-DD with an API key in `x-vneid-key`, rows as
 * arrays under named columns. Same ground truth as v2 (eid.ts). The seed does not configure it:
 * it is the system an administrator connects by hand (the admin end-to-end test does).
 */
import { daysBetween } from './calendar.ts';
import { eidDay, type EidDay } from './eid.ts';
import { unitEid } from './truth.ts';
import { OVERSIZE_BYTES, cutInHalf } from './faults.ts';
import { dayRange, isProblem, jsonAnswer, oversizeJson, rangeMessageVi, type SystemApi, type SystemContext } from './http.ts';

export const EID_LEGACY_PATH = '/vneid/api/v1/thong-ke';
export const EID_LEGACY_COLUMNS = ['ma_xa', 'ngay', 'du_dieu_kien', 'thu_nhan_muc2', 'kich_hoat'] as const;

export type EidLegacyRow = [string, string, number | string, number, number];

const row = (code: string, date: string, d: EidDay): EidLegacyRow => [code, date, d.eligible, d.level2Collected, d.activated];
const NAMES: [string, string] = ['tu', 'den'];
const MAX_DAYS = 400;

export function eidLegacyApi(ctx: SystemContext): SystemApi<EidLegacyRow> {
  const error = (status: number, message: string) => jsonAnswer(status, { loi: status, thong_diep: message });
  const envelope = (dong: EidLegacyRow[]) => ({ cot: EID_LEGACY_COLUMNS, dong });
  return {
    system: 'eid',
    path: EID_LEGACY_PATH,
    authenticate: (req) => (req.headers['x-vneid-key'] === ctx.keys.eidLegacy ? null : error(401, 'Khóa truy cập không hợp lệ')),
    error,
    query(url, at) {
      const range = dayRange(url.searchParams, NAMES, at, MAX_DAYS);
      if (isProblem(range)) return rangeMessageVi(range, NAMES, MAX_DAYS, 'ngày');
      const rows: EidLegacyRow[] = [];
      for (const date of daysBetween(range.from, range.last)) {
        for (const u of ctx.register.of(date, ['commune'])) rows.push(row(u.code, date, unitEid(ctx.seed, u, date, at)));
      }
      return { rows, unknownRow: (code) => row(code, range.last, eidDay(ctx.seed, code, range.last, at)) };
    },
    render: (rows) => jsonAnswer(200, envelope(rows)),
    oversize: (rows) => ({ ...jsonAnswer(200, null), body: oversizeJson(envelope(rows), 'ghi_chu', OVERSIZE_BYTES) }),
    truncate: cutInHalf,
    corrupt: {
      wrongTypes: (r) => [r[0], r[1], String(r[2]), r[3], r[4]],
      negative: (r) => [r[0], r[1], r[2], r[3], -Math.max(1, r[4])],
      partExceedsWhole: (r) => [r[0], r[1], r[2], Number(r[2]) + 5, r[4]]
    }
  };
}
