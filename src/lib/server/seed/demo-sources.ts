/**
 * The demo city's four district systems, and the national portal's six evaluation endpoints of the
 * 766 index, as data-source rows: what an administrator would enter for them (URL, request,
 * credentials, mapping), not code paths. Each speaks its own vendor's dialect (workers/simulator),
 * so each needs its own mapping.
 */
import { DEMO_KEYS } from './demo-keys.ts';
import type { Granularity, RequestSpec, SourceKind, SourceMapping, SourceProduces } from '#db/schema/sources';
import type { ValuePeriodKind } from '#db/schema/samples';
import { loadPortalCodes, PORTAL_ROOT_CODE } from './portal-codes.ts';
import type { MetricFamily } from '#domain/catalogue';
import type { Credentials } from '../pipeline/types.ts';
import { templateMapping } from '../pipeline/mapping/config.ts';
import { DEFAULT_PRIORITY } from '#db/schema/sources';

export interface SourceSeed {
  key: string;
  name: string;
  family: MetricFamily;
  kind: SourceKind;
  produces: SourceProduces;
  granularity: Granularity;
  path: string;
  credentials: Credentials;
  mapping: SourceMapping;
  dailyDeadline: string | null;
  /** Default: four poll intervals. */
  staleAfterSeconds?: number;
  /** Higher wins over uploads for the same unit, metric and day: the systems of record above the upload source. */
  priority: number;
  /** Method, headers, body template and pagination (default: GET, none of them). */
  request?: RequestSpec;
  /**
   * The code system its unit codes are in (default 'gso'). A source whose code system no unit
   * carries (the portal's codes on a test world of Hà Nội's 2024 map) is not seeded.
   */
  codeSystem?: string;
  /** A periodic source: the period kinds it publishes (default: none, a source of daily values). */
  periods?: ValuePeriodKind[];
  /** Its own poll interval, trailing days and timeout (default: the seed's interval, 3 days, 4 s). */
  intervalSeconds?: number;
  trailingDays?: number;
  timeoutMs?: number;
}

export const DEMO_SOURCES: SourceSeed[] = [
  {
    key: 'motcua',
    name: 'Hệ thống một cửa (iGate) — hồ sơ TTHC',
    family: 'dossier',
    kind: 'json_http',
    produces: 'samples',
    granularity: 'day',
    path: '/motcua/api/v1/thong-ke-ngay?tuNgay={from}&denNgay={to}',
    credentials: { kind: 'api_key', header: 'x-api-key', key: DEMO_KEYS.dossier },
    mapping: {
      expression: `duLieu#$i.{
  "row": $i, "unitCode": maDonVi, "date": ngay,
  "values": {
    "dossier.received": tiepNhan, "dossier.received_online": tiepNhanTrucTuyen,
    "dossier.resolved": daGiaiQuyet, "dossier.resolved_on_time": giaiQuyetDungHan,
    "dossier.pending_on_time": dangGiaiQuyetTrongHan, "dossier.pending_overdue": dangGiaiQuyetQuaHan,
    "dossier.digitized": soHoaThanhPhan, "dossier.with_fee": coPhiLePhi, "dossier.paid_online": thanhToanTrucTuyen
  }
}`,
      metrics: [
        'dossier.received', 'dossier.received_online', 'dossier.resolved', 'dossier.resolved_on_time', 'dossier.pending_on_time',
        'dossier.pending_overdue', 'dossier.digitized', 'dossier.with_fee', 'dossier.paid_online'
      ]
    } as SourceMapping,
    dailyDeadline: '17:00',
    priority: DEFAULT_PRIORITY.systemOfRecord
  },
  {
    key: 'vneid',
    name: 'Thống kê định danh điện tử (VNeID) — Công an',
    family: 'eid',
    kind: 'json_http',
    produces: 'samples',
    granularity: 'day',
    path: '/vneid/api/v2/statistics?from={from}&to={to}',
    credentials: { kind: 'basic', username: DEMO_KEYS.eid.username, password: DEMO_KEYS.eid.password },
    mapping: {
      expression: `payload.items#$i.{
  "row": $i, "unitCode": areaCode, "date": date,
  "values": { "eid.eligible": stats.eligible, "eid.collected_level2": stats.level2Collected, "eid.activated": stats.activated }
}`,
      metrics: ['eid.eligible', 'eid.collected_level2', 'eid.activated']
    } as SourceMapping,
    dailyDeadline: '17:00',
    priority: DEFAULT_PRIORITY.systemOfRecord
  },
  {
    key: 'ansinh',
    name: 'Chi trả an sinh xã hội (CSV)',
    family: 'payment',
    kind: 'csv_http',
    produces: 'samples',
    granularity: 'month',
    path: '/ansinh/bao-cao/chi-tra.csv?tuThang={fromMonth}&denThang={toMonth}',
    credentials: { kind: 'bearer', token: DEMO_KEYS.payment },
    mapping: {
      unitColumn: 'ma_xa',
      dateColumn: 'thang',
      dateFormat: 'MM/yyyy',
      delimiter: ',',
      columns: {
        so_doi_tuong: 'payment.welfare_recipients',
        so_nhan_qua_tai_khoan: 'payment.welfare_cashless',
        tong_tien: 'payment.welfare_amount',
        tong_tien_qua_tai_khoan: 'payment.welfare_amount_cashless'
      }
    },
    dailyDeadline: null,
    priority: DEFAULT_PRIORITY.systemOfRecord
  },
  {
    key: 'qlvb',
    name: 'Theo dõi nhiệm vụ (phần mềm quản lý văn bản)',
    family: 'task',
    kind: 'json_http',
    produces: 'tasks',
    granularity: 'day',
    path: '/qlvb/api/nhiem-vu?tu_ngay={from}&den_ngay={to}',
    credentials: { kind: 'api_key', header: 'x-auth-token', key: DEMO_KEYS.task },
    mapping: {
      expression: `nhiemVu#$i.{
  "row": $i, "id": id, "unitCode": donViThucHien,
  "assigned": ngayGiao, "deadline": hanXuLy, "completed": ngayHoanThanh
}`
    } as SourceMapping,
    dailyDeadline: '17:00',
    priority: DEFAULT_PRIORITY.systemOfRecord
  },
  {
    // For a unit whose system has no API: its officers upload the family's template (.xlsx or .csv).
    // Every Hà Nội commune has an API, so in the demo this source only fills when someone uploads.
    key: 'tai-len-hoso',
    name: 'Tải lên số liệu hồ sơ (Excel/CSV)',
    family: 'dossier',
    kind: 'upload',
    produces: 'samples',
    granularity: 'day',
    path: '',
    credentials: { kind: 'none' },
    mapping: templateMapping('dossier'),
    dailyDeadline: null,
    staleAfterSeconds: 35 * 86_400,
    priority: DEFAULT_PRIORITY.upload
  },
  ...portal766Sources()
];

/** A JSONata comment, wrapped at about 100 characters a line. */
function wrapComment(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length > 96) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return `/* ${lines.join('\n   ')} */`;
}

/**
 * The national portal's 766 evaluation (../shared/portal-766.md) as six sources, one per group: the
 * portal answers one group per endpoint, POST with a JSON body, a month, a quarter or a year at a
 * time, so each source is periodic (month, quarter, year) and asks for every period its window
 * touches. Each mapping stores every field the group scores on for every child (the agencies and
 * communes) and for the province's own row (parent / overview), on the first page only; an
 * unpublished period has no child, and then nothing is stored (a successful poll of 0 rows).
 *
 * Polled hourly: the portal publishes a month once (the simulator from the 3rd of the next month),
 * so an hour's delay is nothing, and 6 sources × 5 periods × 2 pages an hour is no load; it re-reads
 * 40 days back, so the last month is asked again every hour until it is published, and a quarter or
 * year in progress is read again as its months appear. A generous timeout: the portal answers slowly.
 */
function portal766Sources(): SourceSeed[] {
  const root = loadPortalCodes().find((c) => c.portalCode === PORTAL_ROOT_CODE)!.portalId;
  const period = '"timeType": "{timeType}", "year": {year}, "month": {month}, "quarter": {quarter}';
  const body = (when: string, pageSize: number) => `{${when}, "rootDepartmentId": "${root}", "currentPage": {page}, "pageSize": ${pageSize}}`;
  const source = (
    group: string, nameVi: string, endpoint: string, codeSystem: 'portal' | 'portal_id', requestBody: string, expression: string, metrics: string[]
  ): SourceSeed => ({
    key: `portal-766-${group}`,
    name: `Cổng DVCQG — ${nameVi} (Chỉ số 766)`,
    family: 'dossier',
    kind: 'json_http',
    produces: 'samples',
    granularity: 'day',
    path: `/api/v1/reporting/evaluation/${endpoint}`,
    credentials: { kind: 'none' },
    mapping: { expression, metrics } as SourceMapping,
    dailyDeadline: null,
    priority: DEFAULT_PRIORITY.systemOfRecord,
    request: { method: 'POST', headers: {}, body: requestBody, bodyType: 'json', pagination: { kind: 'page', start: 1, maxPages: 10 } },
    codeSystem,
    periods: ['month', 'quarter', 'year'],
    intervalSeconds: 3600,
    staleAfterSeconds: 4 * 3600,
    trailingDays: 40,
    timeoutMs: 20_000
  });
  /** A sub-indicator of an evaluation row: its numerator or denominator, null (0/0) as 0; absent: null (the row is refused). */
  const VAL = `/* tử số hoặc mẫu số (hoặc điểm) của một chỉ tiêu theo mã; null (0/0) lưu là 0 */
  $val := function($u, $code, $field) {
    ($m := $u.metrics[code = $code]; $exists($m) ? ($lookup($m, $field) ? $lookup($m, $field) : 0) : null)
  };`;
  const pair = (key: string, code: string) => `      "p766.${key}.n": $val($u, "${code}", "numerator"),\n      "p766.${key}.d": $val($u, "${code}", "denominator"),`;
  const pairs = (list: [string, string][]) => list.map(([key, code]) => pair(key, code)).join('\n');
  const keysOf = (list: [string, string][]) => list.flatMap(([key]) => [`p766.${key}.n`, `p766.${key}.d`]);
  /** An evaluation answer (overview + evaluation[]): the province's row on the first page, then every unit's. */
  const evaluation = (comment: string, codeField: string, values: string) => `${wrapComment(comment)}
(
  ${VAL}
  $row := function($u) {{
    "unitCode": $u.${codeField},
    "values": {
${values}
    }
  }};
  /* Kỳ chưa công bố: không có đơn vị nào, không lưu gì. Thành phố chỉ lấy ở trang đầu. */
  $count(data.evaluation) > 0 ? [($request.page = 1 ? $row(data.overview)), data.evaluation.$row($)] : []
)`;
  /** A tree answer (parent + children[]); the parent's score is totalScore, a child's `childScore`. */
  const tree = (comment: string, values: string, childScore: string) => `${wrapComment(comment)}
(
  $row := function($u, $score) {{
    "unitCode": $u.departmentCode,
    "values": {
${values}
    }
  }};
  /* Kỳ chưa công bố: không có đơn vị nào, không lưu gì. Thành phố chỉ lấy ở trang đầu. */
  $count(data.children) > 0 ? [($request.page = 1 ? $row(data.parent, data.parent.totalScore)), data.children.$row($, ${childScore})] : []
)`;

  const transparency: [string, string][] = [
    ['publish_on_time', 'PUBLISH_ON_TIME'], ['public_update_on_time', 'PUBLIC_UPDATE_ON_TIME'], ['public_content_full', 'PUBLIC_CONTENT_FULL'], ['dossier_sync', 'DOSSIER_SYNC']
  ];
  const satisfaction: [string, string][] = [
    ['dossier_receiving_satisfaction', 'DOSSIER_RECEIVING_SATISFACTION'], ['petition_processing_on_time', 'PETITION_PROCESSING_ON_TIME'],
    ['petition_handling_satisfaction', 'PETITION_HANDLING_SATISFACTION']
  ];
  const digitization: [string, string][] = [
    ['original_result_available', 'ORIGINAL_RESULT_AVAILABLE'], ['so_hoa_giay_to_giai_quyet', 'SO_HOA_GIAY_TO_GIAI_QUYET'], ['reused_digitized_data', 'REUSED_DIGITIZED_DATA'],
    ['synced_with_dvcqg_personal_storage', 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE'], ['citizen_data_connected_dossier', 'CITIZEN_DATA_CONNECTED_DOSSIER'],
    ['citizen_data_connected_formality', 'CITIZEN_DATA_CONNECTED_FORMALITY']
  ];
  const payment: [string, string][] = [
    ['dossier_online_payment_success', 'totalDossierOnlinePaymentSuccess'], ['dossier_financial_obligation', 'totalDossierFinancialObligation'],
    ['dossier_online_formality_payment_success', 'totalDossierOnlineFormalityPaymentSuccess'], ['fee_dossier_formality_distinct', 'totalFeeDossierFormalityDistinct'],
    ['fee_dossier_formality', 'totalFeeDossierFormality'], ['fee_formality', 'totalFeeFormality']
  ];
  return [
    source(
      'transparency', 'Công khai, minh bạch', 'transparency', 'portal_id', body(period, 200),
      evaluation(
        'Công khai, minh bạch (18 điểm): tử số, mẫu số của 4 chỉ tiêu và điểm nhóm đã công bố, cho thành phố (overview) và mỗi đơn vị (evaluation). Đơn vị tìm theo departmentId (hệ mã portal_id).',
        'departmentId', `${pairs(transparency)}\n      "p766.score.transparency": $u.totalScore`
      ),
      [...keysOf(transparency), 'p766.score.transparency']
    ),
    source(
      'progress', 'Tiến độ giải quyết', 'dvc-progress-tree', 'portal', body(period, 100),
      tree(
        'Tiến độ giải quyết (20 điểm): hồ sơ đúng hạn, hồ sơ tiếp nhận và điểm đã công bố, cho thành phố (parent) và mỗi đơn vị (children), theo departmentCode.',
        '      "p766.progress.n": $u.totalOnTime,\n      "p766.progress.d": $u.totalReceived,\n      "p766.score.progress": $score', 'score'
      ),
      ['p766.progress.n', 'p766.progress.d', 'p766.score.progress']
    ),
    source(
      'online', 'Dịch vụ công trực tuyến', 'provide-online-tree', 'portal', body(period, 200),
      tree(
        'Dịch vụ công trực tuyến (12 điểm): Cổng chỉ công bố điểm, không công bố số liệu để tính lại; lấy điểm của thành phố (parent) và mỗi đơn vị (children), theo departmentCode.',
        '      "p766.score.online": $score', 'totalScore'
      ),
      ['p766.score.online']
    ),
    source(
      'payment', 'Thanh toán trực tuyến', 'formality-online-payment-tree', 'portal', body(period, 100),
      tree(
        'Thanh toán trực tuyến (10 điểm): 6 số liệu hồ sơ, TTHC và điểm đã công bố, cho thành phố (parent; số TTHC của thành phố là số không trùng, không phải tổng) và mỗi đơn vị (children), theo departmentCode.',
        `${payment.map(([key, field]) => `      "p766.${key}": $u.${field},`).join('\n')}\n      "p766.score.payment": $score`, 'totalScore'
      ),
      [...payment.map(([key]) => `p766.${key}`), 'p766.score.payment']
    ),
    source(
      'satisfaction', 'Mức độ hài lòng', 'handling-satisfaction', 'portal_id', body('"fromDate": "{from}", "toDate": "{to}"', 200),
      evaluation(
        'Mức độ hài lòng (18 điểm): tử số, mẫu số của 3 chỉ tiêu có điểm và điểm nhóm đã công bố, cho thành phố (overview) và mỗi đơn vị (evaluation). Đơn vị tìm theo departmentId (hệ mã portal_id).',
        'departmentId', `${pairs(satisfaction)}\n      "p766.score.satisfaction": $u.totalScore`
      ),
      [...keysOf(satisfaction), 'p766.score.satisfaction']
    ),
    source(
      'digitization', 'Số hóa hồ sơ', 'dossier-digitized', 'portal', body(period, 200),
      evaluation(
        'Số hóa hồ sơ (22 điểm): tử số, mẫu số của 6 chỉ tiêu, điểm chứng thực bản sao điện tử và điểm nhóm đã công bố, cho thành phố (overview) và mỗi đơn vị (evaluation), theo departmentCode.',
        'departmentCode',
        `${pairs(digitization)}\n      "p766.electronic_certified_copy.score": $val($u, "ELECTRONIC_CERTIFIED_COPY", "score"),\n      "p766.score.digitization": $u.totalScore`
      ),
      [...keysOf(digitization), 'p766.electronic_certified_copy.score', 'p766.score.digitization']
    )
  ];
}
