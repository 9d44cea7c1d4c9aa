/**
 * The one-stop-shop dossier system of the demo city: per commune and day, dossiers received,
 * received online, resolved, resolved on time, still pending (on time or overdue), digitized,
 * with a fee, and paid online.
 * Magnitudes from domain.md: a commune handles 340–2,971 dossiers a month (typical 500–1,500),
 * on time 67–94 % (Phú Thọ's communes), Hà Nội ~74 % on time, ~83 % online, 54 % paid online.
 * The rates follow the district's management level (management.ts): a well-run district's
 * communes are on time ~90 %, a badly run one's ~50 %. Nothing on Sundays or at night; counts
 * grow through the working day; the same seed and date always give the same numbers.
 */
import { DateTime } from 'luxon';
import { ZONE } from '#domain/periods';
import { dayNumber, weekdayOf } from './calendar.ts';
import { managementLevel, managementLevelOn, shifted } from './management.ts';
import { between, normal, uniform } from '#server/seed/random';

export interface DossierDay {
  received: number;
  receivedOnline: number;
  resolved: number;
  resolvedOnTime: number;
  pendingOnTime: number;
  pendingOverdue: number;
  /** Dossiers with digitized components (soHoaThanhPhan), ≤ received. */
  digitized: number;
  /** Dossiers of procedures with a fee or charge (coPhiLePhi), ≤ received. */
  withFee: number;
  /** Of those with a fee, paid online (thanhToanTrucTuyen), ≤ withFee. */
  paidOnline: number;
}

/** A manual adjustment (the simulator's control endpoint): a correction at the source. */
export interface DossierOverride {
  unitCode: string;
  date: string;
  /** Added to received (and pending overdue, unless onTimeRate says otherwise). */
  receivedDelta?: number;
  /** Forces the day's on-time share of resolved and pending dossiers. */
  onTimeRate?: number;
}

interface Profile {
  monthlyReceived: number;
  /** The commune's own deviation from its district, in logit units, of the on-time share. */
  onTimeOwn: number;
  online: number;
  resolvedShare: number;
  driftDays: number;
  driftPhase: number;
  digitized: number;
  withFee: number;
  paidOnline: number;
}

/**
 * A typical district's rates (management level 0) and how far one level moves them (logit units).
 * Online, digitised and paid online are at the start of 2026, before their yearly growth. City-wide,
 * for the demo seed: ~74 % on time, ~84 % online, ~55 % paid online (Hà Nội: 74, 83, 54 %).
 */
const ON_TIME = { typical: 0.74, sensitivity: 0.6 };
const ONLINE = { typical: 0.81, sensitivity: 0.5 };
const DIGITIZED = { typical: 0.6, sensitivity: 0.65 };
const PAID_ONLINE = { typical: 0.52, sensitivity: 0.65 };
/** A commune's own deviation from its district's profile, in logit units (its district's level moves it ~0.6 a step). */
const COMMUNE_SD = 0.3;

/** How many dossiers a unit receives a month: log-normal around `median`, clamped to [min, max]. */
export interface DossierSize {
  median: number;
  /** The spread, in natural-log units. */
  sd: number;
  min: number;
  max: number;
  /** The first month (YYYY-MM) it receives dossiers; none before (a unit whose procedures came late). */
  firstMonth?: string;
}

/** A commune: around 900 a month, within the observed 340–2,971 (domain.md). */
export const COMMUNE_SIZE: DossierSize = { median: 900, sd: 0.45, min: 340, max: 2971 };

/**
 * A city's departments (domain.md: Hà Nội received ~115,000 dossiers a month in 2026, most of them
 * at the communes): a sở from a few dozen (Sở Dân tộc và Tôn giáo) to tens of thousands a month
 * (Sở Xây dựng's driving licences), around 1,500; a ban a few hundred, from 08/2025: the high-tech
 * and industrial zones board took its procedures over a month after the reform and received nothing
 * in 07/2025 (idleMonth: the portal's zero-denominator case of a unit with 0 received, in the past,
 * so no board of today depends on it); a ngành's city office (police, social insurance, tax) around 9,000.
 */
export const DEPARTMENT_SIZE: Record<string, DossierSize> = {
  Sở: { median: 1500, sd: 1, min: 40, max: 25_000 },
  Ban: { median: 300, sd: 0.5, min: 40, max: 2_000, firstMonth: '2025-08' },
  Ngành: { median: 9000, sd: 0.6, min: 2_000, max: 60_000 }
};

export function departmentSize(type: string | undefined): DossierSize {
  return DEPARTMENT_SIZE[type ?? ''] ?? DEPARTMENT_SIZE.Sở!;
}

/** Whether a unit of this size receives nothing in `month` (YYYY-MM): before its first month. */
export function idleMonth(month: string, size: DossierSize): boolean {
  return size.firstMonth !== undefined && month < size.firstMonth;
}

const profiles = new Map<string, Profile>();
function profile(seed: string, unitCode: string, size: DossierSize): Profile {
  const key = `${seed}|${unitCode}`;
  let p = profiles.get(key);
  if (!p) {
    // log-normal around the median, clamped
    const monthly = Math.min(size.max, Math.max(size.min, Math.round(size.median * Math.exp(size.sd * normal(seed, unitCode, 'size')))));
    const level = managementLevel(seed, unitCode);
    const own = (name: string) => COMMUNE_SD * normal(seed, unitCode, name);
    p = {
      monthlyReceived: monthly,
      onTimeOwn: own('ontime'), // the district's level on the day is added in dossierDay (it drifts)
      online: shifted(ONLINE.typical, level, ONLINE.sensitivity, own('online')),
      resolvedShare: between(0.72, 0.9, seed, unitCode, 'resolved'),
      driftDays: between(60, 240, seed, unitCode, 'drift-days'),
      driftPhase: uniform(seed, unitCode, 'drift-phase'),
      digitized: shifted(DIGITIZED.typical, level, DIGITIZED.sensitivity, own('digitized')),
      withFee: between(0.27, 0.43, seed, unitCode, 'with-fee'),
      paidOnline: shifted(PAID_ONLINE.typical, level, PAID_ONLINE.sensitivity, own('paid-online'))
    };
    profiles.set(key, p);
  }
  return p;
}

const HOLIDAYS = new Set(['01-01', '04-30', '05-01', '09-02', '09-01']);

/** Share of a full day's work an office does on that date (0 on Sundays and public holidays). */
export function dayWeight(date: string): number {
  if (HOLIDAYS.has(date.slice(5))) return 0;
  const weekday = weekdayOf(dayNumber(date)); // plain arithmetic: the task tracker calls this ~10^5 times a query
  if (weekday === 7) return 0; // Sunday
  if (weekday === 6) return 0.35; // Saturday morning service
  return 1;
}

/**
 * Fraction of the day's dossiers already counted at `now` (ICT): offices work 7:30–11:30 and
 * 13:30–17:00. 0 before opening, 1 after closing and for any past day.
 */
export function workdayProgress(date: string, now: Date): number {
  const local = DateTime.fromJSDate(now, { zone: ZONE });
  const today = local.toISODate()!;
  if (date < today) return 1;
  if (date > today) return 0;
  const minutes = local.hour * 60 + local.minute + local.second / 60;
  const morning = [7.5 * 60, 11.5 * 60] as const;
  const afternoon = [13.5 * 60, 17 * 60] as const;
  const total = morning[1] - morning[0] + (afternoon[1] - afternoon[0]);
  const done =
    Math.min(Math.max(minutes - morning[0], 0), morning[1] - morning[0]) +
    Math.min(Math.max(minutes - afternoon[0], 0), afternoon[1] - afternoon[0]);
  return done / total;
}

/** The counts of one commune (or, with its size, a department) on one date, as observed at `now`. */
export function dossierDay(seed: string, unitCode: string, date: string, now: Date, override?: DossierOverride, size: DossierSize = COMMUNE_SIZE): DossierDay {
  const p = profile(seed, unitCode, size);
  const weight = dayWeight(date);
  // Online submission grows over the years (about 4 points a year), with a slow wobble per commune.
  // Day numbers, not DateTime.fromISO(date): that would read the date in the machine's zone.
  const days = dayNumber(date);
  const yearsFrom2026 = (days - dayNumber('2026-01-01')) / 365.25;
  const dailyMean = (p.monthlyReceived / 23.5) * weight;
  const fullDay = idleMonth(date.slice(0, 7), size) ? 0 : Math.max(0, Math.round(dailyMean * (1 + 0.28 * normal(seed, unitCode, date, 'rx'))));
  const progress = workdayProgress(date, now);
  const received = Math.floor(fullDay * progress) + Math.max(0, override?.receivedDelta ?? 0);

  const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
  const onlineRate = clamp01(p.online + 0.04 * yearsFrom2026 + 0.05 * normal(seed, unitCode, date, 'on'));
  // Performance drifts over months, the district's (a new head of the one-stop shop) and the
  // commune's own (a backlog), so ranks move between periods; never below 35 %, even in the
  // worst-run commune of the worst-run district.
  const typicalOnTime = Math.max(0.35, shifted(ON_TIME.typical, managementLevelOn(seed, unitCode, days), ON_TIME.sensitivity, p.onTimeOwn));
  const drift = 0.05 * Math.sin(2 * Math.PI * (days / p.driftDays + p.driftPhase));
  const onTimeRate = override?.onTimeRate ?? clamp01(typicalOnTime + drift + 0.06 * normal(seed, unitCode, date, 'ot'));
  const resolvedRate = clamp01(p.resolvedShare + 0.05 * normal(seed, unitCode, date, 'rs'));
  // Dossiers still pending are younger, so a little more often within their deadline than the resolved ones.
  const pendingOnTimeShare = override?.onTimeRate ?? clamp01(onTimeRate + 0.05 + 0.3 * (uniform(seed, unitCode, date, 'po') - 0.5));

  const receivedOnline = Math.round(received * onlineRate);
  const resolved = Math.round(received * resolvedRate);
  const resolvedOnTime = Math.round(resolved * onTimeRate);
  const pending = received - resolved;
  const pendingOnTime = Math.round(pending * pendingOnTimeShare);

  // Digitisation grows about 5 points a year (a national push); fees and online payment vary less.
  const clamp = (lo: number, hi: number, x: number) => Math.min(hi, Math.max(lo, x));
  const digitizedRate = clamp(0.25, 0.95, p.digitized + 0.05 * yearsFrom2026 + 0.04 * normal(seed, unitCode, date, 'sh'));
  const withFeeRate = clamp(0.25, 0.45, p.withFee + 0.03 * normal(seed, unitCode, date, 'fee'));
  const paidOnlineRate = clamp(0.15, 0.9, p.paidOnline + 0.02 * yearsFrom2026 + 0.05 * normal(seed, unitCode, date, 'tt'));
  const withFee = Math.round(received * withFeeRate);
  return {
    received,
    receivedOnline,
    resolved,
    resolvedOnTime,
    pendingOnTime,
    pendingOverdue: pending - pendingOnTime,
    digitized: Math.round(received * digitizedRate),
    withFee,
    paidOnline: Math.round(withFee * paidOnlineRate)
  };
}

/**
 * A unit formed at a reform: the sum of its predecessors' counts, each times its share, rounded so
 * that counts stay whole and no part exceeds its whole (rounding is monotone, and each predecessor's
 * part is within its whole; pending on time is capped by what is pending).
 */
export function composeDossiers(parts: readonly { day: DossierDay; share: number }[]): DossierDay {
  const mix = (f: (d: DossierDay) => number) => Math.round(parts.reduce((sum, p) => sum + p.share * f(p.day), 0));
  const received = mix((d) => d.received);
  const resolved = Math.min(received, mix((d) => d.resolved));
  const pending = received - resolved;
  const pendingOnTime = Math.min(pending, mix((d) => d.pendingOnTime));
  const withFee = Math.min(received, mix((d) => d.withFee));
  return {
    received,
    receivedOnline: Math.min(received, mix((d) => d.receivedOnline)),
    resolved,
    resolvedOnTime: Math.min(resolved, mix((d) => d.resolvedOnTime)),
    pendingOnTime,
    pendingOverdue: pending - pendingOnTime,
    digitized: Math.min(received, mix((d) => d.digitized)),
    withFee,
    paidOnline: Math.min(withFee, mix((d) => d.paidOnline))
  };
}

/** A correction at the source on a composed day: the delta is received and pending (overdue, unless onTimeRate says otherwise). */
export function overrideDossier(d: DossierDay, o: DossierOverride | undefined): DossierDay {
  if (!o) return d;
  const received = d.received + Math.max(0, o.receivedDelta ?? 0);
  const pending = received - d.resolved;
  const rate = o.onTimeRate;
  const pendingOnTime = rate === undefined ? Math.min(pending, d.pendingOnTime) : Math.round(pending * rate);
  return {
    ...d,
    received,
    resolvedOnTime: rate === undefined ? d.resolvedOnTime : Math.round(d.resolved * rate),
    pendingOnTime,
    pendingOverdue: pending - pendingOnTime
  };
}
