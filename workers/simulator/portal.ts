/**
 * The national public-service portal's index of Decision 766 (../shared/portal-766.md) for the demo
 * province, Hà Nội (H26): what the portal publishes per unit and period, as pure values. The HTTP
 * side, in the portal's own shapes, is portal-api.ts.
 *
 * Units: the city (the parent / overview) and the units of db/seed/data/hanoi-portal.csv that the
 * simulator reports (the 19 departments → agencies H26.01…, the 126 communes → H26.100…), each on
 * its days in force (so no child before 07/2025).
 *
 * Values: deterministic from the simulator's seed, per unit and month (`monthDraw`); a quarter or a
 * year is the sum of its published months' counts, its ratios and scores computed again from those
 * sums with the portal's formulas and rounding (half-up to 2 decimals, ratio.ts' round / points).
 * - Progress is our own dossier truth: totalReceived = Σ daily `received`, totalOnTime = Σ daily
 *   (`resolvedOnTime` + `pendingOnTime`) of truth.ts' unitDossiers over the unit's days of the
 *   period (no /_sim/overrides: those correct the local system, not what the portal synced), so the
 *   portal's progress equals what the product computes from the dossier API. The other groups'
 *   denominators lean on the same truth (resolved, received, with a fee, paid online) and draw the
 *   rest (ratings, petitions, procedures …) in realistic proportions.
 * - Zero denominators on purpose: communes publish no procedures (transparency's two publishing
 *   metrics 0/0); two units a month have DOSSIER_SYNC 0/0 (NO_NATIONAL_REPORT_DATA), and so has a
 *   unit with no dossier that month (the Ban, H26.16, in 07/2025: dossiers.ts' idleMonth); many
 *   units have no petition (petition metrics score 6).
 * - Published group scores are the formula's, except the online group (no formula: a published
 *   score per child, the parent's the mean of its children's) and, in the payment group, two
 *   children per period whose published score is 0.01 off the formula, as on the real portal
 *   (plantedPaymentDifferences).
 * - Publication: a month is published from the 3rd of the next month (ICT, the simulator's clock);
 *   before that it has no child. A quarter or year shows the sum of its months published so far.
 */
import { today } from '#domain/periods';
import { points, round } from '#domain/ratio';
import { hanoiRegister, REFORM_DAY } from '#server/seed/hanoi-2025';
import { loadPortalCodes, PORTAL_ROOT_CODE, type PortalCodeRow } from '#server/seed/portal-codes';
import { normal, uniform } from '#server/seed/random';
import { daysBetween, monthIndex, monthOfIndex } from './calendar.ts';
import type { SimUnit } from './http.ts';
import { hanoiSimUnits, inForce } from './register.ts';
import { unitDossiers } from './truth.ts';

// ---------------------------------------------------------------- periods

export const PORTAL_PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type PortalPeriodKind = (typeof PORTAL_PERIOD_KINDS)[number];

/** A period the portal publishes: its kind and first day (YYYY-MM-01), as period_samples stores it. */
export interface PortalPeriod {
  kind: PortalPeriodKind;
  start: string;
}

const MONTHS_OF: Record<PortalPeriodKind, number> = { month: 1, quarter: 3, year: 12 };
/** A month is published from this day of the following month (ICT). */
export const PUBLISH_DAY = 3;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** portalPeriod('month', 2026, 8), ('quarter', 2026, 3), ('year', 2026). */
export function portalPeriod(kind: PortalPeriodKind, year: number, n = 1): PortalPeriod {
  const first = kind === 'month' ? n : kind === 'quarter' ? (n - 1) * 3 + 1 : 1;
  return { kind, start: `${year}-${pad2(first)}-01` };
}

/** The months of a period, 'YYYY-MM', in order. */
export function periodMonths(p: PortalPeriod): string[] {
  const first = monthIndex(p.start.slice(0, 7));
  return Array.from({ length: MONTHS_OF[p.kind] }, (_, i) => monthOfIndex(first + i));
}

export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${pad2(new Date(Date.UTC(y, m, 0)).getUTCDate())}`;
}

/** The period's last day (YYYY-MM-DD). */
export function periodEnd(p: PortalPeriod): string {
  return lastDayOf(periodMonths(p).at(-1)!);
}

/** The day a month's figures appear on the portal: the 3rd of the next month. */
export function monthPublishedOn(month: string): string {
  return `${monthOfIndex(monthIndex(month) + 1)}-${pad2(PUBLISH_DAY)}`;
}

export function isMonthPublished(month: string, now: Date): boolean {
  return today(now) >= monthPublishedOn(month);
}

/** The months of the period published at `now` (all of them once the period's last month is). */
export function publishedMonths(p: PortalPeriod, now: Date): string[] {
  return periodMonths(p).filter((m) => isMonthPublished(m, now));
}

// ---------------------------------------------------------------- units

export type PortalUnitKind = 'province' | 'agency' | 'commune';

export interface PortalUnit {
  portalCode: string;
  portalId: string;
  gsoCode: string;
  name: string;
  kind: PortalUnitKind;
  /** The simulator's unit (its days in force, its dossier truth); null for the province. */
  sim: SimUnit | null;
}

/** Portal codes ordered as strings, as the portal lists children (H26.129 < H26.13 < H26.130). */
export const byPortalCode = (a: { portalCode: string }, b: { portalCode: string }) => (a.portalCode < b.portalCode ? -1 : a.portalCode > b.portalCode ? 1 : 0);

// ---------------------------------------------------------------- the groups, their metrics and formulas

export const PORTAL_GROUPS = ['transparency', 'progress', 'online', 'payment', 'satisfaction', 'digitization'] as const;
export type PortalGroup = (typeof PORTAL_GROUPS)[number];
export const GROUP_MAX: Record<PortalGroup, number> = { transparency: 18, progress: 20, online: 12, payment: 10, satisfaction: 18, digitization: 22 };

/** A sub-indicator as the evaluation endpoints write it. */
export interface MetricRow {
  code: string;
  name: string;
  numerator: number | null;
  denominator: number | null;
  ratio: number | null;
  score: number | null;
  maxScore: number;
  /** DOSSIER_SYNC only. */
  dataQualityStatus?: 'TEMP_NATIONAL_REPORT_DENOMINATOR' | 'NO_NATIONAL_REPORT_DATA';
  dataQualityMessage?: string;
}

export interface Fraction {
  numerator: number;
  denominator: number;
}

/** n/d as a percentage, half-up to 2 decimals; null when d is 0. */
export function percent(n: number, d: number): number | null {
  return d > 0 ? round((n / d) * 100, 2) : null;
}

const METRIC_DEFS = {
  PUBLISH_ON_TIME: { name: 'Tỷ lệ TTHC được công bố, công khai đúng hạn', max: 6, saturation: 1 },
  PUBLIC_UPDATE_ON_TIME: { name: 'Tỷ lệ TTHC được cập nhật, công khai trên Cổng DVCQG đúng hạn', max: 4, saturation: 1 },
  PUBLIC_CONTENT_FULL: { name: 'Tỷ lệ TTHC được công khai đầy đủ nội dung', max: 2, saturation: 1 },
  DOSSIER_SYNC: { name: 'Tỷ lệ hồ sơ được đồng bộ, công khai trạng thái trên Cổng DVCQG', max: 6, saturation: 1 },
  DOSSIER_RECEIVING_SATISFACTION: { name: 'Mức độ hài lòng trong tiếp nhận, giải quyết TTHC', max: 6, saturation: 0.9 },
  PETITION_PROCESSING_ON_TIME: { name: 'Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn', max: 6, saturation: 1 },
  PETITION_HANDLING_SATISFACTION: { name: 'Mức độ hài lòng về xử lý phản ánh, kiến nghị', max: 6, saturation: 1 },
  PETITION_CLASSIFICATION_TTHC: { name: 'Phản ánh, kiến nghị về quy định TTHC', max: 0, saturation: 1 },
  PETITION_CLASSIFICATION_STAFF: { name: 'Phản ánh, kiến nghị về hành vi của cán bộ, công chức', max: 0, saturation: 1 },
  ORIGINAL_RESULT_AVAILABLE: { name: 'Tỷ lệ hồ sơ có kết quả điện tử bản gốc', max: 6, saturation: 1 },
  SO_HOA_GIAY_TO_GIAI_QUYET: { name: 'Tỷ lệ số hóa giấy tờ, kết quả giải quyết TTHC', max: 4, saturation: 1 },
  REUSED_DIGITIZED_DATA: { name: 'Tỷ lệ hồ sơ tái sử dụng dữ liệu đã số hóa', max: 2, saturation: 0.8 },
  SYNCED_WITH_DVCQG_PERSONAL_STORAGE: { name: 'Tỷ lệ kết quả đồng bộ vào kho dữ liệu cá nhân trên Cổng DVCQG', max: 4, saturation: 1 },
  CITIZEN_DATA_CONNECTED_DOSSIER: { name: 'Tỷ lệ hồ sơ khai thác dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư', max: 2, saturation: 1 },
  CITIZEN_DATA_CONNECTED_FORMALITY: { name: 'Tỷ lệ TTHC kết nối, khai thác Cơ sở dữ liệu quốc gia về dân cư', max: 2, saturation: 1 },
  ELECTRONIC_CERTIFIED_COPY: { name: 'Cấp bản sao điện tử từ sổ gốc, chứng thực điện tử', max: 2, saturation: 1 }
} as const;
export type MetricCode = keyof typeof METRIC_DEFS;
export const METRIC_MAX: Record<MetricCode, number> = Object.fromEntries(Object.entries(METRIC_DEFS).map(([k, v]) => [k, v.max])) as Record<MetricCode, number>;

const SYNC_MESSAGES = {
  TEMP_NATIONAL_REPORT_DENOMINATOR: 'Mẫu số tạm tính theo số liệu báo cáo quốc gia',
  NO_NATIONAL_REPORT_DATA: 'Chưa có số liệu báo cáo quốc gia'
} as const;

type ZeroRule = 'null' | 'zero' | 'full';

/**
 * One sub-indicator: score = min(max, max × (n/d) / saturation), half-up to 2 decimals (points());
 * a zero denominator as its group treats it: 'null' (transparency, digitisation: ratio and score
 * null), 'zero' (dossier satisfaction: ratio 0, score 0), 'full' (petitions: ratio 0, score max).
 */
export function metricRow(code: MetricCode, f: Fraction, zero: ZeroRule): MetricRow {
  const def = METRIC_DEFS[code];
  const { numerator, denominator } = f;
  const base = { code, name: def.name, numerator, denominator, maxScore: def.max };
  const unscored = def.max === 0;
  if (denominator <= 0) {
    if (zero === 'null') return { ...base, ratio: null, score: null };
    return { ...base, ratio: 0, score: unscored ? null : zero === 'full' ? def.max : 0 };
  }
  return { ...base, ratio: percent(numerator, denominator), score: unscored ? null : points(numerator / denominator, def.max, def.saturation) };
}

/** A group's total: the sum of its metrics' rounded scores, null counting 0. */
export function sumScores(rows: readonly MetricRow[]): number {
  return round(rows.reduce((s, r) => s + (r.score ?? 0), 0), 2);
}

/** A unit's group ratio: totalScore / maxScore × 100, half-up to 2 decimals. */
export function groupRatio(score: number, max: number): number {
  return round((score / max) * 100, 2);
}

export function transparencyRows(t: { publishOnTime: Fraction; publicUpdateOnTime: Fraction; publicContentFull: Fraction; dossierSync: Fraction }): MetricRow[] {
  const sync = metricRow('DOSSIER_SYNC', t.dossierSync, 'null');
  const status = t.dossierSync.denominator > 0 ? 'TEMP_NATIONAL_REPORT_DENOMINATOR' : 'NO_NATIONAL_REPORT_DATA';
  return [
    metricRow('PUBLISH_ON_TIME', t.publishOnTime, 'null'),
    metricRow('PUBLIC_UPDATE_ON_TIME', t.publicUpdateOnTime, 'null'),
    metricRow('PUBLIC_CONTENT_FULL', t.publicContentFull, 'null'),
    { ...sync, dataQualityStatus: status, dataQualityMessage: SYNC_MESSAGES[status] }
  ];
}

/** Progress: 20 × onTime / received, linear; 0 received scores 0 (ratio 0). */
export function progressScore(onTime: number, received: number): { ratio: number; score: number } {
  if (received <= 0) return { ratio: 0, score: 0 };
  return { ratio: percent(onTime, received)!, score: points(onTime / received, 20)! };
}

export interface PaymentCounts {
  totalDossierOnlinePaymentSuccess: number;
  totalDossierFinancialObligation: number;
  totalDossierOnlineFormalityPaymentSuccess: number;
  totalFeeDossierFormalityDistinct: number;
  totalFeeDossierFormality: number;
  totalFeeFormality: number;
}

/**
 * Payment: round(6·A) + round(min(2, 2.5·B)) + round(2.5·C), A = paid online / financial obligation,
 * B = procedures paid online / procedures with a fee, C = procedures with fee dossiers / procedures
 * with a fee, each 0 when its denominator is 0 (the spec's re-derivation; C stays under 0.5 here).
 */
export function paymentScore(c: PaymentCounts): number {
  const frac = (n: number, d: number) => (d > 0 ? n / d : 0);
  const a = frac(c.totalDossierOnlinePaymentSuccess, c.totalDossierFinancialObligation);
  const b = frac(c.totalDossierOnlineFormalityPaymentSuccess, c.totalFeeFormality);
  const cc = frac(c.totalFeeDossierFormality, c.totalFeeFormality);
  return round(round(6 * a, 2) + round(Math.min(2, 2.5 * b), 2) + round(2.5 * cc, 2), 2);
}

export interface SatisfactionCounts {
  dossierReceivingSatisfaction: Fraction;
  petitionProcessingOnTime: Fraction;
  petitionHandlingSatisfaction: Fraction;
  petitionClassificationTthc: Fraction;
  petitionClassificationStaff: Fraction;
}

export function satisfactionRows(s: SatisfactionCounts): MetricRow[] {
  return [
    metricRow('DOSSIER_RECEIVING_SATISFACTION', s.dossierReceivingSatisfaction, 'zero'),
    metricRow('PETITION_PROCESSING_ON_TIME', s.petitionProcessingOnTime, 'full'),
    metricRow('PETITION_HANDLING_SATISFACTION', s.petitionHandlingSatisfaction, 'full'),
    metricRow('PETITION_CLASSIFICATION_TTHC', s.petitionClassificationTthc, 'zero'),
    metricRow('PETITION_CLASSIFICATION_STAFF', s.petitionClassificationStaff, 'zero')
  ];
}

export interface DigitizationCounts {
  originalResultAvailable: Fraction;
  soHoaGiayToGiaiQuyet: Fraction;
  reusedDigitizedData: Fraction;
  syncedWithDvcqgPersonalStorage: Fraction;
  citizenDataConnectedDossier: Fraction;
  citizenDataConnectedFormality: Fraction;
}

/** ELECTRONIC_CERTIFIED_COPY: no counts, ratio 100, score 2 in every row (rule unconfirmed). */
export const CERTIFIED_COPY_SCORE = 2;

export function digitizationRows(d: DigitizationCounts): MetricRow[] {
  return [
    metricRow('ORIGINAL_RESULT_AVAILABLE', d.originalResultAvailable, 'null'),
    metricRow('SO_HOA_GIAY_TO_GIAI_QUYET', d.soHoaGiayToGiaiQuyet, 'null'),
    metricRow('REUSED_DIGITIZED_DATA', d.reusedDigitizedData, 'null'),
    metricRow('SYNCED_WITH_DVCQG_PERSONAL_STORAGE', d.syncedWithDvcqgPersonalStorage, 'null'),
    metricRow('CITIZEN_DATA_CONNECTED_DOSSIER', d.citizenDataConnectedDossier, 'null'),
    metricRow('CITIZEN_DATA_CONNECTED_FORMALITY', d.citizenDataConnectedFormality, 'null'),
    { code: 'ELECTRONIC_CERTIFIED_COPY', name: METRIC_DEFS.ELECTRONIC_CERTIFIED_COPY.name, numerator: null, denominator: null, ratio: 100, score: CERTIFIED_COPY_SCORE, maxScore: 2 }
  ];
}

// ---------------------------------------------------------------- a unit's month

/** The counts of one unit in one month: its dossier truth summed, and what the portal adds. */
export interface MonthDraw {
  received: number;
  onTime: number;
  resolved: number;
  receivedOnline: number;
  resolvedOnTime: number;
  withFee: number;
  paidOnline: number;
  /** avgProcessingDays × resolved (so that a sum over months and units weighs each by its dossiers). */
  processingDays: number;
  publishOnTime: Fraction;
  publicUpdateOnTime: Fraction;
  /** The published DVCTT score of the month (0 without activity). */
  onlineScore: number;
  feeFormality: number;
  formalityPaymentSuccess: number;
  feeDossierFormality: number;
  ratings: number;
  satisfied: number;
  petitions: number;
  petitionsOnTime: number;
  petitionsRated: number;
  petitionsSatisfied: number;
  classifiedTthc: number;
  classifiedStaff: number;
  originalResult: number;
  soHoa: number;
  reused: number;
  citizenDossier: number;
  formalities: number;
  formalitiesConnected: number;
}

const COUNT_KEYS = [
  'received', 'onTime', 'resolved', 'receivedOnline', 'resolvedOnTime', 'withFee', 'paidOnline', 'processingDays', 'onlineScore',
  'feeFormality', 'formalityPaymentSuccess', 'feeDossierFormality', 'ratings', 'satisfied', 'petitions', 'petitionsOnTime',
  'petitionsRated', 'petitionsSatisfied', 'classifiedTthc', 'classifiedStaff', 'originalResult', 'soHoa', 'reused',
  'citizenDossier', 'formalities', 'formalitiesConnected'
] as const satisfies readonly (keyof MonthDraw)[];

function emptyDraw(): MonthDraw {
  const d = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as MonthDraw;
  d.publishOnTime = { numerator: 0, denominator: 0 };
  d.publicUpdateOnTime = { numerator: 0, denominator: 0 };
  return d;
}

function addDraw(into: MonthDraw, d: MonthDraw): void {
  for (const k of COUNT_KEYS) into[k] += d[k];
  into.publishOnTime = addFraction(into.publishOnTime, d.publishOnTime);
  into.publicUpdateOnTime = addFraction(into.publicUpdateOnTime, d.publicUpdateOnTime);
}

const addFraction = (a: Fraction, b: Fraction): Fraction => ({ numerator: a.numerator + b.numerator, denominator: a.denominator + b.denominator });
const clamp = (lo: number, hi: number, x: number) => Math.min(hi, Math.max(lo, x));

/** A Poisson count of `mean` for a uniform number (inverse CDF). */
function poisson(mean: number, u: number): number {
  const m = Math.min(mean, 300);
  let k = 0;
  let p = Math.exp(-m);
  let c = p;
  while (u > c && k < 2000) {
    k++;
    p *= m / k;
    c += p;
  }
  return k;
}

/**
 * The month's counts of a unit that reports (an agency or a commune): its dossier truth over its days
 * in force in the month, observed after the month (every day whole), and the portal's own draws.
 * Keys put the month and field first: FNV-1a over keys differing only at the end draws too alike.
 */
export function monthDraw(seed: string, unit: SimUnit, kind: 'agency' | 'commune', month: string): MonthDraw {
  const d = emptyDraw();
  const days = daysBetween(`${month}-01`, lastDayOf(month)).filter((day) => inForce(unit, day));
  if (!days.length) return d;
  const after = new Date(`${monthPublishedOn(month)}T00:00:00+07:00`);
  for (const day of days) {
    const x = unitDossiers(seed, unit, day, after);
    d.received += x.received;
    d.onTime += x.resolvedOnTime + x.pendingOnTime;
    d.resolved += x.resolved;
    d.receivedOnline += x.receivedOnline;
    d.resolvedOnTime += x.resolvedOnTime;
    d.withFee += x.withFee;
    d.paidOnline += x.paidOnline;
  }
  const code = unit.code;
  const own = (field: string) => uniform(field, code, seed, 'portal'); // the unit's, every month
  const u = (field: string) => uniform(field, month, code, seed, 'portal');
  const n = (field: string) => normal(field, month, code, seed, 'portal');
  const agency = kind === 'agency';

  // Transparency: agencies publish and update procedures (a few a month, often none); communes none.
  if (agency) {
    const published = poisson(1.2, u('publish'));
    d.publishOnTime = { numerator: Math.min(published, Math.round(published * clamp(0, 1, 0.55 + 0.45 * own('publish') + 0.1 * n('publish-ok')))), denominator: published };
    const updated = poisson(2, u('update'));
    d.publicUpdateOnTime = { numerator: Math.min(updated, Math.round(updated * clamp(0, 1, 0.5 + 0.5 * own('update') + 0.1 * n('update-ok')))), denominator: updated };
  }
  if (d.received === 0) return d; // no activity: nothing else to count, scores 0 (online) or zero denominators

  // Average processing days (1.9–10.5 at the communes, longer at the agencies).
  const baseDays = agency ? clamp(2, 18, Math.exp(Math.log(6) + 0.5 * normal('days', code, seed, 'portal'))) : clamp(1.9, 10.5, Math.exp(Math.log(4.2) + 0.45 * normal('days', code, seed, 'portal')));
  d.processingDays = round(clamp(0.5, 25, baseDays * (1 + 0.12 * n('days'))), 2) * d.resolved;

  // DVCTT: a published score only (no formula the portal's answers let us re-derive).
  const onlineBase = agency ? 3 + 8 * own('online') : 4.5 + 6 * own('online');
  d.onlineScore = round(clamp(0, 12, onlineBase + 0.5 * n('online')), 2);

  // Payment: procedures with a fee, those with a dossier paid online (B), those with fee dossiers (C < 0.5).
  if (d.withFee > 0) {
    const base = agency ? 4 + 56 * own('fee-formality') : 25 + 45 * own('fee-formality');
    d.feeFormality = Math.min(d.withFee, Math.max(1, Math.round(base * (0.85 + 0.3 * u('fee-formality')))));
    const b = d.paidOnline > 0 ? clamp(0, 1, 0.35 + 0.6 * own('formality-paid') + 0.06 * n('formality-paid')) : 0;
    d.formalityPaymentSuccess = Math.round(d.feeFormality * b);
    d.feeDossierFormality = Math.round(d.feeFormality * clamp(0, 0.45, 0.05 + 0.3 * own('fee-dossier') + 0.04 * n('fee-dossier')));
  }

  // Satisfaction: ratings of resolved dossiers; petitions, a few per thousand dossiers (often none).
  d.ratings = Math.round(d.resolved * clamp(0.02, 0.8, 0.08 + 0.37 * own('ratings') + 0.05 * n('ratings')));
  d.satisfied = Math.round(d.ratings * clamp(0, 1, 0.25 + 0.74 * Math.sqrt(own('satisfied')) + 0.04 * n('satisfied')));
  d.petitions = poisson((d.received / 1000) * (0.5 + 3.5 * own('petitions')), u('petitions'));
  d.petitionsOnTime = Math.round(d.petitions * clamp(0, 1, 0.5 + 0.5 * own('petition-on-time') + 0.15 * n('petition-on-time')));
  d.petitionsRated = Math.round(d.petitions * clamp(0, 1, 0.3 + 0.5 * u('petition-rated')));
  d.petitionsSatisfied = Math.round(d.petitionsRated * clamp(0, 1, 0.4 + 0.6 * own('petition-satisfied') + 0.15 * n('petition-satisfied')));
  d.classifiedTthc = Math.round(d.petitions * (0.4 + 0.3 * u('tthc')));
  d.classifiedStaff = Math.round((d.petitions - d.classifiedTthc) * (0.1 + 0.4 * u('staff')));

  // Digitisation: results issued as electronic originals, papers digitised, data reused …
  d.originalResult = Math.round(d.resolved * clamp(0, 1, 0.35 + 0.6 * own('original') + 0.04 * n('original')));
  d.soHoa = Math.round(d.resolved * clamp(0, 1, 0.03 + 0.27 * own('so-hoa') + 0.02 * n('so-hoa')));
  d.reused = Math.round(d.received * clamp(0, 1, 0.01 + 0.11 * own('reused') + 0.01 * n('reused')));
  d.citizenDossier = Math.round(d.received * clamp(0, 1, 0.3 + 0.55 * own('citizen') + 0.04 * n('citizen')));
  const formalities = agency ? 8 + 142 * own('formalities') : 40 + 80 * own('formalities');
  d.formalities = Math.min(d.received, Math.max(1, Math.round(formalities * (0.9 + 0.2 * u('formalities')))));
  d.formalitiesConnected = Math.round(d.formalities * clamp(0, 1, 0.05 + 0.4 * own('formality-connected') + 0.03 * n('formality-connected')));
  return d;
}

/** The province's own figures of a month: its procedure catalogue (content published in full, DVCTT counts). */
interface ProvinceMonth {
  contentFull: Fraction;
  authorityCount: number;
  fullCount: number;
  partialCount: number;
  postalShare: number;
}

function provinceMonth(seed: string, month: string): ProvinceMonth {
  const n = (field: string) => normal(field, month, PORTAL_ROOT_CODE, seed, 'portal');
  const authority = Math.round(1950 + 40 * n('authority'));
  return {
    contentFull: { numerator: Math.round(authority * clamp(0.5, 1, 0.8 + 0.06 * n('content'))), denominator: authority },
    authorityCount: authority,
    fullCount: Math.round(authority * clamp(0.3, 0.7, 0.52 + 0.03 * n('full'))),
    partialCount: Math.round(authority * clamp(0.15, 0.45, 0.33 + 0.03 * n('partial'))),
    postalShare: clamp(0.005, 0.03, 0.012 + 0.003 * n('postal'))
  };
}

/** A province-wide distinct count of procedures from its units' counts: the largest, plus a little of the rest (they overlap). */
function distinctOf(counts: readonly number[]): number {
  if (!counts.length) return 0;
  const max = Math.max(...counts);
  const sum = counts.reduce((s, c) => s + c, 0);
  return max + Math.round(0.05 * (sum - max));
}

// ---------------------------------------------------------------- a unit's period

export interface OnlineCounts {
  authorityCount: number;
  partialCount: number;
  fullCount: number;
  onlineDossierCount: number;
  onlineServiceTotal: number;
  channelOnlineSum: number;
  channelDirectSum: number;
  channelPostalSum: number;
  channelTotalSum: number;
  onlineOnTimeSum: number;
  onlineOverdueSum: number;
}

/** What the portal publishes for one unit (or the province) and period. */
export interface PortalUnitValues {
  unit: Omit<PortalUnit, 'sim'>;
  period: PortalPeriod;
  /** The published months summed ([] = not published: no value at all). */
  months: string[];
  transparency: { metrics: MetricRow[]; score: number; ratio: number };
  progress: { received: number; onTime: number; overdue: number; completed: number; avgProcessingDays: number; ratio: number; score: number };
  /** counts: the province's only. */
  online: { score: number; ratio: number; counts: OnlineCounts | null };
  /** formulaScore: the spec's formula on the counts; score: published (formulaScore ± 0.01 on a planted difference). */
  payment: { counts: PaymentCounts; formulaScore: number; score: number; ratio: number };
  satisfaction: { metrics: MetricRow[]; totalPetitions: number; classifiedPetitions: number; totalDossiers: number; score: number; ratio: number };
  digitization: { metrics: MetricRow[]; score: number; ratio: number };
  /** The six published group scores. */
  scores: Record<PortalGroup, number>;
  /** Σ of the six published group scores, 2 decimals. */
  total: number;
  /**
   * The values as the portal sources store them (catalogue keys p766.*): every sub-indicator's
   * numerator and denominator (0/0 where the portal shows null), the payment counts, the published
   * scores (p766.score.<group>, p766.electronic_certified_copy.score).
   */
  metrics: Record<string, number>;
}

interface Aggregate {
  draw: MonthDraw;
  contentFull: Fraction;
  dossierSync: Fraction;
  onlineScore: number;
  online: OnlineCounts | null;
  /** The province's payment procedure counts (distinct, not sums); null for a child. */
  distinctFormalities: { feeFormality: number; formalityPaymentSuccess: number; feeDossierFormality: number } | null;
}

const STORED_KEYS: Record<string, string> = {
  PUBLISH_ON_TIME: 'publish_on_time',
  PUBLIC_UPDATE_ON_TIME: 'public_update_on_time',
  PUBLIC_CONTENT_FULL: 'public_content_full',
  DOSSIER_SYNC: 'dossier_sync',
  DOSSIER_RECEIVING_SATISFACTION: 'dossier_receiving_satisfaction',
  PETITION_PROCESSING_ON_TIME: 'petition_processing_on_time',
  PETITION_HANDLING_SATISFACTION: 'petition_handling_satisfaction',
  ORIGINAL_RESULT_AVAILABLE: 'original_result_available',
  SO_HOA_GIAY_TO_GIAI_QUYET: 'so_hoa_giay_to_giai_quyet',
  REUSED_DIGITIZED_DATA: 'reused_digitized_data',
  SYNCED_WITH_DVCQG_PERSONAL_STORAGE: 'synced_with_dvcqg_personal_storage',
  CITIZEN_DATA_CONNECTED_DOSSIER: 'citizen_data_connected_dossier',
  CITIZEN_DATA_CONNECTED_FORMALITY: 'citizen_data_connected_formality'
};

function valuesOf(unit: PortalUnit, period: PortalPeriod, months: string[], a: Aggregate, paymentDelta: number): PortalUnitValues {
  const d = a.draw;
  const transparency = transparencyRows({ publishOnTime: d.publishOnTime, publicUpdateOnTime: d.publicUpdateOnTime, publicContentFull: a.contentFull, dossierSync: a.dossierSync });
  const progress = progressScore(d.onTime, d.received);
  const distinct = a.distinctFormalities;
  const feeFormality = distinct?.feeFormality ?? d.feeFormality;
  const payment: PaymentCounts = {
    totalDossierOnlinePaymentSuccess: d.paidOnline,
    totalDossierFinancialObligation: d.withFee,
    totalDossierOnlineFormalityPaymentSuccess: distinct?.formalityPaymentSuccess ?? d.formalityPaymentSuccess,
    totalFeeDossierFormalityDistinct: feeFormality,
    totalFeeDossierFormality: distinct?.feeDossierFormality ?? d.feeDossierFormality,
    totalFeeFormality: feeFormality
  };
  const paymentFormula = paymentScore(payment);
  const paymentPublished = round(paymentFormula + paymentDelta, 2);
  const f = (numerator: number, denominator: number): Fraction => ({ numerator, denominator });
  const satisfaction = satisfactionRows({
    dossierReceivingSatisfaction: f(d.satisfied, d.ratings),
    petitionProcessingOnTime: f(d.petitionsOnTime, d.petitions),
    petitionHandlingSatisfaction: f(d.petitionsSatisfied, d.petitionsRated),
    petitionClassificationTthc: f(d.classifiedTthc, d.petitions),
    petitionClassificationStaff: f(d.classifiedStaff, d.petitions)
  });
  const digitization = digitizationRows({
    originalResultAvailable: f(d.originalResult, d.resolved),
    soHoaGiayToGiaiQuyet: f(d.soHoa, d.resolved),
    reusedDigitizedData: f(d.reused, d.received),
    syncedWithDvcqgPersonalStorage: f(0, d.resolved),
    citizenDataConnectedDossier: f(d.citizenDossier, d.received),
    citizenDataConnectedFormality: f(d.formalitiesConnected, d.formalities)
  });
  const scores: Record<PortalGroup, number> = {
    transparency: sumScores(transparency),
    progress: progress.score,
    online: a.onlineScore,
    payment: paymentPublished,
    satisfaction: sumScores(satisfaction),
    digitization: sumScores(digitization)
  };
  const metrics: Record<string, number> = {};
  for (const r of [...transparency, ...satisfaction, ...digitization]) {
    const key = STORED_KEYS[r.code];
    if (!key) continue;
    metrics[`p766.${key}.n`] = r.numerator ?? 0;
    metrics[`p766.${key}.d`] = r.denominator ?? 0;
  }
  metrics['p766.progress.n'] = d.onTime;
  metrics['p766.progress.d'] = d.received;
  metrics['p766.dossier_online_payment_success'] = payment.totalDossierOnlinePaymentSuccess;
  metrics['p766.dossier_financial_obligation'] = payment.totalDossierFinancialObligation;
  metrics['p766.dossier_online_formality_payment_success'] = payment.totalDossierOnlineFormalityPaymentSuccess;
  metrics['p766.fee_dossier_formality_distinct'] = payment.totalFeeDossierFormalityDistinct;
  metrics['p766.fee_dossier_formality'] = payment.totalFeeDossierFormality;
  metrics['p766.fee_formality'] = payment.totalFeeFormality;
  metrics['p766.electronic_certified_copy.score'] = CERTIFIED_COPY_SCORE;
  for (const g of PORTAL_GROUPS) metrics[`p766.score.${g}`] = scores[g];
  const { sim: _sim, ...identity } = unit;
  return {
    unit: identity,
    period,
    months,
    transparency: { metrics: transparency, score: scores.transparency, ratio: groupRatio(scores.transparency, GROUP_MAX.transparency) },
    progress: {
      received: d.received,
      onTime: d.onTime,
      overdue: d.received - d.onTime,
      completed: d.resolved,
      avgProcessingDays: d.resolved > 0 ? round(d.processingDays / d.resolved, 2) : 0,
      ...progress
    },
    online: { score: a.onlineScore, ratio: groupRatio(a.onlineScore, GROUP_MAX.online), counts: a.online },
    payment: { counts: payment, formulaScore: paymentFormula, score: paymentPublished, ratio: groupRatio(paymentPublished, GROUP_MAX.payment) },
    satisfaction: {
      metrics: satisfaction,
      totalPetitions: d.petitions,
      classifiedPetitions: d.classifiedTthc + d.classifiedStaff,
      totalDossiers: d.resolved,
      score: scores.satisfaction,
      ratio: groupRatio(scores.satisfaction, GROUP_MAX.satisfaction)
    },
    digitization: { metrics: digitization, score: scores.digitization, ratio: groupRatio(scores.digitization, GROUP_MAX.digitization) },
    scores,
    total: round(PORTAL_GROUPS.reduce((s, g) => s + scores[g], 0), 2),
    metrics
  };
}

/**
 * The province of a period with nothing published: every count and score 0 and no metric rows (the
 * zero-denominator rules would otherwise give petitions full marks on 0/0).
 */
function nothingPublished(v: PortalUnitValues): void {
  v.transparency = { metrics: [], score: 0, ratio: 0 };
  v.satisfaction = { ...v.satisfaction, metrics: [], score: 0, ratio: 0 };
  v.digitization = { metrics: [], score: 0, ratio: 0 };
  for (const g of PORTAL_GROUPS) v.scores[g] = 0;
  v.total = 0;
  for (const k of Object.keys(v.metrics)) v.metrics[k] = 0;
}

// ---------------------------------------------------------------- the book: every unit, every period

/** A payment score the portal publishes 0.01 off its own formula. */
export interface PlantedDifference {
  portalCode: string;
  gsoCode: string;
  formulaScore: number;
  published: number;
  /** published − formulaScore: ±0.01. */
  delta: number;
}

/** A period as the portal answers it: the province and its children (string order of codes), or nothing published. */
export interface PortalPeriodValues {
  period: PortalPeriod;
  months: string[];
  province: PortalUnitValues;
  children: PortalUnitValues[];
  planted: PlantedDifference[];
}

/** A month of the trees' charts: the province's counts behind its progress and online shares. */
export interface MonthlyPoint {
  month: string;
  received: number;
  onTime: number;
  onlineDossierCount: number;
  onlineServiceTotal: number;
}

/**
 * Month draws of every book of the process (simulators and tests of one seed share them): a
 * published month is wholly past, so its counts depend only on the seed, the unit as the register
 * defines it (code, days, predecessors and shares) and the month.
 */
const DRAWS = new Map<string, MonthDraw>();
const unitKeys = new WeakMap<SimUnit, string>();
function unitKey(u: SimUnit): string {
  let key = unitKeys.get(u);
  if (key === undefined) {
    key = [u.code, u.level, u.type ?? '', u.validFrom ?? '', u.validTo ?? '', ...(u.predecessors ?? []).map((p) => `${p.code}:${p.share}`)].join('|');
    unitKeys.set(u, key);
  }
  return key;
}

/** How many payment scores per period are published off the formula. */
export const PLANTED_PER_PERIOD = 2;

/**
 * Every value the portal publishes for one simulator (seed and units); month draws memoised (DRAWS).
 */
export class PortalBook {
  readonly root: PortalUnit;
  /** The units with a portal code that the simulator reports, ordered as the portal lists them. */
  readonly members: readonly PortalUnit[];
  private readonly byKey = new Map<string, PortalUnit>();
  private readonly periods = new Map<string, PortalPeriodValues>();

  constructor(
    readonly seed: string,
    units: readonly SimUnit[],
    codes: readonly PortalCodeRow[] = loadPortalCodes(),
    rootName: string = hanoiRegister().city.name
  ) {
    const rootRow = codes.find((c) => c.portalCode === PORTAL_ROOT_CODE);
    if (!rootRow) throw new Error(`portal codes: no row for the province ${PORTAL_ROOT_CODE}`);
    this.root = { portalCode: rootRow.portalCode, portalId: rootRow.portalId, gsoCode: rootRow.gsoCode, name: rootName, kind: 'province', sim: null };
    const byGso = new Map(codes.map((c) => [c.gsoCode, c]));
    const members: PortalUnit[] = [];
    // The file's units are those of 01/07/2025: an old unit whose code a new one kept (10114), or a
    // test's map of 2024 in force always, has none.
    for (const u of units) {
      const row = byGso.get(u.code);
      if (!row || row === rootRow || (u.level !== 'commune' && u.level !== 'department')) continue;
      if (u.validFrom !== REFORM_DAY || u.validTo) continue;
      members.push({ portalCode: row.portalCode, portalId: row.portalId, gsoCode: u.code, name: u.name, kind: u.level === 'department' ? 'agency' : 'commune', sim: u });
    }
    this.members = members.sort(byPortalCode);
    for (const m of [this.root, ...this.members]) {
      this.byKey.set(m.portalCode, m);
      this.byKey.set(m.portalId, m);
      this.byKey.set(m.gsoCode, m);
    }
  }

  /** A unit by portal code, portal id or GSO code. */
  unit(key: string): PortalUnit | undefined {
    return this.byKey.get(key);
  }

  private draw(m: PortalUnit, month: string): MonthDraw {
    const key = `${this.seed}|${unitKey(m.sim!)}|${month}`;
    let d = DRAWS.get(key);
    if (!d) {
      d = monthDraw(this.seed, m.sim!, m.kind as 'agency' | 'commune', month);
      if (DRAWS.size > 100_000) DRAWS.clear(); // a bound, never reached in practice
      DRAWS.set(key, d);
    }
    return d;
  }

  /** The children the portal lists for a month: the units in force on some day of it. */
  private childrenOf(month: string): PortalUnit[] {
    const first = `${month}-01`;
    const last = lastDayOf(month);
    return this.members.filter((m) => (!m.sim!.validFrom || m.sim!.validFrom <= last) && (!m.sim!.validTo || first <= m.sim!.validTo));
  }

  /**
   * The units whose dossiers the portal has no national report for, in a month: DOSSIER_SYNC 0/0
   * (NO_NATIONAL_REPORT_DATA). Two a month among those with dossiers, drawn from the seed.
   */
  syncMissing(month: string): string[] {
    return this.childrenOf(month)
      .filter((m) => this.draw(m, month).received > 0)
      .map((m) => ({ code: m.portalCode, u: uniform('sync-missing', month, m.gsoCode, this.seed, 'portal') }))
      .sort((a, b) => a.u - b.u)
      .slice(0, 2)
      .map((x) => x.code)
      .sort();
  }

  /** Everything the portal publishes for a period at `now` (months not yet published count nothing). */
  period(period: PortalPeriod, now: Date): PortalPeriodValues {
    const months = publishedMonths(period, now);
    const key = `${period.kind}|${period.start}|${months.length}`;
    let values = this.periods.get(key);
    if (!values) {
      values = this.compute(period, months);
      if (this.periods.size > 2_000) this.periods.clear();
      this.periods.set(key, values);
    }
    return values;
  }

  /** One unit's (or the province's, by H26 / its id / 01) values for a period; null when the unit is not listed then. */
  values(code: string, period: PortalPeriod, now: Date): PortalUnitValues | null {
    const m = this.unit(code);
    if (!m) return null;
    const p = this.period(period, now);
    if (m === this.root) return p.province;
    return p.children.find((c) => c.unit.portalCode === m.portalCode) ?? null;
  }

  private compute(period: PortalPeriod, months: string[]): PortalPeriodValues {
    const sums = new Map<string, { draw: MonthDraw; sync: Fraction; online: number[] }>();
    const province = { draw: emptyDraw(), sync: { numerator: 0, denominator: 0 }, content: { numerator: 0, denominator: 0 } };
    const distinct = { feeFormality: 0, formalityPaymentSuccess: 0, feeDossierFormality: 0 };
    let online: OnlineCounts = {
      authorityCount: 0, partialCount: 0, fullCount: 0, onlineDossierCount: 0, onlineServiceTotal: 0, channelOnlineSum: 0,
      channelDirectSum: 0, channelPostalSum: 0, channelTotalSum: 0, onlineOnTimeSum: 0, onlineOverdueSum: 0
    };
    for (const month of months) {
      const children = this.childrenOf(month);
      if (!children.length) continue;
      const missing = new Set(this.syncMissing(month));
      const monthDraws: MonthDraw[] = [];
      for (const m of children) {
        const d = this.draw(m, month);
        monthDraws.push(d);
        let s = sums.get(m.portalCode);
        if (!s) sums.set(m.portalCode, (s = { draw: emptyDraw(), sync: { numerator: 0, denominator: 0 }, online: [] }));
        addDraw(s.draw, d);
        const synced = missing.has(m.portalCode) ? 0 : d.received;
        s.sync = addFraction(s.sync, { numerator: synced, denominator: synced });
        s.online.push(d.onlineScore);
      }
      const p = provinceMonth(this.seed, month);
      const month_ = monthDraws.reduce((acc, d) => (addDraw(acc, d), acc), emptyDraw());
      province.content = addFraction(province.content, p.contentFull);
      const fee = distinctOf(monthDraws.map((d) => d.feeFormality));
      distinct.feeFormality += fee;
      distinct.formalityPaymentSuccess += Math.min(fee, distinctOf(monthDraws.map((d) => d.formalityPaymentSuccess)));
      distinct.feeDossierFormality += Math.min(fee, distinctOf(monthDraws.map((d) => d.feeDossierFormality)));
      const postal = Math.round(month_.received * p.postalShare);
      const onlineResolved = month_.received > 0 ? Math.round((month_.resolved * month_.receivedOnline) / month_.received) : 0;
      const onlineOnTime = month_.resolved > 0 ? Math.round((onlineResolved * month_.resolvedOnTime) / month_.resolved) : 0;
      const serviceTotal = Math.max(month_.receivedOnline, month_.received - Math.round(0.03 * month_.received));
      online = {
        authorityCount: online.authorityCount + p.authorityCount,
        partialCount: online.partialCount + p.partialCount,
        fullCount: online.fullCount + p.fullCount,
        onlineDossierCount: online.onlineDossierCount + month_.receivedOnline,
        onlineServiceTotal: online.onlineServiceTotal + serviceTotal,
        channelOnlineSum: online.channelOnlineSum + month_.receivedOnline,
        channelDirectSum: online.channelDirectSum + Math.max(0, month_.received - month_.receivedOnline - postal),
        channelPostalSum: online.channelPostalSum + postal,
        channelTotalSum: online.channelTotalSum + month_.received,
        onlineOnTimeSum: online.onlineOnTimeSum + onlineOnTime,
        onlineOverdueSum: online.onlineOverdueSum + (onlineResolved - onlineOnTime)
      };
    }
    const children: PortalUnitValues[] = [];
    const childAggregates: { m: PortalUnit; a: Aggregate }[] = [];
    for (const m of this.members) {
      const s = sums.get(m.portalCode);
      if (!s) continue;
      addDraw(province.draw, s.draw);
      province.sync = addFraction(province.sync, s.sync);
      const a: Aggregate = {
        draw: s.draw,
        contentFull: province.content,
        dossierSync: s.sync,
        onlineScore: round(s.online.reduce((x, y) => x + y, 0) / s.online.length, 2),
        online: null,
        distinctFormalities: null
      };
      childAggregates.push({ m, a });
    }
    const planted = this.plant(period, childAggregates);
    for (const { m, a } of childAggregates) children.push(valuesOf(m, period, months, a, planted.get(m.portalCode) ?? 0));
    const onlineMean = children.length ? round(children.reduce((s, c) => s + c.online.score, 0) / children.length, 2) : 0;
    const provinceValues = valuesOf(
      this.root,
      period,
      children.length ? months : [],
      { draw: province.draw, contentFull: province.content, dossierSync: province.sync, onlineScore: onlineMean, online, distinctFormalities: distinct },
      0
    );
    if (!children.length) nothingPublished(provinceValues);
    return { period, months: provinceValues.months, province: provinceValues, children, planted: [...planted].map(([code, delta]) => this.plantedOf(code, delta, children)) };
  }

  /**
   * The trees' monthlyChart: the province's months of the period's year up to the period's last
   * published month (those before it are published too); none when nothing of the period is.
   */
  monthly(period: PortalPeriod, now: Date): MonthlyPoint[] {
    const lastPublished = this.period(period, now).children.length ? publishedMonths(period, now).at(-1)! : null;
    const out: MonthlyPoint[] = [];
    for (let i = monthIndex(`${period.start.slice(0, 4)}-01`); lastPublished && i <= monthIndex(lastPublished); i++) {
      const month = monthOfIndex(i);
      const kids = this.childrenOf(month);
      if (!kids.length) continue;
      const t = kids.reduce((acc, m) => (addDraw(acc, this.draw(m, month)), acc), emptyDraw());
      out.push({
        month,
        received: t.received,
        onTime: t.onTime,
        onlineDossierCount: t.receivedOnline,
        onlineServiceTotal: Math.max(t.receivedOnline, t.received - Math.round(0.03 * t.received))
      });
    }
    return out;
  }

  /**
   * The planted payment differences of a period: PLANTED_PER_PERIOD children, drawn from the seed
   * and the period among those whose formula score leaves room (0.01 … 9.99), published 0.01 above
   * or below the formula.
   */
  private plant(period: PortalPeriod, children: { m: PortalUnit; a: Aggregate }[]): Map<string, number> {
    const candidates = children
      .map(({ m, a }) => ({ m, formula: valuesOf(m, period, [], a, 0).payment.formulaScore }))
      .filter((c) => c.formula >= 0.01 && c.formula <= 9.99)
      .map((c) => ({ code: c.m.portalCode, u: uniform('payment-planted', period.kind, period.start, c.m.gsoCode, this.seed, 'portal') }))
      .sort((a, b) => a.u - b.u)
      .slice(0, PLANTED_PER_PERIOD);
    return new Map(candidates.map((c) => [c.code, uniform('payment-sign', period.kind, period.start, c.code, this.seed, 'portal') < 0.5 ? -0.01 : 0.01]));
  }

  private plantedOf(code: string, delta: number, children: PortalUnitValues[]): PlantedDifference {
    const c = children.find((x) => x.unit.portalCode === code)!;
    return { portalCode: code, gsoCode: c.unit.gsoCode, formulaScore: c.payment.formulaScore, published: c.payment.score, delta };
  }
}

// ---------------------------------------------------------------- the demo's book, for tests and other helpers

const books = new Map<string, PortalBook>();

/** The book of the demo register (hanoiSimUnits), per seed. */
export function demoPortalBook(seed: string): PortalBook {
  let book = books.get(seed);
  if (!book) {
    book = new PortalBook(seed, hanoiSimUnits());
    books.set(seed, book);
  }
  return book;
}

/**
 * What the simulated portal publishes for a unit and period at `now`, the demo register's: the six
 * published group scores (`scores`, `total`) and every count behind them (per group, and as stored:
 * `metrics` by catalogue key). `code`: a portal code (H26, H26.05, H26.100), a portal id or a GSO
 * code (01, 01-S05, 00004). null: the unit is not listed for that period (not in force, or no month
 * of the period published yet); the province then has `months: []` and zeros.
 */
export function portalValues(seed: string, code: string, period: PortalPeriod, now: Date): PortalUnitValues | null {
  return demoPortalBook(seed).values(code, period, now);
}

/**
 * The payment scores published 0.01 off the formula in a period (at `now`), the demo register's:
 * PLANTED_PER_PERIOD children (none when nothing is published), with the formula's score and the published one.
 */
export function plantedPaymentDifferences(seed: string, period: PortalPeriod, now: Date): PlantedDifference[] {
  return demoPortalBook(seed).period(period, now).planted;
}
