import { describe, expect, it } from 'vitest';
import { ratioHistoryOption } from './options.ts';

describe('ratioHistoryOption', () => {
  it('plots percentages and leaves days without data as gaps, not 0 %', () => {
    const option = ratioHistoryOption({
      unit: { code: '278', name: 'Huyện Thanh Oai' },
      indicator: { key: 'dossier.on_time', family: 'dossier', nameVi: 'Hồ sơ đúng hạn', nameEn: 'Dossiers on time', maxPoints: 20, saturation: 1, numeratorNounVi: 'hồ sơ đúng hạn', group: null, published: false, zeroDenominator: 'none' },
      points: [
        { date: '2026-11-21', numerator: 83, denominator: 100, ratio: 0.83 },
        { date: '2026-11-22', numerator: 0, denominator: 0, ratio: null }
      ]
    });
    expect(option.series[0]!.data).toEqual([83, null]);
    expect(option.xAxis.data).toEqual(['21/11', '22/11']);
  });
});
