/**
 * The reconciliation of the national 766 index for one period (issue 13, item 5): for every child
 * of the scope (a province's agencies and communes) and the scope itself, each of the six groups'
 * score as we re-compute it beside the portal's published one — equal to two decimals, or different
 * by so many points with the counts behind it. A read model over readBoard (the stored rankings); the
 * admin report and its CSV read it. Pure rules: src/lib/p766/reconcile.ts.
 */
import type { Sql } from '#db/client';
import type { Board, BoardPeriodKind } from '#contract/dto';
import { NATIONAL_766_SCHEME } from '#domain/catalogue';
import { countReconciliation, reconcileGroups, type GroupReconciliation, type ReconciliationCounts } from '../p766/reconcile.ts';
import { readBoard, rootUnitCode } from './boards.ts';
import type { CsvCell } from './csv.ts';

export const RECONCILED_SCHEME = NATIONAL_766_SCHEME.key;

export interface ReconciledUnit {
  code: string;
  name: string;
  type: string;
  level: string;
  /** The scope itself (the province's own row on the portal), not one of its children. */
  own: boolean;
  groups: GroupReconciliation[];
}

export interface ReconciliationReport {
  scheme: Board['scheme'];
  scope: Board['scope'];
  period: Board['period'];
  schemeGroups: Board['schemeGroups'];
  /** The scope first, then its children in the board's order. */
  units: ReconciledUnit[];
  counts: ReconciliationCounts;
  /** Every (unit, group) that differs, the largest difference first (then by unit code and the scheme's order). */
  differences: { unit: Omit<ReconciledUnit, 'groups'>; group: GroupReconciliation }[];
  computedAt: string | null;
  asOf: string | null;
}

/** The reconciliation of the scope's 766 board (default: the home unit) for the period of `kind` holding `date`. */
export async function readReconciliation(sql: Sql, query: { scope?: string; period: BoardPeriodKind; date: string }, now = new Date()): Promise<ReconciliationReport> {
  const scope = query.scope ?? (await rootUnitCode(sql));
  const board = await readBoard(sql, { scope, period: query.period, date: query.date, scheme: RECONCILED_SCHEME, basis: 'published' }, now);
  const reconcile = (unit: Parameters<typeof reconcileGroups>[2]) => reconcileGroups(board.schemeGroups, board.indicators, unit);
  const units: ReconciledUnit[] = [];
  if (board.scopeScore) {
    units.push({ code: board.scope.code, name: board.scope.name, type: '', level: board.scope.level, own: true, groups: reconcile(board.scopeScore) });
  }
  for (const r of board.rows) {
    units.push({ code: r.unitCode, name: r.unitName, type: r.unitType, level: r.unitLevel, own: false, groups: reconcile(r) });
  }
  const order = new Map(board.schemeGroups.map((g, i) => [g.key, i]));
  const differences = units
    .flatMap(({ groups, ...unit }) => groups.filter((g) => g.status === 'different').map((group) => ({ unit, group })))
    .sort((a, b) => Math.abs(b.group.difference!) - Math.abs(a.group.difference!) || a.unit.code.localeCompare(b.unit.code) || order.get(a.group.group.key)! - order.get(b.group.group.key)!);
  return {
    scheme: board.scheme, scope: board.scope, period: board.period, schemeGroups: board.schemeGroups, units,
    counts: countReconciliation(units.map((u) => u.groups), board.schemeGroups.length),
    differences, computedAt: board.computedAt, asOf: board.asOf
  };
}

const STATUS_VI: Record<GroupReconciliation['status'], string> = {
  equal: 'khớp',
  different: 'lệch',
  published_only: 'theo công bố của Cổng DVCQG',
  not_published: 'Cổng DVCQG chưa công bố',
  not_computed: 'chưa tính lại được (thiếu số liệu)'
};

const viPoints = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const viCount = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });

/** The counts behind a group in words: "Hồ sơ thanh toán trực tuyến: 72/76 → 5,68 điểm; …". */
export function countsBehindVi(group: GroupReconciliation): string {
  const n = (v: number | null) => (v === null ? '—' : viCount.format(v));
  const p = (v: number | null) => (v === null ? '—' : viPoints.format(v));
  return group.indicators
    .map(({ meta, value }) =>
      meta.published
        ? `${meta.nameVi}: ${p(value.points)} điểm (Cổng công bố)`
        : value.denominator === 0
          ? `${meta.nameVi}: 0/0, ${meta.zeroDenominator === 'zero' ? '0 điểm' : meta.zeroDenominator === 'full' ? `điểm tối đa ${p(value.points)}` : 'không tính điểm'}`
          : `${meta.nameVi}: ${n(value.numerator)}/${n(value.denominator)} → ${p(value.points)} điểm`
    )
    .join('; ');
}

/** The report as a table for a file (CSV): every unit × group, one row each, headers in Vietnamese. */
export function reconciliationTable(report: ReconciliationReport): CsvCell[][] {
  const header: CsvCell[] = ['Mã đơn vị', 'Đơn vị', 'Nhóm chỉ số', 'Điểm tối đa', 'Đối chiếu', 'Điểm tính lại', 'Điểm Cổng DVCQG công bố', 'Chênh lệch (tính lại − công bố)', 'Số liệu đằng sau'];
  const rows = report.units.flatMap((u) =>
    u.groups.map((g): CsvCell[] => [u.code, u.name, g.group.nameVi, g.group.maxPoints, STATUS_VI[g.status], g.points, g.published, g.difference, countsBehindVi(g)])
  );
  return [header, ...rows];
}

/** The CSV's file name (without extension): scope and period. */
export const reconciliationFileName = (report: Pick<ReconciliationReport, 'scope' | 'period'>) =>
  `doi-chieu-766-${report.scope.code}-${report.period.kind}-${report.period.start}`;
