import { describe, expect, it } from 'vitest';
import { METRICS } from '#domain/catalogue';
import { mapBody } from '../pipeline/mapping/index.ts';
import type { Lookups } from '../pipeline/mapping/validate.ts';
import { prepareRequest } from '../pipeline/request.ts';
import { DEMO_SOURCES } from './demo-sources.ts';
import { loadPortalCodes } from './portal-codes.ts';

/** Every catalogue metric, and three units known by portal code and by portal id. */
const lookups: Lookups & { unitIdsUnder(): number[] } = {
  unitIdByCode: new Map([['H26', 1], ['H26.01', 2], ['H26.100', 3], ['id-H26', 1], ['id-H26.01', 2], ['id-H26.100', 3]]),
  codeSystem: 'portal',
  metrics: new Map(METRICS.map((m, i) => [m.key, { id: i + 1, unit: m.unit, partOf: m.partOf ?? null, periodic: m.periodic ?? false }])),
  unitIdsUnder: () => [1, 2, 3]
};
const keyOf = new Map(METRICS.map((m, i) => [i + 1, m.key]));
const month = { from: '2026-09-01', to: '2026-09-30', period: { kind: 'month' as const, start: '2026-09-01', end: '2026-09-30' } };
const portal = (group: string) => DEMO_SOURCES.find((s) => s.key === `portal-766-${group}`)!;
const map = async (group: string, data: unknown, page = 1) => {
  const s = portal(group);
  const out = await mapBody({ ...s, scopeUnitId: null }, { text: JSON.stringify({ code: 'OK', data, message: 'OK' }) }, lookups, month, { page });
  const values = (unitId: number) => Object.fromEntries((out.periodRows ?? []).filter((r) => r.unitId === unitId).map((r) => [keyOf.get(r.metricId), r.value]));
  return { ...out, values };
};
const metric = (code: string, numerator: number | null, denominator: number | null, score: number | null = null) => ({ code, numerator, denominator, ratio: null, score, maxScore: 6 });

describe('the national portal as six demo sources', () => {
  it('are six periodic POST sources, one per group, named in Vietnamese', () => {
    const root = loadPortalCodes().find((c) => c.portalCode === 'H26')!.portalId;
    const six = DEMO_SOURCES.filter((s) => s.key.startsWith('portal-766-'));
    expect(six.map((s) => s.key)).toEqual(['transparency', 'progress', 'online', 'payment', 'satisfaction', 'digitization'].map((g) => `portal-766-${g}`));
    for (const s of six) {
      expect(s.name).toMatch(/^Cổng DVCQG — .+ \(Chỉ số 766\)$/);
      expect(s.periods).toEqual(['month', 'quarter', 'year']);
      expect(s.request!.body).toContain(`"rootDepartmentId": "${root}"`);
    }
    expect(portal('transparency').name).toBe('Cổng DVCQG — Công khai, minh bạch (Chỉ số 766)');
    expect(portal('progress').request!.body).toContain('"pageSize": 100');
    expect(portal('payment').request!.body).toContain('"pageSize": 100');
    expect(portal('online').request!.body).toContain('"pageSize": 200');
  });

  it('ask one period at a time, as the portal wants it', () => {
    const quarter = { from: '2026-07-01', to: '2026-09-30', period: { kind: 'quarter' as const, start: '2026-07-01', end: '2026-09-30' } };
    const body = (group: string) => JSON.parse(prepareRequest({ urlTemplate: `http://sim${portal(group).path}`, request: portal(group).request }, quarter, { page: 2 }, { kind: 'none' }).body!);
    expect(body('progress')).toMatchObject({ timeType: 'quarter', year: 2026, quarter: 3, currentPage: 2, pageSize: 100 });
    expect(body('satisfaction')).toMatchObject({ fromDate: '2026-07-01', toDate: '2026-09-30', currentPage: 2, pageSize: 200 });
  });

  it('store the province\'s row and each child\'s, a null count as 0 (0/0), on the first page only', async () => {
    const unit = (code: string, sync: [number | null, number | null]) => ({
      departmentId: `id-${code}`, totalScore: 7.6,
      metrics: [metric('PUBLISH_ON_TIME', null, null), metric('PUBLIC_UPDATE_ON_TIME', null, null), metric('PUBLIC_CONTENT_FULL', 40, 50), metric('DOSSIER_SYNC', ...sync)]
    });
    const data = { overview: unit('H26', [900, 900]), evaluation: [unit('H26.100', [null, null])], pagination: { total: 1, currentPage: 1, pageSize: 200, totalPages: 1 } };
    const first = await map('transparency', data);
    expect(first.rejected).toEqual([]);
    expect(first.values(1)).toMatchObject({ 'p766.dossier_sync.n': 900, 'p766.publish_on_time.n': 0, 'p766.publish_on_time.d': 0, 'p766.score.transparency': 7.6 });
    expect(first.values(3)).toMatchObject({ 'p766.dossier_sync.n': 0, 'p766.dossier_sync.d': 0, 'p766.public_content_full.n': 40 });
    expect(Object.keys(first.values(3))).toHaveLength(9);
    // A later page repeats the overview: it is read once.
    const second = await map('transparency', { ...data, evaluation: [unit('H26.01', [1, 1])] }, 2);
    expect([...new Set(second.periodRows!.map((r) => r.unitId))]).toEqual([2]);
  });

  it('store nothing for a period not published yet (the province with zeros, no child)', async () => {
    const parent = { departmentCode: 'H26', totalReceived: 0, totalOnTime: 0, totalScore: 0 };
    const out = await map('progress', { parent, children: [], monthlyChart: [] });
    expect(out).toMatchObject({ read: 0, rejected: [], periodRows: [] });
  });

  it('refuse a row whose sub-indicator is missing, naming the metric', async () => {
    const out = await map('satisfaction', {
      overview: { departmentId: 'id-H26', totalScore: 18, metrics: [] },
      evaluation: [{ departmentId: 'id-H26.100', totalScore: 18, metrics: [metric('DOSSIER_RECEIVING_SATISFACTION', 9, 10), metric('PETITION_PROCESSING_ON_TIME', 0, 0)] }]
    });
    expect(out.rejected.map((r) => r.reason)).toEqual([
      'p766.dossier_receiving_satisfaction.n: thiếu giá trị (đơn vị id-H26)',
      'p766.petition_handling_satisfaction.n: thiếu giá trị (đơn vị id-H26.100)'
    ]);
  });

  it('read the tree groups: the parent\'s totalScore, a child\'s score or totalScore', async () => {
    const progress = await map('progress', {
      parent: { departmentCode: 'H26', totalReceived: 1000, totalOnTime: 850, totalScore: 17 },
      children: [{ departmentCode: 'H26.100', totalReceived: 32, totalOnTime: 29, score: 18.13 }]
    });
    expect(progress.values(1)).toEqual({ 'p766.progress.n': 850, 'p766.progress.d': 1000, 'p766.score.progress': 17 });
    expect(progress.values(3)).toEqual({ 'p766.progress.n': 29, 'p766.progress.d': 32, 'p766.score.progress': 18.13 });
    const counts = { totalDossierOnlinePaymentSuccess: 90, totalDossierFinancialObligation: 100, totalDossierOnlineFormalityPaymentSuccess: 3, totalFeeDossierFormalityDistinct: 10, totalFeeDossierFormality: 2, totalFeeFormality: 10, totalScore: 6.65 };
    const payment = await map('payment', { parent: { departmentCode: 'H26', ...counts }, children: [{ departmentCode: 'H26.01', ...counts }] });
    expect(payment.rejected).toEqual([]);
    expect(payment.values(2)).toEqual({
      'p766.dossier_online_payment_success': 90, 'p766.dossier_financial_obligation': 100, 'p766.dossier_online_formality_payment_success': 3,
      'p766.fee_dossier_formality_distinct': 10, 'p766.fee_dossier_formality': 2, 'p766.fee_formality': 10, 'p766.score.payment': 6.65
    });
    const online = await map('online', { parent: { departmentCode: 'H26', totalScore: 6.3 }, children: [{ departmentCode: 'H26.100', totalScore: 5.1 }] });
    expect([online.values(1), online.values(3)]).toEqual([{ 'p766.score.online': 6.3 }, { 'p766.score.online': 5.1 }]);
  });
});
