/**
 * The metric catalogue and the built-in indicator scheme, as the seed writes them into the
 * `metrics` and `indicators` tables. The database is the truth at run time; this file is the
 * seed's source and the unit tests' reference.
 */

export type MetricFamily = 'dossier' | 'eid' | 'payment' | 'task';

export interface MetricDef {
  key: string;
  family: MetricFamily;
  /** flow: adds up over days; stock: the last value in a period counts. Both add up over units. */
  aggregation: 'flow' | 'stock';
  unit: 'count' | 'vnd';
  nameVi: string;
  nameEn: string;
}

export const METRICS: readonly MetricDef[] = [
  { key: 'dossier.received', family: 'dossier', aggregation: 'flow', unit: 'count', nameVi: 'Hồ sơ tiếp nhận', nameEn: 'Dossiers received' },
  { key: 'dossier.received_online', family: 'dossier', aggregation: 'flow', unit: 'count', nameVi: 'Tiếp nhận trực tuyến', nameEn: 'Received online' },
  { key: 'dossier.resolved', family: 'dossier', aggregation: 'flow', unit: 'count', nameVi: 'Đã giải quyết', nameEn: 'Resolved' },
  { key: 'dossier.resolved_on_time', family: 'dossier', aggregation: 'flow', unit: 'count', nameVi: 'Giải quyết đúng hạn', nameEn: 'Resolved on time' },
  { key: 'dossier.pending_on_time', family: 'dossier', aggregation: 'flow', unit: 'count', nameVi: 'Đang giải quyết trong hạn', nameEn: 'Pending, on time' },
  { key: 'dossier.pending_overdue', family: 'dossier', aggregation: 'flow', unit: 'count', nameVi: 'Đang giải quyết quá hạn', nameEn: 'Pending, overdue' }
];

export interface IndicatorDef {
  key: string;
  nameVi: string;
  nameEn: string;
  /** Metrics summed into the numerator / denominator (ratio of sums). */
  numerator: readonly string[];
  denominator: readonly string[];
  direction: 'higher_is_better' | 'lower_is_better';
  maxPoints: number;
  /** The ratio at which full points are earned (1 = 100 %). */
  saturation: number;
  /** What one more unit of the numerator is called, for "12 more … " gaps. */
  numeratorNounVi: string;
}

/**
 * The dossier part of the default operations scheme. Weights follow the national 766 index:
 * progress (on time) 20 points at 100 %, online submission 12 points reached at 50 %.
 */
export const DEFAULT_SCHEME = {
  key: 'operations',
  version: 1,
  nameVi: 'Bộ chỉ số điều hành',
  nameEn: 'Operations scheme',
  indicators: [
    {
      key: 'dossier.on_time',
      nameVi: 'Hồ sơ đúng hạn',
      nameEn: 'Dossiers on time',
      numerator: ['dossier.resolved_on_time', 'dossier.pending_on_time'],
      denominator: ['dossier.received'],
      direction: 'higher_is_better',
      maxPoints: 20,
      saturation: 1,
      numeratorNounVi: 'hồ sơ đúng hạn'
    },
    {
      key: 'dossier.online',
      nameVi: 'Tiếp nhận trực tuyến',
      nameEn: 'Submitted online',
      numerator: ['dossier.received_online'],
      denominator: ['dossier.received'],
      direction: 'higher_is_better',
      maxPoints: 12,
      saturation: 0.5,
      numeratorNounVi: 'hồ sơ trực tuyến'
    }
  ] satisfies IndicatorDef[]
} as const;
