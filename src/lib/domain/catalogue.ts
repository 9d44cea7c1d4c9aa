/**
 * The metric catalogue and the built-in indicator scheme, as the seed writes them into the
 * `metrics` and `indicators` tables. The database is the truth at run time; this file is the
 * seed's source and the unit tests' reference.
 */

export const METRIC_FAMILIES = ['dossier', 'eid', 'payment', 'task'] as const;
export type MetricFamily = (typeof METRIC_FAMILIES)[number];
export const METRIC_AGGREGATIONS = ['flow', 'stock'] as const;
/** How often a source reports a metric (also the unit a stock looks back to: `date_trunc(cadence, …)`). */
export const METRIC_CADENCES = ['day', 'month', 'quarter', 'year'] as const;
/** points: a score as its publisher gave it (the portal's group scores); never added up across periods. */
export const METRIC_UNITS = ['count', 'vnd', 'points'] as const;
/**
 * What an indicator earns when its denominator is 0: none (no points: the indicator does not apply,
 * or under a summed total counts 0 and shows "—"), zero (0 points, still ranked: 766 progress with
 * no dossier received), full (full points: 766 petitions when there were none).
 */
export const ZERO_DENOMINATOR_RULES = ['none', 'zero', 'full'] as const;
export type ZeroDenominatorRule = (typeof ZERO_DENOMINATOR_RULES)[number];
/**
 * How a scheme's total is made: scaled (Σ points over the indicators that apply, rescaled to the
 * scheme's maximum: the operations scheme) or sum (the plain sum of the rounded points, an indicator
 * without points counting 0: the national 766 index, as the portal adds its groups).
 */
export const TOTAL_RULES = ['scaled', 'sum'] as const;
export type TotalRule = (typeof TOTAL_RULES)[number];
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
  /**
   * A value of a period (a month, a quarter, a year as its publisher gives it), not of a day: stored
   * in `period_samples` with its period, read only by boards of those period kinds (docs/portal-766.md).
   */
  periodic?: boolean;
  nameVi: string;
  nameEn: string;
}

const m = (key: string, family: MetricFamily, aggregation: MetricDef['aggregation'], nameVi: string, nameEn: string, extra: Partial<MetricDef> = {}): MetricDef => ({
  key, family, aggregation, cadence: 'day', unit: 'count', nameVi, nameEn, ...extra
});

/** The six groups of the national 766 index, 100 points (../shared/portal-766.md). */
export const PORTAL_766_GROUPS = [
  { key: 'transparency', nameVi: 'Công khai, minh bạch', nameEn: 'Transparency', maxPoints: 18, publishedMetric: 'p766.score.transparency' },
  { key: 'progress', nameVi: 'Tiến độ giải quyết', nameEn: 'Resolution progress', maxPoints: 20, publishedMetric: 'p766.score.progress' },
  { key: 'online', nameVi: 'Dịch vụ công trực tuyến', nameEn: 'Online public services', maxPoints: 12, publishedMetric: 'p766.score.online', publishedOnly: true },
  { key: 'payment', nameVi: 'Thanh toán trực tuyến', nameEn: 'Online payment', maxPoints: 10, publishedMetric: 'p766.score.payment' },
  { key: 'satisfaction', nameVi: 'Mức độ hài lòng', nameEn: 'Satisfaction', maxPoints: 18, publishedMetric: 'p766.score.satisfaction' },
  { key: 'digitization', nameVi: 'Số hóa hồ sơ', nameEn: 'Digitisation', maxPoints: 22, publishedMetric: 'p766.score.digitization' }
] as const satisfies readonly SchemeGroupDef[];

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
  m('task.open_overdue', 'task', 'stock', 'Chưa hoàn thành, quá hạn', 'Open, overdue'),
  ...portal766Metrics()
];

/**
 * The fields the national portal scores its 766 index on (../shared/portal-766.md), each stored per
 * unit and period as the portal gives it: `<code>.n` / `.d` a sub-indicator's numerator and
 * denominator; the payment group's six counts under the portal's own field names; `.score` a score
 * the portal publishes (a group's, or a sub-indicator it gives no counts for).
 */
function portal766Metrics(): MetricDef[] {
  const p = (key: string, nameVi: string, nameEn: string, extra: Partial<MetricDef> = {}) =>
    m(`p766.${key}`, 'dossier', 'flow', nameVi, nameEn, { cadence: 'month', periodic: true, ...extra });
  const pair = (code: string, nVi: string, dVi: string, en: string) => [
    p(`${code}.n`, nVi, `${en} (numerator)`, { partOf: `p766.${code}.d` }),
    p(`${code}.d`, dVi, `${en} (denominator)`)
  ];
  const score = (key: string, nameVi: string, nameEn: string) => p(key, nameVi, nameEn, { unit: 'points' });
  return [
    ...pair('publish_on_time', 'TTHC công bố đúng hạn', 'TTHC phải công bố', 'Procedures published on time'),
    ...pair('public_update_on_time', 'TTHC cập nhật công khai đúng hạn', 'TTHC phải cập nhật công khai', 'Procedures updated on time'),
    ...pair('public_content_full', 'TTHC công khai đầy đủ nội dung', 'TTHC phải công khai', 'Procedures with full content'),
    ...pair('dossier_sync', 'Hồ sơ đồng bộ lên Cổng DVCQG', 'Hồ sơ phải đồng bộ', 'Dossiers synced to the portal'),
    ...pair('progress', 'Hồ sơ đúng hạn (Cổng DVCQG)', 'Hồ sơ tiếp nhận (Cổng DVCQG)', 'Dossiers on time (portal)'),
    p('dossier_online_payment_success', 'Hồ sơ thanh toán trực tuyến thành công', 'Dossiers paid online', { partOf: 'p766.dossier_financial_obligation' }),
    p('dossier_financial_obligation', 'Hồ sơ có nghĩa vụ tài chính', 'Dossiers with a financial obligation'),
    p('dossier_online_formality_payment_success', 'TTHC có hồ sơ thanh toán trực tuyến', 'Procedures paid online', { partOf: 'p766.fee_formality' }),
    p('fee_dossier_formality_distinct', 'TTHC có hồ sơ thu phí (không trùng)', 'Procedures with fee dossiers (distinct)'),
    p('fee_dossier_formality', 'TTHC có phát sinh hồ sơ thu phí', 'Procedures with fee dossiers', { partOf: 'p766.fee_formality' }),
    p('fee_formality', 'TTHC có thu phí, lệ phí', 'Procedures with a fee'),
    ...pair('dossier_receiving_satisfaction', 'Đánh giá hài lòng về tiếp nhận', 'Lượt đánh giá tiếp nhận', 'Satisfied with reception'),
    ...pair('petition_processing_on_time', 'Phản ánh xử lý đúng hạn', 'Phản ánh, kiến nghị', 'Petitions handled on time'),
    ...pair('petition_handling_satisfaction', 'Phản ánh được hài lòng', 'Phản ánh đã xử lý', 'Petitions handled to satisfaction'),
    ...pair('original_result_available', 'Hồ sơ có kết quả bản gốc điện tử', 'Hồ sơ đã có kết quả', 'Results issued electronically'),
    ...pair('so_hoa_giay_to_giai_quyet', 'Hồ sơ số hóa giấy tờ khi giải quyết', 'Hồ sơ đã giải quyết', 'Documents digitised when resolved'),
    ...pair('reused_digitized_data', 'Hồ sơ tái sử dụng dữ liệu số hóa', 'Hồ sơ tiếp nhận', 'Dossiers reusing digitised data'),
    ...pair('synced_with_dvcqg_personal_storage', 'Kết quả đồng bộ kho dữ liệu cá nhân', 'Kết quả đã cấp', 'Results synced to personal storage'),
    ...pair('citizen_data_connected_dossier', 'Hồ sơ khai thác dữ liệu dân cư', 'Hồ sơ tiếp nhận', 'Dossiers using the population data'),
    ...pair('citizen_data_connected_formality', 'TTHC khai thác dữ liệu dân cư', 'TTHC phải kết nối', 'Procedures using the population data'),
    score('electronic_certified_copy.score', 'Điểm chứng thực bản sao điện tử (Cổng công bố)', 'Electronic certified copies: published score'),
    ...PORTAL_766_GROUPS.map((g) => score(`score.${g.key}`, `Điểm nhóm ${g.nameVi.toLowerCase()} (Cổng công bố)`, `${g.nameEn}: published score`))
  ];
}

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
  /** The scheme group it belongs to (SchemeGroupDef.key); absent: the scheme has no groups. */
  group?: string;
  /** What it earns when the denominator is 0 (absent: none). */
  zeroDenominator?: ZeroDenominatorRule;
  /** Its points are the publisher's score as is (Σ the numerator metrics, unit points): no formula, no counts. */
  published?: boolean;
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

/** A group of a scheme's indicators with its own maximum (the 766 index's six groups). */
export interface SchemeGroupDef {
  key: string;
  nameVi: string;
  nameEn: string;
  maxPoints: number;
  /**
   * The metric that carries the publisher's own score of the group (the portal's), for the
   * reconciliation and for ranking on the published total; absent: nothing is published.
   */
  publishedMetric?: string;
  /** The group's score cannot be re-derived: the published one is taken as is ("theo công bố của Cổng DVCQG"). */
  publishedOnly?: boolean;
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
  /** Groups of indicators (absent: none). */
  groups?: readonly SchemeGroupDef[];
  /** How the total is made (absent: scaled). */
  totalRule?: TotalRule;
  /** The period kinds its boards exist for (absent: every kind). */
  periodKinds?: readonly string[];
}

/** The scheme a board, a page or an API call means when it names none. */
export const DEFAULT_SCHEME_KEY = 'operations';

/**
 * The progress group of the national 766 index (Decision 766/QĐ-TTg), computed from the city's own
 * dossier counts on every period (a day, a week, a reporting month), so a province can check its own
 * systems against the national portal (the full index from the portal itself: NATIONAL_766_SCHEME): one indicator,
 * `20 × (resolved on time + pending on time) / received`, two decimals (saturation 1, so the points
 * are 20 × the ratio, rounded as `points()` rounds). The indicator has the key of the operations
 * scheme's first indicator on purpose: the same ratio of the same metrics with the same 20 points, so
 * drill-downs, series and KPI trends that name `dossier.on_time` mean the same thing on both boards.
 *
 * Bands: the portal publishes none for a group (domain.md: "Rating bands are not fixed in any
 * text found"), so the operations bands (90 / 80 / 65 / 50 of 100) are scaled to its 20 points:
 * 18 / 16 / 13 / 10. The same share of the maximum earns the same word on both boards.
 */
export const NATIONAL_766_PROGRESS_SCHEME = {
  key: 'national_766_progress',
  version: 1,
  nameVi: 'Chỉ số 766 — tiến độ giải quyết (số liệu của thành phố)',
  nameEn: 'Decision 766 — resolution progress',
  shortNameVi: '766: tiến độ (số liệu thành phố)',
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

/**
 * The national 766 index (Decision 766/QĐ-TTg) as the national portal scores it: six groups, 100
 * points, every sub-indicator `max × min(1, ratio / saturation)` rounded half-up to 2 decimals, a
 * group the sum of its rounded parts, the total the sum of the groups (a sub-indicator without points
 * counts 0). Zero denominators as the portal treats them: progress 0 received → 0 points and ranked;
 * transparency and digitisation → not counted (no points); petitions → full marks when there are none.
 * The online-services group cannot be re-derived from what the portal answers: its published score
 * is taken as is. Unconfirmed rules (the spec's "unconfirmed") are taken as the spec's best reading
 * and named in docs/portal-766.md; the reconciliation shows every unit where they disagree.
 */
export const NATIONAL_766_SCHEME = {
  key: 'national_766',
  version: 1,
  nameVi: 'Chỉ số 766 — Bộ chỉ số phục vụ người dân, doanh nghiệp',
  nameEn: 'Decision 766 index',
  shortNameVi: 'Chỉ số 766 (Cổng DVCQG)',
  totalRule: 'sum',
  periodKinds: ['month', 'quarter', 'year'],
  groups: PORTAL_766_GROUPS,
  indicators: [
    p766('transparency', 'publish_on_time', 'Công bố TTHC đúng hạn', 'Published on time', 6, 1, 'none', 'TTHC công bố đúng hạn'),
    p766('transparency', 'public_update_on_time', 'Cập nhật, công khai TTHC đúng hạn', 'Updated on time', 4, 1, 'none', 'TTHC cập nhật đúng hạn'),
    p766('transparency', 'public_content_full', 'Công khai đầy đủ nội dung TTHC', 'Full public content', 2, 1, 'none', 'TTHC công khai đầy đủ'),
    p766('transparency', 'dossier_sync', 'Đồng bộ hồ sơ lên Cổng DVCQG', 'Dossiers synced', 6, 1, 'none', 'hồ sơ được đồng bộ'),
    p766('progress', 'progress', 'Giải quyết hồ sơ đúng hạn', 'Resolved on time', 20, 1, 'zero', 'hồ sơ đúng hạn'),
    published766('online', 'online', 'p766.score.online', 'Cung cấp dịch vụ công trực tuyến', 'Online public services', 12),
    counts766('payment', 'payment_dossiers', 'p766.dossier_online_payment_success', 'p766.dossier_financial_obligation',
      'Hồ sơ thanh toán trực tuyến', 'Dossiers paid online', 6, 1, 'zero', 'hồ sơ thanh toán trực tuyến'),
    counts766('payment', 'payment_formalities', 'p766.dossier_online_formality_payment_success', 'p766.fee_formality',
      'TTHC có thanh toán trực tuyến', 'Procedures paid online', 2, 0.8, 'zero', 'TTHC có thanh toán trực tuyến'),
    counts766('payment', 'payment_fee_dossiers', 'p766.fee_dossier_formality', 'p766.fee_formality',
      'TTHC có phát sinh hồ sơ thu phí', 'Procedures with fee dossiers', 2, 0.8, 'zero', 'TTHC phát sinh hồ sơ thu phí'),
    p766('satisfaction', 'dossier_receiving_satisfaction', 'Hài lòng về tiếp nhận hồ sơ', 'Satisfied with reception', 6, 0.9, 'zero', 'lượt đánh giá hài lòng'),
    p766('satisfaction', 'petition_processing_on_time', 'Xử lý phản ánh, kiến nghị đúng hạn', 'Petitions on time', 6, 1, 'full', 'phản ánh xử lý đúng hạn'),
    p766('satisfaction', 'petition_handling_satisfaction', 'Hài lòng về xử lý phản ánh', 'Petitions to satisfaction', 6, 1, 'full', 'phản ánh được hài lòng'),
    p766('digitization', 'original_result_available', 'Kết quả điện tử bản gốc', 'Electronic original results', 6, 1, 'none', 'hồ sơ có kết quả điện tử'),
    p766('digitization', 'so_hoa_giay_to_giai_quyet', 'Số hóa giấy tờ khi giải quyết', 'Documents digitised', 4, 1, 'none', 'hồ sơ được số hóa'),
    p766('digitization', 'reused_digitized_data', 'Tái sử dụng dữ liệu số hóa', 'Digitised data reused', 2, 0.8, 'none', 'hồ sơ tái sử dụng dữ liệu'),
    p766('digitization', 'synced_with_dvcqg_personal_storage', 'Đồng bộ kho dữ liệu cá nhân', 'Synced to personal storage', 4, 1, 'none', 'kết quả được đồng bộ'),
    p766('digitization', 'citizen_data_connected_dossier', 'Hồ sơ khai thác dữ liệu dân cư', 'Dossiers using population data', 2, 1, 'none', 'hồ sơ khai thác dữ liệu dân cư'),
    p766('digitization', 'citizen_data_connected_formality', 'TTHC khai thác dữ liệu dân cư', 'Procedures using population data', 2, 1, 'none', 'TTHC khai thác dữ liệu dân cư'),
    published766('digitization', 'electronic_certified_copy', 'p766.electronic_certified_copy.score', 'Chứng thực bản sao điện tử', 'Electronic certified copies', 2)
  ] satisfies IndicatorDef[]
} as const satisfies SchemeDef;

/** A 766 sub-indicator scored from its counts `p766.<code>.n / .d`. */
function p766(
  group: string, code: string, nameVi: string, nameEn: string, maxPoints: number, saturation: number, zeroDenominator: ZeroDenominatorRule, noun: string
): IndicatorDef {
  return counts766(group, code, `p766.${code}.n`, `p766.${code}.d`, nameVi, nameEn, maxPoints, saturation, zeroDenominator, noun);
}

/** A 766 sub-indicator scored from two count metrics the portal names its own way (the payment group). */
function counts766(
  group: string, code: string, numerator: string, denominator: string, nameVi: string, nameEn: string, maxPoints: number, saturation: number,
  zeroDenominator: ZeroDenominatorRule, noun: string
): IndicatorDef {
  return {
    key: `p766.${code}`, family: 'dossier', group, nameVi, nameEn, numerator: [numerator], denominator: [denominator],
    direction: 'higher_is_better', maxPoints, saturation, zeroDenominator, numeratorNounVi: noun
  };
}

/** A 766 sub-indicator whose points are the portal's published score, as is (no counts behind it). */
function published766(group: string, code: string, scoreMetric: string, nameVi: string, nameEn: string, maxPoints: number): IndicatorDef {
  return {
    key: `p766.${code}`, family: 'dossier', group, nameVi, nameEn, numerator: [scoreMetric], denominator: [],
    direction: 'higher_is_better', maxPoints, saturation: 1, numeratorNounVi: 'điểm', published: true
  };
}

/** The built-in schemes, as the seed writes them (each active in its version 1). */
export const SCHEMES: readonly SchemeDef[] = [{ ...DEFAULT_SCHEME, shortNameVi: 'Bộ chỉ số điều hành' }, NATIONAL_766_SCHEME, NATIONAL_766_PROGRESS_SCHEME];

/** Family names for headings and badges. */
export const FAMILY_NAMES: Record<MetricFamily, { vi: string; en: string }> = {
  dossier: { vi: 'Hồ sơ TTHC', en: 'Dossiers' },
  eid: { vi: 'Định danh điện tử', en: 'e-ID' },
  payment: { vi: 'Không dùng tiền mặt', en: 'Cashless' },
  task: { vi: 'Nhiệm vụ được giao', en: 'Assigned tasks' }
};
