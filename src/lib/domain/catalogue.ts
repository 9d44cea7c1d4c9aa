/**
 * The metric catalogue and the built-in indicator scheme, as the seed writes them into the
 * `metrics` and `indicators` tables. The database is the truth at run time; this file is the
 * seed's source and the unit tests' reference.
 */

export const METRIC_FAMILIES = ['dossier', 'eid', 'payment', 'task'] as const;
export type MetricFamily = (typeof METRIC_FAMILIES)[number];
export const METRIC_AGGREGATIONS = ['flow', 'stock'] as const;
/** How often a source reports a metric (also the unit a stock looks back to: `date_trunc(cadence, …)`). */
export const METRIC_CADENCES = ['day', 'month'] as const;
export const METRIC_UNITS = ['count', 'vnd'] as const;
export const INDICATOR_DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

export interface MetricDef {
  key: string;
  family: MetricFamily;
  /** flow: adds up over days; stock: the last value at the end of the period counts. Both add up over units. */
  aggregation: (typeof METRIC_AGGREGATIONS)[number];
  /**
   * How often the source reports it. A stock reported monthly (on the month's first day) still
   * counts for every day of that month: stocks look back to the start of their cadence.
   */
  cadence: (typeof METRIC_CADENCES)[number];
  unit: (typeof METRIC_UNITS)[number];
  /** A part can never exceed its whole in one row: a row that says so is rejected. */
  partOf?: string;
  nameVi: string;
  nameEn: string;
}

const m = (key: string, family: MetricFamily, aggregation: MetricDef['aggregation'], nameVi: string, nameEn: string, extra: Partial<MetricDef> = {}): MetricDef => ({
  key, family, aggregation, cadence: 'day', unit: 'count', nameVi, nameEn, ...extra
});

export const METRICS: readonly MetricDef[] = [
  m('dossier.received', 'dossier', 'flow', 'Hồ sơ tiếp nhận', 'Dossiers received'),
  m('dossier.received_online', 'dossier', 'flow', 'Tiếp nhận trực tuyến', 'Received online', { partOf: 'dossier.received' }),
  m('dossier.resolved', 'dossier', 'flow', 'Đã giải quyết', 'Resolved'),
  m('dossier.resolved_on_time', 'dossier', 'flow', 'Giải quyết đúng hạn', 'Resolved on time', { partOf: 'dossier.resolved' }),
  m('dossier.pending_on_time', 'dossier', 'flow', 'Đang giải quyết trong hạn', 'Pending, on time'),
  m('dossier.pending_overdue', 'dossier', 'flow', 'Đang giải quyết quá hạn', 'Pending, overdue'),
  m('dossier.digitized', 'dossier', 'flow', 'Hồ sơ được số hóa', 'Dossiers digitized', { partOf: 'dossier.received' }),
  m('dossier.with_fee', 'dossier', 'flow', 'Hồ sơ có phí, lệ phí', 'Dossiers with a fee', { partOf: 'dossier.received' }),
  m('dossier.paid_online', 'dossier', 'flow', 'Thanh toán trực tuyến', 'Paid online', { partOf: 'dossier.with_fee' }),
  m('eid.eligible', 'eid', 'stock', 'Công dân đủ điều kiện', 'Citizens eligible'),
  m('eid.collected_level2', 'eid', 'stock', 'Đã thu nhận mức 2', 'Level-2 collected', { partOf: 'eid.eligible' }),
  m('eid.activated', 'eid', 'stock', 'Đã kích hoạt', 'Accounts activated', { partOf: 'eid.collected_level2' }),
  m('payment.welfare_recipients', 'payment', 'stock', 'Đối tượng hưởng an sinh', 'Welfare recipients', { cadence: 'month' }),
  m('payment.welfare_cashless', 'payment', 'stock', 'Nhận qua tài khoản', 'Paid cashless', { cadence: 'month', partOf: 'payment.welfare_recipients' }),
  m('payment.welfare_amount', 'payment', 'flow', 'Tổng tiền chi trả', 'Amount paid', { cadence: 'month', unit: 'vnd' }),
  m('payment.welfare_amount_cashless', 'payment', 'flow', 'Tiền chi qua tài khoản', 'Amount paid cashless', {
    cadence: 'month', unit: 'vnd', partOf: 'payment.welfare_amount'
  }),
  m('task.completed_on_time', 'task', 'flow', 'Hoàn thành đúng hạn', 'Completed on time'),
  m('task.completed_late', 'task', 'flow', 'Hoàn thành quá hạn', 'Completed late'),
  m('task.open_in_time', 'task', 'stock', 'Đang thực hiện trong hạn', 'Open, within deadline'),
  m('task.open_overdue', 'task', 'stock', 'Chưa hoàn thành, quá hạn', 'Open, overdue')
];

/** Per family: the metrics a task list yields (derived from the tasks, not reported as counts). */
export const TASK_METRICS = ['task.completed_on_time', 'task.completed_late', 'task.open_in_time', 'task.open_overdue'] as const;

export interface IndicatorDef {
  key: string;
  family: MetricFamily;
  nameVi: string;
  nameEn: string;
  /** Metrics summed into the numerator / denominator (ratio of sums). */
  numerator: readonly string[];
  denominator: readonly string[];
  direction: IndicatorDirection;
  maxPoints: number;
  /** The ratio at which full points are earned (1 = 100 %). */
  saturation: number;
  /** What one more unit of the numerator is called, for "12 more … " gaps. */
  numeratorNounVi: string;
}

/**
 * The default operations scheme over the four families, 100 points. The dossier part follows the
 * national 766 index (progress 20 at 100 %; online submission 12, full at 50 %; digitisation,
 * full at 80 %; online payment 10); e-ID activation and cashless welfare carry the Project 06 and
 * Directive 21 targets; tasks split into completion (Government Office headline) and timeliness.
 */
export const DEFAULT_SCHEME = {
  key: 'operations',
  version: 1,
  nameVi: 'Bộ chỉ số điều hành',
  nameEn: 'Operations scheme',
  indicators: [
    {
      key: 'dossier.on_time', family: 'dossier', nameVi: 'Hồ sơ đúng hạn', nameEn: 'Dossiers on time',
      numerator: ['dossier.resolved_on_time', 'dossier.pending_on_time'], denominator: ['dossier.received'],
      direction: 'higher_is_better', maxPoints: 20, saturation: 1, numeratorNounVi: 'hồ sơ đúng hạn'
    },
    {
      key: 'dossier.online', family: 'dossier', nameVi: 'Tiếp nhận trực tuyến', nameEn: 'Submitted online',
      numerator: ['dossier.received_online'], denominator: ['dossier.received'],
      direction: 'higher_is_better', maxPoints: 12, saturation: 0.5, numeratorNounVi: 'hồ sơ trực tuyến'
    },
    {
      key: 'dossier.digitized', family: 'dossier', nameVi: 'Số hóa hồ sơ', nameEn: 'Dossiers digitized',
      numerator: ['dossier.digitized'], denominator: ['dossier.received'],
      direction: 'higher_is_better', maxPoints: 12, saturation: 0.8, numeratorNounVi: 'hồ sơ được số hóa'
    },
    {
      key: 'dossier.paid_online', family: 'dossier', nameVi: 'Thanh toán trực tuyến', nameEn: 'Fees paid online',
      numerator: ['dossier.paid_online'], denominator: ['dossier.with_fee'],
      direction: 'higher_is_better', maxPoints: 10, saturation: 1, numeratorNounVi: 'hồ sơ thanh toán trực tuyến'
    },
    {
      key: 'eid.activation', family: 'eid', nameVi: 'Kích hoạt định danh điện tử', nameEn: 'e-ID activation',
      numerator: ['eid.activated'], denominator: ['eid.collected_level2'],
      direction: 'higher_is_better', maxPoints: 16, saturation: 1, numeratorNounVi: 'tài khoản được kích hoạt'
    },
    {
      key: 'payment.cashless', family: 'payment', nameVi: 'Chi trả an sinh không dùng tiền mặt', nameEn: 'Cashless welfare',
      numerator: ['payment.welfare_cashless'], denominator: ['payment.welfare_recipients'],
      direction: 'higher_is_better', maxPoints: 15, saturation: 1, numeratorNounVi: 'người nhận qua tài khoản'
    },
    {
      key: 'task.completed', family: 'task', nameVi: 'Hoàn thành nhiệm vụ', nameEn: 'Tasks completed',
      numerator: ['task.completed_on_time', 'task.completed_late'],
      denominator: ['task.completed_on_time', 'task.completed_late', 'task.open_overdue'],
      direction: 'higher_is_better', maxPoints: 10, saturation: 1, numeratorNounVi: 'nhiệm vụ hoàn thành'
    },
    {
      key: 'task.on_time', family: 'task', nameVi: 'Nhiệm vụ đúng hạn', nameEn: 'Tasks on time',
      numerator: ['task.completed_on_time'], denominator: ['task.completed_on_time', 'task.completed_late'],
      direction: 'higher_is_better', maxPoints: 5, saturation: 1, numeratorNounVi: 'nhiệm vụ hoàn thành đúng hạn'
    }
  ] satisfies IndicatorDef[]
} as const;

/** A rating band as a scheme carries it: a total at or above `min` earns `name` (best first). */
export interface SchemeBandDef {
  name: string;
  min: number;
}

export interface SchemeDef {
  key: string;
  version: number;
  nameVi: string;
  nameEn: string;
  /** The label of the scheme choice on the overview (short; the full name is the heading). */
  shortNameVi: string;
  indicators: readonly IndicatorDef[];
  /** Rating bands, best first; absent: the database default (Xuất sắc 90 / Tốt 80 / Khá 65 / Trung bình 50 / Yếu). */
  bands?: readonly SchemeBandDef[];
}

/** The scheme a board, a page or an API call means when it names none. */
export const DEFAULT_SCHEME_KEY = 'operations';

/**
 * The progress group of the national 766 index (Decision 766/QĐ-TTg), reproduced exactly so a
 * province can check the dashboard against the national portal: one indicator,
 * `20 × (resolved on time + pending on time) / received`, two decimals (saturation 1, so the points
 * are 20 × the ratio, rounded as `points()` rounds). The indicator has the key of the operations
 * scheme's first indicator on purpose: the same ratio of the same metrics with the same 20 points, so
 * drill-downs, series and KPI trends that name `dossier.on_time` mean the same thing on both boards.
 *
 * Bands: the portal publishes none for a group (domain.md: "Rating bands are not fixed in any
 * text found"), so the operations bands (90 / 80 / 65 / 50 of 100) are scaled to its 20 points:
 * 18 / 16 / 13 / 10. The same share of the maximum earns the same word on both boards.
 */
export const NATIONAL_766_SCHEME = {
  key: 'national_766',
  version: 1,
  nameVi: 'Chỉ số 766 — nhóm tiến độ giải quyết',
  nameEn: 'Decision 766 — resolution progress',
  shortNameVi: 'Chỉ số 766 (tiến độ)',
  indicators: [
    {
      key: 'dossier.on_time', family: 'dossier', nameVi: 'Tiến độ giải quyết', nameEn: 'Resolution progress',
      numerator: ['dossier.resolved_on_time', 'dossier.pending_on_time'], denominator: ['dossier.received'],
      direction: 'higher_is_better', maxPoints: 20, saturation: 1, numeratorNounVi: 'hồ sơ đúng hạn'
    }
  ] satisfies IndicatorDef[],
  bands: [
    { name: 'Xuất sắc', min: 18 },
    { name: 'Tốt', min: 16 },
    { name: 'Khá', min: 13 },
    { name: 'Trung bình', min: 10 },
    { name: 'Yếu', min: 0 }
  ]
} as const satisfies SchemeDef;

/** The built-in schemes, as the seed writes them (each active in its version 1). */
export const SCHEMES: readonly SchemeDef[] = [{ ...DEFAULT_SCHEME, shortNameVi: 'Bộ chỉ số điều hành' }, NATIONAL_766_SCHEME];

/** Family names for headings and badges. */
export const FAMILY_NAMES: Record<MetricFamily, { vi: string; en: string }> = {
  dossier: { vi: 'Hồ sơ TTHC', en: 'Dossiers' },
  eid: { vi: 'Định danh điện tử', en: 'e-ID' },
  payment: { vi: 'Không dùng tiền mặt', en: 'Cashless' },
  task: { vi: 'Nhiệm vụ được giao', en: 'Assigned tasks' }
};
