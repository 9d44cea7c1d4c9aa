/** The national portal's 766 values (portal.ts): formulas, periods, the dossier truth, zero denominators, planted differences. */
import { describe, expect, it } from 'vitest';
import { round } from '#domain/ratio';
import { loadPortalCodes } from '#server/seed/portal-codes';
import { daysBetween } from './calendar.ts';
import { DEPARTMENT_SIZE, idleMonth } from './dossiers.ts';
import {
  CERTIFIED_COPY_SCORE, PLANTED_PER_PERIOD, PORTAL_GROUPS, PortalBook, demoPortalBook, monthDraw, digitizationRows, lastDayOf, metricRow, monthPublishedOn, paymentScore,
  periodMonths, plantedPaymentDifferences, portalPeriod, portalValues, progressScore, publishedMonths, satisfactionRows, sumScores, transparencyRows,
  type MetricRow, type PortalUnitValues
} from './portal.ts';
import { hanoiSimUnits } from './register.ts';
import { unitDossiers } from './truth.ts';

const SEED = 'test';
/** 2 December 2026, 12:00 ICT: October is published, November not yet (from 3 December). */
const NOW = new Date('2026-12-02T05:00:00Z');
const OCT = portalPeriod('month', 2026, 10);
const Q3 = portalPeriod('quarter', 2026, 3);
const f = (numerator: number, denominator: number) => ({ numerator, denominator });
const units = hanoiSimUnits();
const book = demoPortalBook(SEED);

/** The Ban's months with no dossier (dossiers.ts' idleMonth) since the reform. */
const idle = daysBetween('2025-07-01', '2026-10-31')
  .filter((d) => d.endsWith('-01'))
  .map((d) => d.slice(0, 7))
  .filter((m) => idleMonth(m, DEPARTMENT_SIZE.Ban!));

/** Σ of the dossier truth over the unit's days of the given months, observed after them. */
function truth(gsoCode: string, months: string[]) {
  const u = units.find((x) => x.code === gsoCode && !x.validTo)!;
  let received = 0;
  let onTime = 0;
  for (const m of months) {
    for (const day of daysBetween(`${m}-01`, lastDayOf(m))) {
      const d = unitDossiers(SEED, u, day, new Date('2030-01-01T00:00:00Z'));
      received += d.received;
      onTime += d.resolvedOnTime + d.pendingOnTime;
    }
  }
  return { received, onTime };
}

/** The spec's rules written again, independently: a metric's points, a group's sum of rounded parts. */
function specPoints(r: MetricRow, zero: 'null' | 'zero' | 'full', saturation = 1): number | null {
  if (r.maxScore === 0) return null;
  if (r.numerator === null) return r.score;
  if (r.denominator === 0) return zero === 'null' ? null : zero === 'full' ? r.maxScore : 0;
  return round(Math.min(r.maxScore, (r.maxScore * (r.numerator / r.denominator!)) / saturation), 2);
}

describe('the portal’s periods', () => {
  it('are months, quarters and years by their first day; a month is published from the 3rd of the next', () => {
    expect(portalPeriod('month', 2026, 8)).toEqual({ kind: 'month', start: '2026-08-01' });
    expect(periodMonths(Q3)).toEqual(['2026-07', '2026-08', '2026-09']);
    expect(periodMonths(portalPeriod('year', 2026))).toHaveLength(12);
    expect(monthPublishedOn('2026-12')).toBe('2027-01-03');
    expect(lastDayOf('2028-02')).toBe('2028-02-29');
    // The 3rd at 00:00 ICT is 2nd 17:00 UTC.
    expect(publishedMonths(OCT, new Date('2026-11-02T16:59:00Z'))).toEqual([]);
    expect(publishedMonths(OCT, new Date('2026-11-02T17:00:00Z'))).toEqual(['2026-10']);
    expect(publishedMonths(portalPeriod('quarter', 2026, 4), NOW)).toEqual(['2026-10']);
    expect(publishedMonths(portalPeriod('year', 2026), NOW)).toHaveLength(10);
  });
});

describe('the spec’s formulas, on hand-worked rows', () => {
  it('progress: 20 × on time / received, half-up; 0 received scores 0', () => {
    expect(progressScore(29, 32)).toEqual({ ratio: 90.63, score: 18.13 });
    expect(progressScore(850, 1000)).toEqual({ ratio: 85, score: 17 });
    expect(progressScore(0, 0)).toEqual({ ratio: 0, score: 0 });
  });
  it('transparency: max × n/d; 0/0 null and not counted; the sync status says why', () => {
    const rows = transparencyRows({ publishOnTime: f(0, 0), publicUpdateOnTime: f(0, 0), publicContentFull: f(40, 50), dossierSync: f(900, 900) });
    expect(rows.map((r) => [r.code, r.ratio, r.score])).toEqual([
      ['PUBLISH_ON_TIME', null, null], ['PUBLIC_UPDATE_ON_TIME', null, null], ['PUBLIC_CONTENT_FULL', 80, 1.6], ['DOSSIER_SYNC', 100, 6]
    ]);
    expect(rows[3]!.dataQualityStatus).toBe('TEMP_NATIONAL_REPORT_DENOMINATOR');
    expect(sumScores(rows)).toBe(7.6);
    const noSync = transparencyRows({ publishOnTime: f(0, 0), publicUpdateOnTime: f(0, 0), publicContentFull: f(40, 50), dossierSync: f(0, 0) });
    expect(noSync[3]).toMatchObject({ ratio: null, score: null, dataQualityStatus: 'NO_NATIONAL_REPORT_DATA' });
    expect(sumScores(noSync)).toBe(1.6);
  });
  it('payment: round(6A) + round(min(2, 2.5B)) + round(2.5C)', () => {
    const counts = (a: number, ad: number, b: number, c: number, d: number) => ({
      totalDossierOnlinePaymentSuccess: a, totalDossierFinancialObligation: ad, totalDossierOnlineFormalityPaymentSuccess: b,
      totalFeeDossierFormalityDistinct: d, totalFeeDossierFormality: c, totalFeeFormality: d
    });
    expect(paymentScore(counts(90, 100, 3, 2, 10))).toBe(6.65);
    expect(paymentScore(counts(90, 100, 9, 2, 10))).toBe(5.4 + 2 + 0.5); // B over 80 %: full 2
    expect(paymentScore(counts(0, 0, 0, 0, 0))).toBe(0);
  });
  it('satisfaction: dossiers full at 90 % (0 ratings: 0), petitions 6 × n/d (none: 6), ratio 0 on zero', () => {
    const rows = satisfactionRows({
      dossierReceivingSatisfaction: f(700, 1000), petitionProcessingOnTime: f(0, 0), petitionHandlingSatisfaction: f(0, 0),
      petitionClassificationTthc: f(0, 0), petitionClassificationStaff: f(0, 0)
    });
    expect(rows.map((r) => [r.ratio, r.score])).toEqual([[70, 4.67], [0, 6], [0, 6], [0, null], [0, null]]);
    expect(sumScores(rows)).toBe(16.67);
    expect(metricRow('DOSSIER_RECEIVING_SATISFACTION', f(878, 2739), 'zero').score).toBe(2.14);
    expect(metricRow('PETITION_PROCESSING_ON_TIME', f(2, 6), 'full').score).toBe(2);
    expect(metricRow('DOSSIER_RECEIVING_SATISFACTION', f(0, 0), 'zero')).toMatchObject({ ratio: 0, score: 0 });
  });
  it('digitisation: saturations 100 % and 80 %, 0/0 null, the certified copy 2 with no counts; the sum of rounded parts', () => {
    const rows = digitizationRows({
      originalResultAvailable: f(600, 800), soHoaGiayToGiaiQuyet: f(80, 800), reusedDigitizedData: f(20, 800),
      syncedWithDvcqgPersonalStorage: f(0, 800), citizenDataConnectedDossier: f(400, 800), citizenDataConnectedFormality: f(30, 300)
    });
    expect(rows.map((r) => r.score)).toEqual([4.5, 0.4, 0.06, 0, 1, 0.2, 2]);
    expect(rows[6]).toMatchObject({ numerator: null, denominator: null, ratio: 100, score: CERTIFIED_COPY_SCORE });
    expect(sumScores(rows)).toBe(8.16);
    expect(metricRow('REUSED_DIGITIZED_DATA', f(700, 800), 'null').score).toBe(2); // over 80 %: full
    expect(metricRow('ORIGINAL_RESULT_AVAILABLE', f(0, 0), 'null')).toMatchObject({ ratio: null, score: null });
  });
});

describe('the values of the demo province', { timeout: 60_000 }, () => {
  const oct = book.period(OCT, NOW);

  it('list the 19 agencies and 126 communes, ordered as strings by portal code', () => {
    const codes = oct.children.map((c) => c.unit.portalCode);
    expect(codes).toHaveLength(145);
    expect(codes).toEqual([...codes].sort());
    expect(codes.indexOf('H26.10')).toBeLessThan(codes.indexOf('H26.100'));
    expect(codes.indexOf('H26.109')).toBeLessThan(codes.indexOf('H26.11'));
    expect(new Set(codes)).toEqual(new Set(loadPortalCodes().slice(1).map((r) => r.portalCode)));
    expect(oct.children.filter((c) => c.unit.kind === 'agency')).toHaveLength(19);
    expect(oct.province.unit).toMatchObject({ portalCode: 'H26', gsoCode: '01', kind: 'province', name: 'Thành phố Hà Nội' });
  });

  it('have progress equal to the dossier truth: Σ received, Σ (resolved on time + pending on time)', () => {
    for (const code of ['00004', '10114', '01-S07', '01-N01', '01-B01']) {
      const v = portalValues(SEED, code, OCT, NOW)!;
      const t = truth(code, ['2026-10']);
      expect(v.progress).toMatchObject({ received: t.received, onTime: t.onTime, overdue: t.received - t.onTime, ...progressScore(t.onTime, t.received) });
      expect(v.metrics['p766.progress.d']).toBe(t.received);
      expect(v.metrics['p766.progress.n']).toBe(t.onTime);
      const q = portalValues(SEED, code, Q3, NOW)!;
      expect(q.progress).toMatchObject(truth(code, periodMonths(Q3)));
    }
    // The parent's counts are the children's sums, its score from those sums.
    const sum = (f: (v: PortalUnitValues) => number) => oct.children.reduce((s, c) => s + f(c), 0);
    expect(oct.province.progress).toMatchObject({ received: sum((c) => c.progress.received), onTime: sum((c) => c.progress.onTime), completed: sum((c) => c.progress.completed) });
    expect(oct.province.progress.score).toBe(progressScore(oct.province.progress.onTime, oct.province.progress.received).score);
  });

  it('look real: communes a few hundred to a few thousand dossiers a month, rates and scores in range', () => {
    for (const c of oct.children) {
      if (c.unit.kind === 'commune') {
        expect(c.progress.received).toBeGreaterThan(200);
        expect(c.progress.received).toBeLessThan(20_000);
        expect(c.progress.avgProcessingDays).toBeGreaterThanOrEqual(0.5);
        expect(c.progress.avgProcessingDays).toBeLessThanOrEqual(15);
      }
      for (const g of PORTAL_GROUPS) {
        expect(c.scores[g]).toBeGreaterThanOrEqual(0);
        expect(c.scores[g]).toBeLessThanOrEqual({ transparency: 18, progress: 20, online: 12, payment: 10, satisfaction: 18, digitization: 22 }[g]);
      }
      const p = c.payment.counts;
      expect(p.totalDossierOnlinePaymentSuccess).toBeLessThanOrEqual(p.totalDossierFinancialObligation);
      expect(p.totalDossierOnlineFormalityPaymentSuccess).toBeLessThanOrEqual(p.totalFeeFormality);
      expect(p.totalFeeDossierFormality).toBeLessThan(0.5 * p.totalFeeFormality + 1); // C stays under 0.5 (its cap is unconfirmed)
      expect(p.totalFeeDossierFormalityDistinct).toBe(p.totalFeeFormality);
      for (const r of [...c.transparency.metrics, ...c.satisfaction.metrics, ...c.digitization.metrics]) {
        if (r.numerator !== null) expect(r.numerator).toBeLessThanOrEqual(r.denominator!);
      }
    }
    const totals = oct.children.map((c) => c.total).sort((a, b) => a - b);
    expect(totals[0]).toBeGreaterThan(25);
    expect(totals.at(-1)).toBeLessThan(95);
  });

  it('publish every group score as its formula gives it, but the online group (published only) and the planted payment differences', () => {
    const planted = new Set(oct.planted.map((p) => p.portalCode));
    for (const c of [...oct.children, oct.province]) {
      const sum = (xs: (number | null)[]) => round(xs.reduce<number>((s, x) => s + (x ?? 0), 0), 2);
      const [pub, upd, content, sync] = c.transparency.metrics;
      expect(c.scores.transparency).toBe(sum([specPoints(pub!, 'null'), specPoints(upd!, 'null'), specPoints(content!, 'null'), specPoints(sync!, 'null')]));
      const [dossier, onTime, satisfied] = c.satisfaction.metrics;
      expect(c.scores.satisfaction).toBe(sum([specPoints(dossier!, 'zero', 0.9), specPoints(onTime!, 'full'), specPoints(satisfied!, 'full')]));
      const sat = [1, 1, 0.8, 1, 1, 1, 1];
      expect(c.scores.digitization).toBe(sum(c.digitization.metrics.map((r, i) => specPoints(r, 'null', sat[i]))));
      expect(c.scores.progress).toBe(c.progress.received ? round((20 * c.progress.onTime) / c.progress.received, 2) : 0);
      const p = c.payment.counts;
      const part = (n: number, d: number) => (d ? n / d : 0);
      const formula = round(
        round(6 * part(p.totalDossierOnlinePaymentSuccess, p.totalDossierFinancialObligation), 2) +
          round(Math.min(2, 2.5 * part(p.totalDossierOnlineFormalityPaymentSuccess, p.totalFeeFormality)), 2) +
          round(2.5 * part(p.totalFeeDossierFormality, p.totalFeeFormality), 2),
        2
      );
      expect(c.payment.formulaScore).toBe(formula);
      expect(c.scores.payment).toBe(planted.has(c.unit.portalCode) ? round(formula + oct.planted.find((x) => x.portalCode === c.unit.portalCode)!.delta, 2) : formula);
      expect(c.total).toBe(round(PORTAL_GROUPS.reduce((s, g) => s + c.scores[g], 0), 2));
      expect(c.online.ratio).toBe(round((c.online.score / 12) * 100, 2));
      expect(c.payment.ratio).toBe(round(c.scores.payment * 10, 2));
    }
  });

  it('plant two payment scores 0.01 off the formula per period, named by plantedPaymentDifferences', () => {
    for (const period of [OCT, portalPeriod('month', 2026, 9), Q3, portalPeriod('year', 2026)]) {
      const planted = plantedPaymentDifferences(SEED, period, NOW);
      expect(planted).toHaveLength(PLANTED_PER_PERIOD);
      for (const p of planted) {
        const v = portalValues(SEED, p.portalCode, period, NOW)!;
        expect(Math.abs(p.delta)).toBe(0.01);
        expect(v.payment).toMatchObject({ formulaScore: p.formulaScore, score: p.published });
        expect(round(v.payment.score - v.payment.formulaScore, 2)).toBe(p.delta);
        expect(v.metrics['p766.score.payment']).toBe(p.published);
      }
      const values = book.period(period, NOW);
      expect(values.children.filter((c) => c.payment.score !== c.payment.formulaScore).map((c) => c.unit.portalCode).sort()).toEqual(planted.map((p) => p.portalCode).sort());
    }
    expect(plantedPaymentDifferences(SEED, OCT, NOW)).not.toEqual(plantedPaymentDifferences(SEED, portalPeriod('month', 2026, 9), NOW));
  });

  it('have zero denominators: communes publish nothing, two units a month no sync data, units without petitions', () => {
    for (const c of oct.children.filter((x) => x.unit.kind === 'commune')) {
      expect(c.transparency.metrics.slice(0, 2).map((r) => [r.numerator, r.denominator, r.ratio, r.score])).toEqual([[0, 0, null, null], [0, 0, null, null]]);
    }
    const noSync = oct.children.filter((c) => c.transparency.metrics[3]!.dataQualityStatus === 'NO_NATIONAL_REPORT_DATA');
    expect(noSync.map((c) => c.unit.portalCode)).toEqual(book.syncMissing('2026-10'));
    expect(noSync).toHaveLength(2);
    for (const c of noSync) {
      expect(c.transparency.metrics[3]).toMatchObject({ numerator: 0, denominator: 0, ratio: null, score: null });
      if (c.unit.kind === 'commune') expect(c.scores.transparency).toBe(c.transparency.metrics[2]!.score); // the content metric alone
      expect(c.progress.received).toBeGreaterThan(0);
      expect(c.metrics['p766.dossier_sync.d']).toBe(0);
    }
    const noPetition = oct.children.filter((c) => c.satisfaction.totalPetitions === 0);
    expect(noPetition.length).toBeGreaterThan(3);
    for (const c of noPetition) expect(c.satisfaction.metrics.slice(1, 3).map((r) => [r.ratio, r.score])).toEqual([[0, 6], [0, 6]]);
    // The content metric: one province value on the overview and on every child.
    for (const c of oct.children) expect(c.transparency.metrics[2]).toEqual(oct.province.transparency.metrics[2]);
  });

  it('show a department with no dossier in a month: progress 0/0 scores 0, sync and digitisation 0/0', () => {
    expect(idle).toEqual(['2025-07']);
    const month = idle[0]!;
    const v = portalValues(SEED, 'H26.16', portalPeriod('month', Number(month.slice(0, 4)), Number(month.slice(5))), NOW)!;
    expect(v.unit).toMatchObject({ gsoCode: '01-B01', kind: 'agency' });
    expect(v.progress).toMatchObject({ received: 0, onTime: 0, ratio: 0, score: 0 });
    expect(v.transparency.metrics[3]).toMatchObject({ numerator: 0, denominator: 0, dataQualityStatus: 'NO_NATIONAL_REPORT_DATA' });
    expect(v.digitization.metrics.slice(0, 6).every((r) => r.ratio === null && r.score === null)).toBe(true);
    expect(v.digitization.score).toBe(CERTIFIED_COPY_SCORE);
    expect(v.scores.online).toBe(0);
    expect(v.metrics['p766.original_result_available.d']).toBe(0);
  });

  it('sum a quarter’s counts from its months and score the sums again; a year in progress is its published months', () => {
    const months = periodMonths(Q3).map((m) => portalValues(SEED, 'H26.100', portalPeriod('month', 2026, Number(m.slice(5))), NOW)!);
    const q = portalValues(SEED, 'H26.100', Q3, NOW)!;
    const keys = Object.keys(q.metrics).filter((k) => !k.includes('.score'));
    for (const k of keys) expect(q.metrics[k]).toBe(months.reduce((s, m) => s + m.metrics[k]!, 0));
    expect(q.scores.progress).toBe(progressScore(q.progress.onTime, q.progress.received).score);
    expect(q.scores.online).toBe(round(months.reduce((s, m) => s + m.scores.online, 0) / 3, 2));
    const year = portalValues(SEED, 'H26.100', portalPeriod('year', 2026), NOW)!;
    expect(year.months).toEqual(periodMonths(portalPeriod('year', 2026)).slice(0, 10));
    expect(year.progress).toMatchObject(truth('00004', year.months));
    // The year 2025: the children exist from July.
    const y2025 = portalValues(SEED, 'H26.100', portalPeriod('year', 2025), NOW)!;
    expect(y2025.progress).toMatchObject(truth('00004', periodMonths(portalPeriod('year', 2025)).slice(6)));
  });

  it('give the province distinct payment procedure counts, not sums, and the dossier counts summed', () => {
    const p = oct.province.payment.counts;
    const kids = oct.children.map((c) => c.payment.counts);
    const sum = (k: keyof typeof p) => kids.reduce((s, c) => s + c[k], 0);
    const max = (k: keyof typeof p) => Math.max(...kids.map((c) => c[k]));
    expect(p.totalDossierOnlinePaymentSuccess).toBe(sum('totalDossierOnlinePaymentSuccess'));
    expect(p.totalDossierFinancialObligation).toBe(sum('totalDossierFinancialObligation'));
    for (const k of ['totalFeeFormality', 'totalDossierOnlineFormalityPaymentSuccess', 'totalFeeDossierFormality'] as const) {
      expect(p[k]).toBeLessThan(sum(k));
      expect(p[k]).toBeGreaterThanOrEqual(Math.min(max(k), p.totalFeeFormality));
    }
    expect(oct.province.payment.score).toBe(oct.province.payment.formulaScore);
    expect(oct.province.online.score).toBe(round(oct.children.reduce((s, c) => s + c.online.score, 0) / oct.children.length, 2));
    expect(oct.province.online.counts!.channelTotalSum).toBe(oct.province.progress.received);
  });

  it('store every field under its catalogue key, 0/0 where the portal shows null', () => {
    const v = portalValues(SEED, 'H26.100', OCT, NOW)!;
    const pairs = ['publish_on_time', 'public_update_on_time', 'public_content_full', 'dossier_sync', 'progress', 'dossier_receiving_satisfaction',
      'petition_processing_on_time', 'petition_handling_satisfaction', 'original_result_available', 'so_hoa_giay_to_giai_quyet', 'reused_digitized_data',
      'synced_with_dvcqg_personal_storage', 'citizen_data_connected_dossier', 'citizen_data_connected_formality'];
    const expected = [
      ...pairs.flatMap((p) => [`p766.${p}.n`, `p766.${p}.d`]),
      'p766.dossier_online_payment_success', 'p766.dossier_financial_obligation', 'p766.dossier_online_formality_payment_success',
      'p766.fee_dossier_formality_distinct', 'p766.fee_dossier_formality', 'p766.fee_formality', 'p766.electronic_certified_copy.score',
      ...PORTAL_GROUPS.map((g) => `p766.score.${g}`)
    ];
    expect(Object.keys(v.metrics).sort()).toEqual(expected.sort());
    expect(v.metrics['p766.publish_on_time.n']).toBe(0);
    expect(v.metrics['p766.publish_on_time.d']).toBe(0);
    for (const g of PORTAL_GROUPS) expect(v.metrics[`p766.score.${g}`]).toBe(v.scores[g]);
  });

  it('are deterministic: the same seed the same values, another seed others', () => {
    const commune = units.find((u) => u.code === '00004' && u.validFrom)!;
    expect(monthDraw(SEED, commune, 'commune', '2026-10')).toEqual(monthDraw(SEED, { ...commune }, 'commune', '2026-10'));
    expect(monthDraw('another', commune, 'commune', '2026-10')).not.toEqual(monthDraw(SEED, commune, 'commune', '2026-10'));
    const again = new PortalBook(SEED, hanoiSimUnits());
    expect(again.values('H26.150', OCT, NOW)).toEqual(portalValues(SEED, 'H26.150', OCT, NOW));
    expect(portalValues('another', 'H26.150', OCT, NOW)!.total).not.toBe(portalValues(SEED, 'H26.150', OCT, NOW)!.total);
    expect(portalValues(SEED, '00004', OCT, NOW)).toEqual(portalValues(SEED, 'H26.100', OCT, NOW));
  });

  it('have nothing for a month not yet published, nor for a unit not in force', () => {
    const nov = portalPeriod('month', 2026, 11);
    expect(portalValues(SEED, 'H26.100', nov, NOW)).toBeNull();
    const province = portalValues(SEED, 'H26', nov, NOW)!;
    expect(province.months).toEqual([]);
    expect(province.progress).toMatchObject({ received: 0, onTime: 0, score: 0 });
    expect(province.total).toBe(0); // not the zero-denominator rules' 2 + 6 + 6: nothing is published
    expect(province.transparency.metrics).toEqual([]);
    expect(Object.values(province.metrics).every((x) => x === 0)).toBe(true);
    expect(book.period(nov, NOW).children).toEqual([]);
    expect(portalValues(SEED, 'H26.100', nov, new Date('2026-12-02T17:00:00Z'))).not.toBeNull(); // 3 December, 00:00 ICT
    expect(portalValues(SEED, 'H26.100', portalPeriod('month', 2025, 6), NOW)).toBeNull(); // before the communes of 01/07/2025
    expect(portalValues(SEED, 'H26.999', OCT, NOW)).toBeNull();
  });
});
