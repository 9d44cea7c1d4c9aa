/**
 * The task tracker of the city's document system (iDesk / iOffice style): tasks the city assigns
 * to each district and commune, with a deadline and, once done, a completion date.
 * Magnitudes from domain.md (Report 1270/BC-TCTTTg, 2017): of completed tasks 87.6 % on time;
 * completed / (completed + open overdue) = 98.6 %. Here: ≈ 87.6 % on time, ≈ 11 % late by
 * 1–29 days, ≈ 1.4 % very late (30–150 days), with per-unit levels that follow the district's
 * management level (management.ts: ~95 % on time in a well-run district, ~75 % in a badly run one,
 * whose late tasks also run later) and a slow drift so that units rank differently from one
 * period to the next.
 *
 * Every task is a pure function of (seed, unit, assigned date, index); what a query sees is that
 * truth observed at `now`: a task assigned later does not exist yet, a later completion is null.
 */
import { today } from '#domain/periods';
import { dateOfDay, dayNumber, weekdayOf } from './calendar.ts';
import { dayWeight, workdayProgress } from './dossiers.ts';
import { managementLevel, managementLevelOn, shifted } from './management.ts';
import { between, normal, uniform } from '#server/seed/random';

/** A task as the tracker's API writes it. */
export interface Task {
  /** NV-<unit>-<YYYYMMDD assigned>-<n-th task of that unit that day>. */
  id: string;
  donViThucHien: string;
  trichYeu: string;
  ngayGiao: string;
  hanXuLy: string;
  ngayHoanThanh: string | null;
}

/** The longest a task lives: a 45-day deadline (+1 off a Sunday) and 150 days late (+1 off a Sunday). */
export const MAX_TASK_DAYS = 45 + 1 + 150 + 1;

interface TaskProfile {
  /** New tasks per working day. */
  rate: number;
  /** The unit's own deviation from its district's on-time share, in logit units. */
  onTimeOwn: number;
  /** Of the tasks not done on time, the share done very late (30–150 days). */
  veryLate: number;
  driftDays: number;
  driftPhase: number;
}

/**
 * GSO codes: districts have 3 digits, communes 5. The tracker's signature has no level, and the
 * code is what the city's document system itself keys units by.
 */
export function isDistrictCode(unitCode: string): boolean {
  return unitCode.length <= 3;
}

/** A typical district's on-time share (management level 0) and how far one level moves it (logit units). */
const TASK_ON_TIME = { typical: 0.89, sensitivity: 0.5 };

const profiles = new Map<string, TaskProfile>();
/**
 * New tasks per working day, by the unit's level: a district about one, a commune a quarter, a city
 * department (sở, ban, ngành), which the city's leaders assign most of their tasks to, about one and a half.
 */
export const TASK_RATE = { district: 1, commune: 0.25, department: 1.5 } as const;
export type TaskLevel = keyof typeof TASK_RATE;

function profile(seed: string, unitCode: string, level: TaskLevel): TaskProfile {
  const key = `${seed}|${unitCode}|${level}`;
  let p = profiles.get(key);
  if (!p) {
    const base = TASK_RATE[level];
    p = {
      rate: base * between(0.75, 1.25, seed, unitCode, 'task-rate'),
      onTimeOwn: 0.3 * normal(seed, unitCode, 'task-ontime'),
      // mean ≈ 0.115 (1.4 % of all); a badly run district's late tasks more often run very late
      veryLate: Math.min(0.35, between(0.05, 0.17, seed, unitCode, 'task-very-late') * Math.exp(-0.3 * managementLevel(seed, unitCode))),
      driftDays: between(120, 360, seed, unitCode, 'task-drift-days'),
      driftPhase: uniform(seed, unitCode, 'task-drift-phase')
    };
    profiles.set(key, p);
  }
  return p;
}

/** Tasks assigned on one day: Poisson with mean `mean`, by inverting its CDF at u. */
function poisson(mean: number, u: number): number {
  let k = 0;
  let term = Math.exp(-mean);
  let cdf = term;
  while (u > cdf && k < 20) {
    k++;
    term *= mean / k;
    cdf += term;
  }
  return k;
}

// Short, as the tracker's list shows them (a 400-day answer for every unit stays well under 10 MB).
const SUBJECTS = [
  'Báo cáo kết quả Đề án 06 tháng {m}',
  'Báo cáo kinh tế - xã hội tháng {m}',
  'Rà soát dữ liệu dân cư',
  'Chi trả an sinh không dùng tiền mặt',
  'Xử lý hồ sơ TTHC quá hạn',
  'Số hóa kết quả giải quyết TTHC',
  'Xử lý vi phạm trật tự xây dựng',
  'Trả lời kiến nghị cử tri',
  'Phương án phòng, chống thiên tai',
  'Rà soát hộ nghèo năm {y}',
  'Tổng kết chuyển đổi số năm {y}',
  'Vệ sinh môi trường khu dân cư',
  'Kiểm tra an toàn thực phẩm',
  'Cập nhật cơ sở dữ liệu đất đai'
] as const;

function subject(u: number, date: string): string {
  const text = SUBJECTS[Math.floor(u * SUBJECTS.length)]!;
  return text.replace('{m}', `${date.slice(5, 7)}/${date.slice(0, 4)}`).replace('{y}', date.slice(0, 4));
}

interface TrueTask {
  id: string;
  subject: string;
  assigned: number;
  deadline: number;
  completed: number;
  /** Fraction of the working day at which it is assigned, and at which it is marked done. */
  assignedAt: number;
  completedAt: number;
}

const isSunday = (day: number) => weekdayOf(day) === 7;

/** The i-th task (1-based) assigned to a unit on a day: independent of `now`. */
function trueTask(seed: string, unitCode: string, p: TaskProfile, day: number, date: string, i: number): TrueTask {
  const key = [seed, unitCode, date, i] as const;
  let deadline = day + 5 + Math.floor(41 * uniform(...key, 'han'));
  if (isSunday(deadline)) deadline++;
  const typical = shifted(TASK_ON_TIME.typical, managementLevelOn(seed, unitCode, day), TASK_ON_TIME.sensitivity, p.onTimeOwn);
  const onTime = Math.min(0.99, Math.max(0.55, typical + 0.04 * Math.sin(2 * Math.PI * (day / p.driftDays + p.driftPhase))));
  const outcome = uniform(...key, 'kq');
  const spread = uniform(...key, 'ht');
  let completed: number;
  if (outcome < onTime) {
    // On time, more often near the deadline than on the first day.
    completed = day + Math.floor(Math.sqrt(spread) * (deadline - day + 1));
    if (isSunday(completed)) completed--; // Saturday, still ≥ the assignment day (never a Sunday)
  } else {
    const veryLate = outcome >= onTime + (1 - onTime) * (1 - p.veryLate);
    completed = veryLate ? deadline + 30 + Math.floor(121 * spread) : deadline + 1 + Math.floor(29 * spread);
    if (isSunday(completed)) completed++;
  }
  return {
    id: `NV-${unitCode}-${date.replaceAll('-', '')}-${i}`,
    subject: subject(uniform(...key, 'ty'), date),
    assigned: day,
    deadline,
    completed,
    assignedAt: uniform(...key, 'gio-giao'),
    completedAt: uniform(...key, 'gio-xong')
  };
}

/**
 * The unit's tasks that a query for [from, to] returns at `now`: assigned on or before `to`
 * (and before now), and not completed before `from`; ordered by assignment date and index.
 * The unit's level, unless given, comes from its code (see isDistrictCode).
 */
export function tasksOf(seed: string, unitCode: string, from: string, to: string, now: Date, level?: TaskLevel): Task[] {
  const p = profile(seed, unitCode, level ?? (isDistrictCode(unitCode) ? 'district' : 'commune'));
  const todayDate = today(now);
  const todayDay = dayNumber(todayDate);
  const progress = workdayProgress(todayDate, now);
  const fromDay = dayNumber(from);
  const lastDay = Math.min(dayNumber(to), todayDay);
  const out: Task[] = [];
  // A task completed on or after `from` may have been assigned up to MAX_TASK_DAYS earlier.
  for (let day = fromDay - MAX_TASK_DAYS; day <= lastDay; day++) {
    const date = dateOfDay(day);
    const weight = dayWeight(date);
    if (weight === 0) continue;
    const count = poisson(p.rate * weight, uniform(seed, unitCode, date, 'so-nv'));
    for (let i = 1; i <= count; i++) {
      const t = trueTask(seed, unitCode, p, day, date, i);
      if (day === todayDay && progress < t.assignedAt) continue; // not assigned yet
      const done =
        t.completed < todayDay || (t.completed === todayDay && progress >= Math.max(t.completedAt, day === todayDay ? t.assignedAt : 0));
      if (done && t.completed < fromDay) continue;
      out.push({
        id: t.id,
        donViThucHien: unitCode,
        trichYeu: t.subject,
        ngayGiao: date,
        hanXuLy: dateOfDay(t.deadline),
        ngayHoanThanh: done ? dateOfDay(t.completed) : null
      });
    }
  }
  return out;
}
