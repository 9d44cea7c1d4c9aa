/**
 * The document system's task tracker API (QLVB): GET /qlvb/api/nhiem-vu?tu_ngay&den_ngay,
 * header x-auth-token; the tasks open in or overlapping the range of every unit in force in it
 * (districts, communes, departments), unit by unit in the register's order, each unit's by
 * assignment date.
 *
 * Across a reform (registerTasks): an old unit's tasks are its own until its last day; one still
 * open then is handed over to a unit it went into (drawn by the lineage's shares, task by task), on
 * the new unit's first day, and so are the tasks its ground truth goes on assigning after the reform
 * (it is the new commune's work now). A handed-over task keeps its deadline, or gets the new unit's
 * first day when that had passed; the old unit reports it open (it never completed it).
 */
import { addDaysFast } from './calendar.ts';
import { OVERSIZE_BYTES, cutInHalf } from './faults.ts';
import { dayRange, isProblem, jsonAnswer, oversizeJson, rangeMessageVi, type SystemApi, type SystemContext } from './http.ts';
import { tasksOf, type Task } from './tasks.ts';
import { overlaps, type Register } from './register.ts';
import type { SimUnit } from './http.ts';
import { uniform } from '#server/seed/random';

export const TASK_PATH = '/qlvb/api/nhiem-vu';
export const MAX_TASK_RANGE_DAYS = 400;
/** What the wrong_types fault writes in hanXuLy. */
export const WRONG_TYPE_DEADLINE = 20261120;

/** A task on the wire; hanXuLy is a number only under the wrong_types fault. */
export type TaskRow = Omit<Task, 'hanXuLy'> & { hanXuLy: string | number };

const NAMES: [string, string] = ['tu_ngay', 'den_ngay'];

export function taskApi(ctx: SystemContext): SystemApi<TaskRow> {
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
      const rows: TaskRow[] = registerTasks(ctx.seed, ctx.register, range.from, range.to, at);
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

const later = (a: string, b: string) => (a > b ? a : b);

/** The unit an old unit's task goes to at the reform: one of its successors, drawn by their shares (the same every time). */
function successorFor(seed: string, register: Register, oldCode: string, taskId: string): SimUnit | null {
  const successors = register.successors(oldCode).filter((s) => s.share > 0);
  if (!successors.length) return null;
  let u = uniform(seed, oldCode, taskId, 'successor') * successors.reduce((sum, s) => sum + s.share, 0);
  for (const s of successors) {
    if (u < s.share) return s.unit;
    u -= s.share;
  }
  return successors.at(-1)!.unit;
}

/** Every task of the units in force in [from, to] as the tracker lists them at `now` (see the header). */
export function registerTasks(seed: string, register: Register, from: string, to: string, now: Date): Task[] {
  const units = register.during(from, to, ['district', 'commune', 'department']);
  // The new units' tasks: their predecessors' ground truth from the day the new unit began.
  const inherited = new Map<SimUnit, Task[]>();
  const asked = new Set<string>();
  for (const u of units) {
    for (const p of u.predecessors ?? []) {
      if (asked.has(p.code)) continue;
      asked.add(p.code);
      const firstDay = register.successors(p.code).reduce((d, s) => (s.unit.validFrom && s.unit.validFrom < d ? s.unit.validFrom : d), to);
      for (const t of tasksOf(seed, p.code, later(from, firstDay), to, now, 'commune')) {
        const s = successorFor(seed, register, p.code, t.id);
        if (!s || !overlaps(s, from, to)) continue;
        const start = s.validFrom ?? t.ngayGiao;
        if (t.ngayHoanThanh !== null && t.ngayHoanThanh < start) continue; // done before the new unit began
        if (s.validTo && t.ngayGiao > s.validTo) continue;
        const n = t.id.slice(t.id.lastIndexOf('-') + 1);
        const list = inherited.get(s) ?? [];
        list.push({
          id: `NV-${s.code}-${t.ngayGiao.replaceAll('-', '')}-${p.code}.${n}`,
          donViThucHien: s.code,
          trichYeu: t.trichYeu,
          ngayGiao: later(t.ngayGiao, start),
          hanXuLy: later(t.hanXuLy, start),
          ngayHoanThanh: t.ngayHoanThanh
        });
        inherited.set(s, list);
      }
    }
  }
  const out: Task[] = [];
  for (const u of units) {
    if (u.predecessors?.length) {
      const list = inherited.get(u) ?? [];
      list.sort((a, b) => (a.ngayGiao < b.ngayGiao ? -1 : a.ngayGiao > b.ngayGiao ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const t of list) out.push(t);
      continue;
    }
    const last = u.validTo && u.validTo < to ? u.validTo : to;
    for (const t of tasksOf(seed, u.code, from, last, now, u.level)) {
      if (u.validFrom && t.ngayGiao < u.validFrom) continue; // before the unit existed
      // Still open on its last day: handed over, never completed here.
      out.push(u.validTo && t.ngayHoanThanh !== null && t.ngayHoanThanh > u.validTo ? { ...t, ngayHoanThanh: null } : t);
    }
  }
  return out;
}
