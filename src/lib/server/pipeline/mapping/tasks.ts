/**
 * A task tracker gives tasks, not counts. Each task is checked, then the four task metrics are
 * derived per unit and day (domain.md §4): completions on that day, on time or late (flows), and
 * at the end of that day the tasks still open, within or past their deadline (stocks).
 * Every unit of the source's scope gets its counts, zeros included: the tracker is the system of
 * record, so a unit with no task has none open and none completed.
 */
import type { RejectedRow } from '#db/schema/sources';
import { datesBetween } from '#domain/periods';
import type { RawTask } from '../types.ts';
import { isInvalid } from './helpers.ts';
import { inScope, isIsoDate, OUTSIDE_SCOPE, outsideReason, unitOn, unknownUnitReason, type Lookups, type OutsideScope, type Scope, type StoredRow, type Window } from './validate.ts';

export interface Task {
  id: string;
  unitCode: string;
  assigned: string;
  deadline: string;
  completed: string | null;
}

function checkTask(t: RawTask, lookups: Lookups, window: Window, scope: Scope): string | typeof OUTSIDE_SCOPE | null {
  for (const [field, v] of Object.entries(t)) if (isInvalid(v)) return `${field}: ${v.$invalid}`;
  if ((typeof t.id !== 'string' && typeof t.id !== 'number') || String(t.id).trim() === '') return 'thiếu mã nhiệm vụ';
  if (typeof t.unitCode !== 'string') return `mã đơn vị phải là chữ, nhận được ${JSON.stringify(t.unitCode) ?? 'không có gì'}`;
  if (!lookups.unitIdByCode.has(t.unitCode)) return unknownUnitReason(t.unitCode, lookups);
  if (!isIsoDate(t.assigned)) return `ngày giao ${JSON.stringify(t.assigned)} không phải là một ngày`;
  // The task counts, day by day, for the unit its code names on that day (a reform may pass under an open task).
  const inWindow = t.assigned > window.from ? t.assigned : window.from;
  if (!inScope(t.unitCode, lookups, scope, inWindow) && !inScope(t.unitCode, lookups, scope, window.to)) return OUTSIDE_SCOPE;
  if (!isIsoDate(t.deadline)) return `hạn ${JSON.stringify(t.deadline)} không phải là một ngày`;
  if (t.deadline < t.assigned) return `hạn ${t.deadline} trước ngày giao nhiệm vụ (${t.assigned})`;
  if (t.completed !== null && t.completed !== undefined) {
    if (!isIsoDate(t.completed)) return `ngày hoàn thành ${JSON.stringify(t.completed)} không phải là một ngày`;
    if (t.completed < t.assigned) return `hoàn thành ${t.completed}, trước ngày giao (${t.assigned})`;
    if (t.completed > window.to) return `hoàn thành ${t.completed}, sau ngày cuối của khoảng đã yêu cầu (${window.to})`;
  }
  if (t.assigned > window.to) return `giao ${t.assigned}, sau ngày cuối của khoảng đã yêu cầu (${window.to})`;
  return null;
}

export function validateTasks(
  raw: RawTask[],
  lookups: Lookups,
  window: Window,
  scope?: Scope,
  outside: OutsideScope = 'reject'
): { tasks: Task[]; rejected: RejectedRow[]; skipped: number } {
  const rejected: RejectedRow[] = [];
  const byId = new Map<string, { task: Task; row: number }>();
  const conflicted = new Set<string>();
  let skipped = 0;
  for (const t of raw) {
    const check = checkTask(t, lookups, window, scope);
    if (check === OUTSIDE_SCOPE && outside === 'skip') {
      skipped++;
      continue;
    }
    const reason = check === OUTSIDE_SCOPE ? outsideReason(t.unitCode as string) : check;
    if (reason) {
      rejected.push({ index: t.row, reason: `nhiệm vụ ${isInvalid(t.id) ? '?' : String(t.id ?? '?')}: ${reason}` });
      continue;
    }
    const task: Task = { id: String(t.id), unitCode: t.unitCode as string, assigned: t.assigned as string, deadline: t.deadline as string, completed: (t.completed as string | null) ?? null };
    const earlier = byId.get(task.id);
    if (!earlier) byId.set(task.id, { task, row: t.row });
    else if (JSON.stringify(earlier.task) === JSON.stringify(task)) rejected.push({ index: t.row, reason: `nhiệm vụ ${task.id}: trùng với dòng ${earlier.row}, bỏ qua` });
    else {
      conflicted.add(task.id);
      rejected.push({ index: t.row, reason: `nhiệm vụ ${task.id}: mâu thuẫn với dòng ${earlier.row} (cùng mã, nội dung khác)` });
    }
  }
  const tasks: Task[] = [];
  for (const [id, { task, row }] of byId) {
    if (conflicted.has(id)) rejected.push({ index: row, reason: `nhiệm vụ ${id}: mâu thuẫn với một dòng sau (cùng mã, nội dung khác)` });
    else tasks.push(task);
  }
  rejected.sort((a, b) => a.index - b.index);
  return { tasks, rejected, skipped };
}

/** The four task metrics per unit (all of `unitIds`, and those of the tasks) and day of the window. */
export function deriveTaskRows(tasks: Task[], unitIds: Iterable<number>, lookups: Lookups, window: Window): StoredRow[] {
  const days = datesBetween(window.from, window.to);
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const counts = new Map<number, Int32Array>(); // unit id → [onTime, late, openInTime, openOverdue] × days
  const countsOf = (unit: number) => {
    let c = counts.get(unit);
    if (!c) counts.set(unit, (c = new Int32Array(days.length * 4)));
    return c;
  };
  for (const id of unitIds) countsOf(id);
  for (const t of tasks) {
    // The unit the task's code names on each day (a code is reused across a reform).
    const at = (d: string) => {
      const id = unitOn(lookups, t.unitCode, d);
      return id === undefined ? undefined : countsOf(id);
    };
    if (t.completed !== null) {
      const i = dayIndex.get(t.completed);
      const c = at(t.completed);
      if (i !== undefined && c) c[i * 4 + (t.completed <= t.deadline ? 0 : 1)]! += 1;
    }
    // Open at the end of day d: assigned on or before d, not completed by d.
    days.forEach((d, i) => {
      if (t.assigned <= d && (t.completed === null || t.completed > d)) {
        const c = at(d);
        if (c) c[i * 4 + (d <= t.deadline ? 2 : 3)]! += 1;
      }
    });
  }
  const metricIds = ['task.completed_on_time', 'task.completed_late', 'task.open_in_time', 'task.open_overdue'].map((k) => {
    const info = lookups.metrics.get(k);
    if (!info) throw new Error(`chỉ tiêu ${k} không có trong danh mục: hãy chạy seed`);
    return info.id;
  });
  const rows: StoredRow[] = [];
  for (const [unitId, c] of counts) {
    days.forEach((day, i) => {
      // Only on the days the unit is in force (no zeros for an old commune after the reform, nor a new one before).
      if (lookups.inForce && !lookups.inForce(unitId, day)) return;
      for (let k = 0; k < 4; k++) rows.push({ unitId, metricId: metricIds[k]!, day, value: c[i * 4 + k]! });
    });
  }
  return rows;
}
