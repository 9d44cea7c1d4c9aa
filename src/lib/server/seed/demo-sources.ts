/**
 * The demo city's four district systems, as data-source rows: what an administrator would enter
 * for them (URL, credentials, mapping), not code paths. Each speaks its own vendor's dialect
 * (workers/simulator), so each needs its own mapping.
 */
import { DEMO_KEYS } from './demo-keys.ts';
import type { Granularity, SourceKind, SourceMapping, SourceProduces } from '#db/schema/sources';
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
  }
];
