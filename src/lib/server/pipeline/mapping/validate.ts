/**
 * The checks every row passes before it is stored, whatever the source: a known unit, a real date
 * inside the poll's window, a known metric, a count that is a non-negative whole number, a part
 * no larger than its whole, no duplicates. A bad row is rejected whole, with its reason in words;
 * the good rows are kept.
 */
import { DateTime } from 'luxon';
import type { RejectedRow } from '#db/schema/sources';
import type { RawRecord } from '../types.ts';
import { isInvalid } from './helpers.ts';
import { PERIOD_KIND_WORDS, periodWords } from '../periods.ts';

export interface MetricInfo {
  id: number;
  unit: string;
  partOf: string | null;
  /** A value of a period (month, quarter, year), accepted only from a periodic source (absent: false). */
  periodic?: boolean;
}

export interface Lookups {
  /** The source's unit codes (in its code system) → unit ids: the unit in force today, else the code's newest holder. */
  unitIdByCode: Map<string, number>;
  /**
   * The unit a code names on a day: a code is reused across a reform (10114 was Thị trấn Kim Bài until
   * 30/06/2025 and is Xã Thanh Oai since), so a row's unit is found by its code AND its date. Absent
   * (lookups built by hand in unit tests): every code names its unitIdByCode unit on every day.
   */
  unitIdOn?(code: string, day: string): number | undefined;
  /** Whether a unit is in force on a day (absent: always). */
  inForce?(unitId: number, day: string): boolean;
  /** The code system of unitIdByCode: 'gso' (the register's codes) or a key of units.external_codes; named when a code is unknown. */
  codeSystem?: string;
  metrics: Map<string, MetricInfo>;
}

/** The units (ids) a source may report on (its scope and its descendants); undefined = any unit. */
export type Scope = ReadonlySet<number> | undefined;

/** Why a unit code is not matched, naming the code system tried: "không có đơn vị mã H44.999 trong hệ mã portal". */
export function unknownUnitReason(code: string, lookups: Pick<Lookups, 'codeSystem'>): string {
  return `không có đơn vị mã ${code} trong hệ mã ${lookups.codeSystem ?? 'gso'}`;
}

/** The unit of a code on a day (see Lookups.unitIdOn). */
export function unitOn(lookups: Lookups, code: string, day: string): number | undefined {
  return lookups.unitIdOn ? lookups.unitIdOn(code, day) : lookups.unitIdByCode.get(code);
}

/** Why a known code names no unit on a day: "đơn vị mã 10117 không có hiệu lực ngày 2025-07-03 (hệ mã gso)". */
export function notInForceReason(code: string, day: string, lookups: Pick<Lookups, 'codeSystem'>): string {
  return `đơn vị mã ${code} không có hiệu lực ngày ${day} (hệ mã ${lookups.codeSystem ?? 'gso'}): mã đã ngừng dùng hoặc chưa có vào ngày đó`;
}

/** Whether the unit of a (known) code is inside the scope; `day`: the unit of the code that day. */
export { outsideReason };
export function inScope(code: string, lookups: Lookups, scope: Scope, day?: string): boolean {
  return !scope || scope.has((day === undefined ? lookups.unitIdByCode.get(code) : unitOn(lookups, code, day))!);
}

export interface Window {
  from: string;
  to: string;
  /**
   * Set when the window is one period of a periodic source (pipeline/periods.ts): from / to are its
   * first / last day, and every row of it is that period's value.
   */
  period?: { kind: 'month' | 'quarter' | 'year'; start: string; end: string };
}

export interface StoredRow {
  unitId: number;
  metricId: number;
  day: string;
  value: number;
}

export function isIsoDate(x: unknown): x is string {
  return typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x) && DateTime.fromISO(x).isValid;
}

/**
 * The unit of a code for a period's value: the unit in force on the period's last day, else on its
 * first (a year of 2025 is the new commune's, whose map began on 01/07/2025).
 */
function unitOfPeriod(lookups: Lookups, code: string, period: NonNullable<Window['period']>): number | undefined {
  return unitOn(lookups, code, period.end) ?? unitOn(lookups, code, period.start);
}

const show = (x: unknown) => (typeof x === 'string' ? `"${x.length > 40 ? `${x.slice(0, 40)}…` : x}"` : JSON.stringify(x) ?? 'không có gì');

/**
 * A row of a known unit outside the source's scope: skipped and counted when a polled system answers
 * for more units than the source takes (a province's system connected for one district), rejected
 * with its reason when it is an upload (the sender filled a unit that is not theirs).
 */
export type OutsideScope = 'skip' | 'reject';
export const OUTSIDE_SCOPE = Symbol('outside scope');
const outsideReason = (code: string) => `đơn vị ${code} nằm ngoài phạm vi của nguồn này`;

/** The first problem of a record, or null. */
function checkRecord(r: RawRecord, lookups: Lookups, window: Window, scope: Scope): string | typeof OUTSIDE_SCOPE | null {
  // A value a helper ($number, $date, …) could not read: its reason, with the value quoted.
  if (isInvalid(r.unitCode)) return `mã đơn vị: ${r.unitCode.$invalid}`;
  if (isInvalid(r.date)) return r.date.$invalid;
  for (const [metric, v] of Object.entries(r.values)) if (isInvalid(v)) return `${metric}: ${v.$invalid}`;
  if (typeof r.unitCode !== 'string' || r.unitCode.trim() === '') return `mã đơn vị phải là chữ, nhận được ${show(r.unitCode)}`;
  if (!lookups.unitIdByCode.has(r.unitCode)) return unknownUnitReason(r.unitCode, lookups);
  const period = window.period;
  if (period) {
    // A period's value: its date may be left out (the period's first day); one given must lie in the period.
    if (r.date !== undefined && r.date !== null && r.date !== '') {
      if (!isIsoDate(r.date)) return `ngày ${show(r.date)} không phải là một ngày`;
      if (r.date < period.start || r.date > period.end) return `ngày ${r.date} nằm ngoài kỳ ${periodWords(period)} (${period.start} – ${period.end}) của yêu cầu`;
    }
    const unitId = unitOfPeriod(lookups, r.unitCode, period);
    if (unitId === undefined) return `đơn vị mã ${r.unitCode} không có hiệu lực trong kỳ ${periodWords(period)} (hệ mã ${lookups.codeSystem ?? 'gso'})`;
    if (scope && !scope.has(unitId)) return OUTSIDE_SCOPE;
  } else {
    if (!isIsoDate(r.date)) return `ngày ${show(r.date)} không phải là một ngày`;
    if (unitOn(lookups, r.unitCode, r.date) === undefined) return notInForceReason(r.unitCode, r.date, lookups);
    if (!inScope(r.unitCode, lookups, scope, r.date)) return OUTSIDE_SCOPE;
    if (r.date < window.from || r.date > window.to) return `ngày ${r.date} nằm ngoài khoảng đã yêu cầu ${window.from} – ${window.to}`;
  }
  const entries = Object.entries(r.values);
  if (!entries.length) return 'dòng không có giá trị nào';
  for (const [metric, v] of entries) {
    const info = lookups.metrics.get(metric);
    if (!info) return `không có chỉ tiêu ${metric} (kiểm tra phép ánh xạ của nguồn)`;
    // A period's value and a day's never mix: each goes to its own store, read by its own boards.
    if (period && !info.periodic) {
      return `chỉ tiêu ${metric} là số liệu theo ngày: nguồn công bố theo kỳ (${PERIOD_KIND_WORDS[period.kind]}) không được gửi chỉ tiêu này`;
    }
    if (!period && info.periodic) {
      return `chỉ tiêu ${metric} là số liệu theo kỳ (tháng, quý, năm): chỉ nhận từ nguồn có kỳ công bố, nguồn này lấy số liệu theo ngày`;
    }
    if (v === undefined || v === null || v === '') return `${metric}: thiếu giá trị`;
    if (typeof v !== 'number' || !Number.isFinite(v)) return `${metric} phải là một số, nhận được ${show(v)}`;
    if (v < 0) return `${metric} không được âm (${v})`;
    if (info.unit === 'count' && !Number.isInteger(v)) return `${metric} phải là số nguyên (${v})`;
  }
  for (const [metric, v] of entries) {
    const whole = lookups.metrics.get(metric)!.partOf;
    if (whole && typeof r.values[whole] === 'number' && (v as number) > (r.values[whole] as number)) {
      return `${metric} (${v}) lớn hơn ${whole} (${r.values[whole]})`;
    }
  }
  return null;
}

function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

export function validateRecords(
  records: RawRecord[],
  lookups: Lookups,
  window: Window,
  scope?: Scope,
  outside: OutsideScope = 'reject'
): { rows: StoredRow[]; rejected: RejectedRow[]; skipped: number } {
  const rejected: RejectedRow[] = [];
  const period = window.period;
  const where = (r: RawRecord) =>
    typeof r.unitCode !== 'string' ? '' : period ? ` (đơn vị ${r.unitCode})` : typeof r.date === 'string' ? ` (đơn vị ${r.unitCode}, ${r.date})` : '';
  const good: RawRecord[] = [];
  let skipped = 0;
  for (const r of records) {
    const reason = checkRecord(r, lookups, window, scope);
    // A period's value belongs to the period, whatever day of it the source named.
    if (!reason && period) r.date = period.start;
    if (reason === OUTSIDE_SCOPE) {
      if (outside === 'skip') skipped++;
      else rejected.push({ index: r.row, reason: outsideReason(r.unitCode as string) + where(r) });
    } else if (reason) rejected.push({ index: r.row, reason: reason + where(r) });
    else good.push(r);
  }
  // Duplicates: an identical repeat is dropped; two rows that disagree are both refused (which one is true?).
  const first = new Map<string, RawRecord>();
  const conflicted = new Set<RawRecord>();
  const kept: RawRecord[] = [];
  for (const r of good) {
    const key = `${r.unitCode}|${r.date}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, r);
      kept.push(r);
    } else if (sameValues(earlier.values, r.values)) {
      rejected.push({ index: r.row, reason: `trùng với dòng ${earlier.row}, bỏ qua${where(r)}` });
    } else {
      conflicted.add(earlier);
      rejected.push({ index: r.row, reason: `mâu thuẫn với dòng ${earlier.row}: hai dòng khác nhau cho cùng đơn vị và ${period ? 'kỳ' : 'ngày'}${where(r)}` });
    }
  }
  const rows: StoredRow[] = [];
  for (const r of kept) {
    if (conflicted.has(r)) {
      rejected.push({ index: r.row, reason: `mâu thuẫn với một dòng sau cho cùng đơn vị và ${period ? 'kỳ' : 'ngày'}${where(r)}` });
      continue;
    }
    const unitId = (period ? unitOfPeriod(lookups, r.unitCode as string, period) : unitOn(lookups, r.unitCode as string, r.date as string))!;
    for (const [metric, value] of Object.entries(r.values)) {
      rows.push({ unitId, metricId: lookups.metrics.get(metric)!.id, day: r.date as string, value: value as number });
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  return { rows, rejected, skipped };
}
