/**
 * The national public-service portal (Cổng Dịch vụ công quốc gia): its evaluation API of the 766
 * index for the demo province (Hà Nội, H26), in the portal's own shapes (../shared/portal-766.md).
 * The values are portal.ts' (PortalBook); this file is the wire.
 *
 *   POST /api/v1/reporting/evaluation/transparency                   evaluation  18 points
 *   POST /api/v1/reporting/evaluation/dvc-progress-tree              tree        20
 *   POST /api/v1/reporting/evaluation/provide-online-tree            tree        12
 *   POST /api/v1/reporting/evaluation/formality-online-payment-tree  tree        10
 *   POST /api/v1/reporting/evaluation/handling-satisfaction          evaluation  18
 *   POST /api/v1/reporting/evaluation/dossier-digitized              evaluation  22
 *
 * Body (JSON): `rootDepartmentId` (Hà Nội's UUID, the portal_id of H26 in hanoi-portal.csv),
 * `currentPage` (1-based, default 1), `pageSize` (1…1000, default 20), and the period:
 * `timeType` "month" | "quarter" | "year", `year`, `month` (1–12) or `quarter` (1–4); the
 * satisfaction endpoint instead takes `fromDate` / `toDate` (YYYY-MM-DD, inclusive), which must be
 * exactly one month, quarter or year. Numbers may come as numeric strings. `formalityId` (for
 * dossier-digitized `formalityID`), the per-procedure variant, is refused (400): the simulator has
 * no procedure catalogue.
 * No credentials: the recorded portal shows none, so none are asked (any header is ignored).
 *
 * Answers: HTTP 201, `{"code":"OK","data":{…},"message":"OK"}`.
 * - tree: `data.parent` (the province, counts summed over its children; formality counts of the
 *   payment tree province-wide distinct), `data.children[]` (one page of them), `data.monthlyChart`
 *   (progress, online). No pagination object (unconfirmed on the real portal): a page past the end
 *   has `children: []`.
 * - evaluation: `data.overview` (the province), `data.evaluation[]` (one page), `data.pagination`
 *   {total, currentPage, pageSize, totalPages}, `data.source`; transparency also `monthlyChart: []`.
 * Children: the agencies (tree `level` PROVINCE; evaluation PROVINCIAL_DEPARTMENT / PROVINCE /
 * level_2) and communes (COMMUNE; COMMUNE_PEOPLE_COMMITTEE / COMMUNE / level_2) together, ordered as
 * strings by portal code, `stt` their row number over all pages, `scoreDelta` null; transparency and
 * satisfaction children have no `departmentCode` (match them by `departmentId`).
 * - A period not published yet (a month is from the 3rd of the next month, ICT): the parent /
 *   overview with zeros and no child (`children: []`, `evaluation: []`, pagination total 0); a
 *   quarter or year in progress: the sum of its published months.
 * - `rootDepartmentId` not a UUID: 400. A UUID that is not Hà Nội's (another province, a child, a
 *   typo): 201 with nothing in it (`parent: null` / `overview: null`, no child), as a reporting
 *   query filtered on an unknown root answers: a misconfigured source sees an empty answer.
 * Errors: `{"code":"BAD_REQUEST","data":null,"message":"<Vietnamese>"}` (400), 405 on GET, 5xx.
 *
 * Troubles (system `portal` of faults.ts): every fault of the other systems (latency for its slow
 * answers, http_5xx, timeout, reset, malformed, oversize, drip, and the row faults on the children of
 * the page); and, with no fault set, the end-of-month rush: on the last two days of a month and the
 * 1st of the next (ICT, the simulator's clock), RUSH_SHARE of the requests, drawn from the seed and
 * the request's number, answer 502, 503 or 504 from the gateway (an nginx HTML page). Fault `rush`
 * brings the rush on any day, `no_rush` switches it off; so does the option `portalRush: false`.
 */
import { today } from '#domain/periods';
import { uniform } from '#server/seed/random';
import { portalIdOf } from '#server/seed/portal-codes';
import type { FaultKind, RowCorruptions } from './faults.ts';
import { OVERSIZE_BYTES, cutInHalf } from './faults.ts';
import { jsonAnswer, oversizeJson, type Answer, type SystemApi, type SystemContext } from './http.ts';
import {
  GROUP_MAX, PortalBook, lastDayOf, percent, portalPeriod, type MetricRow, type MonthlyPoint, type PortalPeriod, type PortalPeriodValues, type PortalUnitValues
} from './portal.ts';

export const PORTAL_BASE = '/api/v1/reporting/';
export const PORTAL_PATHS = {
  transparency: `${PORTAL_BASE}evaluation/transparency`,
  progress: `${PORTAL_BASE}evaluation/dvc-progress-tree`,
  online: `${PORTAL_BASE}evaluation/provide-online-tree`,
  payment: `${PORTAL_BASE}evaluation/formality-online-payment-tree`,
  satisfaction: `${PORTAL_BASE}evaluation/handling-satisfaction`,
  digitization: `${PORTAL_BASE}evaluation/dossier-digitized`
} as const;
export type PortalEndpoint = keyof typeof PORTAL_PATHS;

export const PORTAL_DEFAULT_PAGE_SIZE = 20;
export const PORTAL_MAX_PAGE_SIZE = 1000;
/** The share of requests the gateway fails in the end-of-month rush. */
export const RUSH_SHARE = 1 / 3;
export const RUSH_STATUSES = [502, 503, 504] as const;

type Json = Record<string, unknown>;

/** What an answer carries beside its page of children. */
interface PortalFrame {
  shape: 'tree' | 'evaluation';
  /** The parent (tree) or overview (evaluation); null for an unknown root. */
  head: Json | null;
  /** monthlyChart, pagination, source: in the order they are written after the children. */
  after: Json;
}

export const envelope = (data: unknown) => ({ code: 'OK', data, message: 'OK' });

const ERROR_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT'
};

export function portalError(status: number, message: string): Answer {
  return jsonAnswer(status, { code: ERROR_CODES[status] ?? 'ERROR', data: null, message });
}

// ---------------------------------------------------------------- the request

export interface PortalQuery {
  period: PortalPeriod;
  /** Whether rootDepartmentId is the province's; false: a UUID the portal has nothing for. */
  known: boolean;
  page: number;
  pageSize: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An integer, or a string of digits (a Java backend binds "2026" to an int); null otherwise. */
function integer(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

function validDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00Z`);
  return DATE.test(date) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** fromDate/toDate as the one month, quarter or year they span exactly; null otherwise. */
export function periodOfDates(from: string, to: string): PortalPeriod | null {
  if (from.slice(8) !== '01') return null;
  const year = Number(from.slice(0, 4));
  const month = Number(from.slice(5, 7));
  if (to === lastDayOf(from.slice(0, 7))) return portalPeriod('month', year, month);
  if (month % 3 === 1 && to === lastDayOf(`${from.slice(0, 4)}-${String(month + 2).padStart(2, '0')}`)) return portalPeriod('quarter', year, (month + 2) / 3);
  if (month === 1 && to === `${year}-12-31`) return portalPeriod('year', year);
  return null;
}

const EXAMPLE_PERIOD = '{"timeType":"month","year":2026,"month":8,"rootDepartmentId":"<UUID>","currentPage":1,"pageSize":200}';
const EXAMPLE_DATES = '{"fromDate":"2026-08-01","toDate":"2026-08-31","rootDepartmentId":"<UUID>","currentPage":1,"pageSize":200}';

/** The body's query, or the Vietnamese message of its 400. */
export function parsePortalBody(text: string | undefined, options: { dates: boolean; formalityField: string; rootId: string }): PortalQuery | string {
  let body: unknown;
  try {
    body = JSON.parse(text ?? '');
  } catch {
    return `Nội dung yêu cầu phải là JSON, ví dụ ${options.dates ? EXAMPLE_DATES : EXAMPLE_PERIOD}`;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `Nội dung yêu cầu phải là một đối tượng JSON, ví dụ ${options.dates ? EXAMPLE_DATES : EXAMPLE_PERIOD}`;
  const b = body as Json;
  const root = b.rootDepartmentId;
  if (typeof root !== 'string' || !UUID.test(root.trim())) return `rootDepartmentId là bắt buộc và phải là UUID của tỉnh, thành phố (nhận được ${JSON.stringify(root ?? null)})`;
  const formality = b[options.formalityField];
  if (formality !== undefined && formality !== null && formality !== '') {
    return `Bản mô phỏng chưa có danh mục thủ tục hành chính: không lọc được theo ${options.formalityField}; bỏ trường này để lấy số liệu của mọi thủ tục`;
  }
  const page = b.currentPage === undefined || b.currentPage === null ? 1 : integer(b.currentPage);
  if (page === null || page < 1) return `currentPage phải là số nguyên từ 1 trở lên (nhận được ${JSON.stringify(b.currentPage)})`;
  const pageSize = b.pageSize === undefined || b.pageSize === null ? PORTAL_DEFAULT_PAGE_SIZE : integer(b.pageSize);
  if (pageSize === null || pageSize < 1 || pageSize > PORTAL_MAX_PAGE_SIZE) return `pageSize phải là số nguyên từ 1 đến ${PORTAL_MAX_PAGE_SIZE} (nhận được ${JSON.stringify(b.pageSize)})`;
  let period: PortalPeriod;
  if (options.dates) {
    const from = b.fromDate;
    const to = b.toDate;
    if (typeof from !== 'string' || typeof to !== 'string') return 'fromDate và toDate (YYYY-MM-DD) là bắt buộc';
    for (const [name, value] of [['fromDate', from], ['toDate', to]] as const) {
      if (!validDate(value)) return `${name} không hợp lệ (YYYY-MM-DD): ${JSON.stringify(value)}`;
    }
    if (from > to) return 'fromDate phải trước hoặc bằng toDate';
    const p = periodOfDates(from, to);
    if (!p) return `Khoảng thời gian từ ${from} đến ${to} phải đúng một tháng, một quý hoặc một năm (từ ngày đầu đến ngày cuối kỳ), ví dụ 2026-08-01 đến 2026-08-31`;
    period = p;
  } else {
    const kind = b.timeType;
    if (kind !== 'month' && kind !== 'quarter' && kind !== 'year') return `timeType phải là "month", "quarter" hoặc "year" (nhận được ${JSON.stringify(kind ?? null)})`;
    const year = integer(b.year);
    if (year === null || year < 2000 || year > 2100) return `year phải là năm, số nguyên từ 2000 đến 2100 (nhận được ${JSON.stringify(b.year ?? null)})`;
    if (kind === 'month') {
      const month = integer(b.month);
      if (month === null || month < 1 || month > 12) return `month phải là số nguyên từ 1 đến 12 khi timeType là "month" (nhận được ${JSON.stringify(b.month ?? null)})`;
      period = portalPeriod('month', year, month);
    } else if (kind === 'quarter') {
      const quarter = integer(b.quarter);
      if (quarter === null || quarter < 1 || quarter > 4) return `quarter phải là số nguyên từ 1 đến 4 khi timeType là "quarter" (nhận được ${JSON.stringify(b.quarter ?? null)})`;
      period = portalPeriod('quarter', year, quarter);
    } else period = portalPeriod('year', year);
  }
  return { period, known: root.trim().toLowerCase() === options.rootId, page, pageSize };
}

// ---------------------------------------------------------------- the shapes

const identity = (u: PortalUnitValues['unit'], withCode: boolean): Json => ({
  departmentId: u.portalId,
  departmentName: u.name,
  ...(withCode ? { departmentCode: u.portalCode } : {})
});

const treeLevel = (u: PortalUnitValues['unit']) => (u.kind === 'agency' ? 'PROVINCE' : 'COMMUNE');

function evaluationKind(u: PortalUnitValues['unit']): Json {
  if (u.kind === 'province') return { departmentType: 'PROVINCE', departmentLevel: 'PROVINCE', agencyLevel: 'level_1' };
  if (u.kind === 'agency') return { departmentType: 'PROVINCIAL_DEPARTMENT', departmentLevel: 'PROVINCE', agencyLevel: 'level_2' };
  return { departmentType: 'COMMUNE_PEOPLE_COMMITTEE', departmentLevel: 'COMMUNE', agencyLevel: 'level_2' };
}

/** A metric in the portal's field order. */
const metricJson = (r: MetricRow): Json => ({
  code: r.code,
  name: r.name,
  numerator: r.numerator,
  denominator: r.denominator,
  ratio: r.ratio,
  score: r.score,
  maxScore: r.maxScore,
  ...(r.dataQualityStatus ? { dataQualityStatus: r.dataQualityStatus, dataQualityMessage: r.dataQualityMessage } : {})
});

const mean2 = (xs: number[]) => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 100) / 100 : null);

interface EndpointDef {
  shape: 'tree' | 'evaluation';
  /** The satisfaction endpoint's fromDate/toDate instead of timeType. */
  dates: boolean;
  formalityField: string;
  withCode: boolean;
  source?: string;
  /** The parent or overview. */
  head(p: PortalPeriodValues): Json;
  /** A child, without its stt. */
  child(v: PortalUnitValues): Json;
  /** monthlyChart and the like, written after the children (evaluation: before pagination and source). */
  after(p: PortalPeriodValues, monthly: () => MonthlyPoint[]): Json;
  corrupt: RowCorruptions<Json>;
}

/** Corruptions of a child field: a count as text, a negative count, a part over its whole. */
function fieldCorruptions(count: string, negative: string, part: string, whole: string): RowCorruptions<Json> {
  return {
    wrongTypes: (r) => ({ ...r, [count]: String(r[count]) }),
    negative: (r) => ({ ...r, [negative]: -Math.max(1, Math.abs(Number(r[negative])) || 1) }),
    partExceedsWhole: (r) => ({ ...r, [part]: Number(r[whole]) + 5 })
  };
}

/** Corruptions of an evaluation child: its first metric with counts. */
const metricCorruptions: RowCorruptions<Json> = (() => {
  const change = (r: Json, f: (m: Json) => Json): Json => {
    const metrics = r.metrics as Json[];
    const i = metrics.findIndex((m) => typeof m.denominator === 'number');
    return { ...r, metrics: metrics.map((m, j) => (j === i ? f(m) : m)) };
  };
  return {
    wrongTypes: (r) => change(r, (m) => ({ ...m, numerator: String(m.numerator) })),
    negative: (r) => change(r, (m) => ({ ...m, numerator: -Math.max(1, Number(m.numerator)) })),
    partExceedsWhole: (r) => change(r, (m) => ({ ...m, numerator: Number(m.denominator) + 5 }))
  };
})();

const pct0 = (n: number, d: number) => percent(n, d) ?? 0;

export const ENDPOINTS: Record<PortalEndpoint, EndpointDef> = {
  transparency: {
    shape: 'evaluation',
    dates: false,
    formalityField: 'formalityId',
    withCode: false,
    source: 'report_evaluation_transparency_monthly,formality_publication,dossier_sync_national',
    head: (p) => ({
      ...identity(p.province.unit, false),
      ...evaluationKind(p.province.unit),
      totalScore: p.province.transparency.score,
      totalMaxScore: GROUP_MAX.transparency,
      ratio: p.province.transparency.ratio,
      scoreDelta: null,
      // Meaning unconfirmed on the real portal; here the mean of the children's totals.
      averageScore: mean2(p.children.map((c) => c.transparency.score)),
      metrics: p.province.transparency.metrics.map(metricJson)
    }),
    child: (v) => ({
      ...identity(v.unit, false),
      ...evaluationKind(v.unit),
      totalScore: v.transparency.score,
      totalMaxScore: GROUP_MAX.transparency,
      ratio: v.transparency.ratio,
      scoreDelta: null,
      metrics: v.transparency.metrics.map(metricJson)
    }),
    after: () => ({ monthlyChart: [] }),
    corrupt: metricCorruptions
  },
  progress: {
    shape: 'tree',
    dates: false,
    formalityField: 'formalityId',
    withCode: true,
    head: (p) => ({
      ...identity(p.province.unit, true),
      totalReceived: p.province.progress.received,
      totalOnTime: p.province.progress.onTime,
      totalCompleted: p.province.progress.completed,
      avgProcessingDays: p.province.progress.avgProcessingDays,
      ratio: p.province.progress.ratio,
      totalScore: p.province.progress.score,
      totalMaxScore: GROUP_MAX.progress
    }),
    child: (v) => ({
      ...identity(v.unit, true),
      level: treeLevel(v.unit),
      totalReceived: v.progress.received,
      totalOnTime: v.progress.onTime,
      totalOverdue: v.progress.overdue,
      avgProcessingDays: v.progress.avgProcessingDays,
      ratio: v.progress.ratio,
      score: v.progress.score,
      maxScore: GROUP_MAX.progress,
      scoreDelta: null
    }),
    after: (_p, monthly) => ({
      monthlyChart: monthly().map((m) => ({ month: m.month.slice(5), onTimePct: pct0(m.onTime, m.received), overduePct: pct0(m.received - m.onTime, m.received) }))
    }),
    corrupt: fieldCorruptions('totalReceived', 'totalOverdue', 'totalOnTime', 'totalReceived')
  },
  online: {
    shape: 'tree',
    dates: false,
    formalityField: 'formalityId',
    withCode: true,
    head: (p) => {
      const c = p.province.online.counts!;
      return {
        ...identity(p.province.unit, true),
        totalScore: p.province.online.score,
        totalMaxScore: GROUP_MAX.online,
        ratio: p.province.online.ratio,
        authorityCount: c.authorityCount,
        partialCount: c.partialCount,
        fullCount: c.fullCount,
        onlineDossierCount: c.onlineDossierCount,
        onlineServiceTotal: c.onlineServiceTotal,
        channelOnlineSum: c.channelOnlineSum,
        channelDirectSum: c.channelDirectSum,
        channelPostalSum: c.channelPostalSum,
        channelTotalSum: c.channelTotalSum,
        onlineOnTimeSum: c.onlineOnTimeSum,
        onlineOverdueSum: c.onlineOverdueSum
      };
    },
    child: (v) => ({
      ...identity(v.unit, true),
      level: treeLevel(v.unit),
      totalScore: v.online.score,
      totalMaxScore: GROUP_MAX.online,
      ratio: v.online.ratio,
      scoreDelta: null
    }),
    after: (_p, monthly) => ({
      monthlyChart: monthly().map((m) => ({ label: `${m.month.slice(5)}/${m.month.slice(0, 4)}`, onlineDossierPct: pct0(m.onlineDossierCount, m.onlineServiceTotal) }))
    }),
    corrupt: {
      wrongTypes: (r) => ({ ...r, totalScore: String(r.totalScore) }),
      negative: (r) => ({ ...r, totalScore: -Math.max(0.01, Number(r.totalScore)) }),
      partExceedsWhole: (r) => ({ ...r, totalScore: Number(r.totalMaxScore) + 1 })
    }
  },
  payment: {
    shape: 'tree',
    dates: false,
    formalityField: 'formalityId',
    withCode: true,
    head: (p) => ({ ...identity(p.province.unit, true), ...paymentFields(p.province) }),
    child: (v) => ({ ...identity(v.unit, true), level: treeLevel(v.unit), ...paymentFields(v), scoreDelta: null }),
    after: () => ({}),
    corrupt: fieldCorruptions('totalDossierFinancialObligation', 'totalDossierOnlinePaymentSuccess', 'totalDossierOnlinePaymentSuccess', 'totalDossierFinancialObligation')
  },
  satisfaction: {
    shape: 'evaluation',
    dates: true,
    formalityField: 'formalityId',
    withCode: false,
    source: 'report_evaluation_satisfaction_monthly,petition_summary',
    head: (p) => ({
      ...identity(p.province.unit, false),
      ...evaluationKind(p.province.unit),
      ...satisfactionFields(p.province)
    }),
    child: (v) => ({ ...identity(v.unit, false), ...evaluationKind(v.unit), ...satisfactionFields(v) }),
    after: () => ({}),
    corrupt: metricCorruptions
  },
  digitization: {
    shape: 'evaluation',
    dates: false,
    formalityField: 'formalityID',
    withCode: true,
    source: 'report_dossier_digitized_monthly,dossier_result_national',
    head: (p) => ({ ...identity(p.province.unit, true), ...evaluationKind(p.province.unit), ...digitizationFields(p.province) }),
    child: (v) => ({ ...identity(v.unit, true), ...evaluationKind(v.unit), ...digitizationFields(v) }),
    after: () => ({}),
    corrupt: metricCorruptions
  }
};

function paymentFields(v: PortalUnitValues): Json {
  const c = v.payment.counts;
  return {
    totalScore: v.payment.score,
    totalMaxScore: GROUP_MAX.payment,
    ratio: v.payment.ratio,
    totalDossierOnlinePaymentSuccess: c.totalDossierOnlinePaymentSuccess,
    totalDossierFinancialObligation: c.totalDossierFinancialObligation,
    totalDossierOnlineFormalityPaymentSuccess: c.totalDossierOnlineFormalityPaymentSuccess,
    totalFeeDossierFormalityDistinct: c.totalFeeDossierFormalityDistinct,
    totalFeeDossierFormality: c.totalFeeDossierFormality,
    totalFeeFormality: c.totalFeeFormality
  };
}

function satisfactionFields(v: PortalUnitValues): Json {
  return {
    totalScore: v.satisfaction.score,
    totalMaxScore: GROUP_MAX.satisfaction,
    ratio: v.satisfaction.ratio,
    scoreDelta: null,
    totalPetitions: v.satisfaction.totalPetitions,
    classifiedPetitions: v.satisfaction.classifiedPetitions,
    totalDossiers: v.satisfaction.totalDossiers,
    averageScore: null,
    metrics: v.satisfaction.metrics.map(metricJson)
  };
}

function digitizationFields(v: PortalUnitValues): Json {
  return {
    totalScore: v.digitization.score,
    totalMaxScore: GROUP_MAX.digitization,
    ratio: v.digitization.ratio,
    scoreDelta: null,
    metrics: v.digitization.metrics.map(metricJson)
  };
}

/** The body of an answer: the envelope around the head, the page's children and what follows them. */
export function portalBody(frame: PortalFrame, rows: Json[]): unknown {
  if (frame.shape === 'tree') return envelope({ parent: frame.head, children: rows, ...frame.after });
  return envelope({ overview: frame.head, evaluation: rows, ...frame.after });
}

// ---------------------------------------------------------------- the endpoints

function portalEndpoint(name: PortalEndpoint, bookOf: () => PortalBook): SystemApi<Json, PortalFrame> {
  const def = ENDPOINTS[name];
  return {
    system: 'portal',
    path: PORTAL_PATHS[name],
    method: 'POST',
    authenticate: () => null,
    error: portalError,
    query(_url, at, body) {
      const book = bookOf();
      const q = parsePortalBody(body, { dates: def.dates, formalityField: def.formalityField, rootId: book.root.portalId });
      if (typeof q === 'string') return q;
      const values = book.period(q.period, at);
      const all = q.known ? values.children : [];
      const first = (q.page - 1) * q.pageSize;
      const rows = all.slice(first, first + q.pageSize).map((v, i) => ({ stt: first + i + 1, ...def.child(v) }));
      // An unknown root: the same fields, every list empty.
      const after = Object.fromEntries(Object.entries(def.after(values, () => (q.known ? book.monthly(q.period, at) : []))).map(([k, v]) => [k, q.known || !Array.isArray(v) ? v : []]));
      if (def.shape === 'evaluation') {
        after.pagination = { total: all.length, currentPage: q.page, pageSize: q.pageSize, totalPages: Math.ceil(all.length / q.pageSize) };
        after.source = def.source;
      }
      const frame: PortalFrame = { shape: def.shape, head: q.known ? def.head(values) : null, after };
      // A row for a unit the register does not have: a child's shape, with a code and id no unit holds.
      const template = rows[0] ?? (q.known ? { stt: 1, ...def.head(values) } : { stt: 1 });
      const unknownRow = (code: string): Json => {
        const portalCode = `${book.root.portalCode}.${code}`;
        return { ...template, stt: all.length + 1, departmentId: portalIdOf(portalCode), departmentName: `Đơn vị ${code}`, ...(def.withCode ? { departmentCode: portalCode } : {}) };
      };
      return { rows, unknownRow, frame };
    },
    render: (rows, _at, _page, frame) => jsonAnswer(201, portalBody(frame!, rows)),
    oversize: (rows, _at, _page, frame) => ({ ...jsonAnswer(201, null), body: oversizeJson(portalBody(frame!, rows) as Json, 'traceDetail', OVERSIZE_BYTES) }),
    truncate: cutInHalf,
    corrupt: def.corrupt
  };
}

/** The six endpoints over one book of values (the simulator's seed and units), made at the first request. */
export function portalApis(ctx: SystemContext): SystemApi<Json, PortalFrame>[] {
  let book: PortalBook | null = null;
  const bookOf = () => (book ??= new PortalBook(ctx.seed, ctx.units));
  return (Object.keys(PORTAL_PATHS) as PortalEndpoint[]).map((name) => portalEndpoint(name, bookOf));
}

// ---------------------------------------------------------------- the end-of-month rush

/** The last two days of a month and the 1st of the next, in the city's time. */
export function inRush(at: Date): boolean {
  const day = today(at);
  const dayOfMonth = Number(day.slice(8));
  const lastOfMonth = Number(lastDayOf(day.slice(0, 7)).slice(8));
  return dayOfMonth === 1 || dayOfMonth >= lastOfMonth - 1;
}

/** The gateway's own error page (nginx), not the portal's envelope: the backend never saw the request. */
export function gatewayAnswer(status: number): Answer {
  const title = `${status} ${status === 502 ? 'Bad Gateway' : status === 503 ? 'Service Temporarily Unavailable' : 'Gateway Time-out'}`;
  return {
    status,
    headers: { 'content-type': 'text/html' },
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
  };
}

/**
 * The rush of one simulator: the n-th portal request in a rush (counted from 0 over the simulator's
 * life) fails when uniform('rush', n, seed) < RUSH_SHARE, with 502, 503 or 504 drawn the same way:
 * deterministic for a sequence of requests, and a retry can get through.
 */
export function createPortalRush(seed: string, enabled = true) {
  let n = 0;
  return {
    /** The gateway's 5xx for this request, or null to serve it. */
    answer(at: Date, fault: FaultKind | undefined): Answer | null {
      if (fault === 'no_rush') return null;
      if (fault !== 'rush' && (!enabled || !inRush(at))) return null;
      const i = n++;
      if (uniform('rush', i, seed) >= RUSH_SHARE) return null;
      return gatewayAnswer(RUSH_STATUSES[Math.min(2, Math.floor(uniform('rush-status', i, seed) * 3))]!);
    },
    /** Requests counted in rushes so far. */
    get count() {
      return n;
    }
  };
}
