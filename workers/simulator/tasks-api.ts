/**
 * The document system's task tracker API (QLVB): GET /qlvb/api/nhiem-vu?tu_ngay&den_ngay,
 * header x-auth-token; every district's and commune's tasks open in or overlapping the range,
 * unit by unit in the register's order, each unit's by assignment date.
 */
import { addDaysFast } from './calendar.ts';
import { OVERSIZE_BYTES, cutInHalf } from './faults.ts';
import { dayRange, isProblem, jsonAnswer, oversizeJson, rangeMessageVi, type SystemApi, type SystemContext } from './http.ts';
import { tasksOf, type Task } from './tasks.ts';

export const TASK_PATH = '/qlvb/api/nhiem-vu';
export const MAX_TASK_RANGE_DAYS = 400;
/** What the wrong_types fault writes in hanXuLy. */
export const WRONG_TYPE_DEADLINE = 20261120;

/** A task on the wire; hanXuLy is a number only under the wrong_types fault. */
export type TaskRow = Omit<Task, 'hanXuLy'> & { hanXuLy: string | number };

const NAMES: [string, string] = ['tu_ngay', 'den_ngay'];

export function taskApi(ctx: SystemContext): SystemApi<TaskRow> {
  const units = ctx.units.map((u) => u.code);
  const error = (status: number, message: string) =>
    jsonAnswer(status, {
      loi: { ma: status === 400 ? 'THAM_SO_KHONG_HOP_LE' : status === 401 ? 'TOKEN_KHONG_HOP_LE' : 'LOI_HE_THONG', noiDung: message }
    });
  const envelope = (rows: TaskRow[]) => ({ tongSo: rows.length, nhiemVu: rows });
  return {
    system: 'task',
    path: TASK_PATH,
    authenticate: (req) => (req.headers['x-auth-token'] === ctx.keys.task ? null : error(401, 'Token xác thực không hợp lệ')),
    error,
    query(url, at) {
      const range = dayRange(url.searchParams, NAMES, at, MAX_TASK_RANGE_DAYS);
      if (isProblem(range)) return rangeMessageVi(range, NAMES, MAX_TASK_RANGE_DAYS, 'ngày');
      const rows: TaskRow[] = units.flatMap((code) => tasksOf(ctx.seed, code, range.from, range.to, at));
      return {
        rows,
        unknownRow: (code) => ({
          id: `NV-${code}-${range.last.replaceAll('-', '')}-1`,
          donViThucHien: code,
          trichYeu: 'Báo cáo kết quả thực hiện nhiệm vụ được giao',
          ngayGiao: range.last,
          hanXuLy: addDaysFast(range.last, 20),
          ngayHoanThanh: null
        })
      };
    },
    render: (rows) => jsonAnswer(200, envelope(rows)),
    oversize: (rows) => ({ ...jsonAnswer(200, null), body: oversizeJson(envelope(rows), 'ghiChu', OVERSIZE_BYTES) }),
    truncate: cutInHalf,
    corrupt: {
      // The literal number of the contract, the same in every bad row (a date typed as YYYYMMDD).
      wrongTypes: (r) => ({ ...r, hanXuLy: WRONG_TYPE_DEADLINE }),
      negative: (r) => ({ ...r, ngayHoanThanh: addDaysFast(r.ngayGiao, -10) }),
      partExceedsWhole: (r) => ({ ...r, hanXuLy: addDaysFast(r.ngayGiao, -5) })
    }
  };
}
