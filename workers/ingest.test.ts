import { describe, expect, it } from 'vitest';
import { resolveSamples } from './ingest.ts';

const lookups = { unitIdByCode: new Map([['00001', 1]]), metricIdByKey: new Map([['dossier.received', 3]]) };
const window = { from: '2026-02-26', to: '2026-03-02' };

describe('resolveSamples', () => {
  it('keeps good samples and rejects unknown units, unknown metrics, impossible and out-of-window dates, in words', () => {
    const { rows, rejected } = resolveSamples(
      [
        { unitCode: '00001', metric: 'dossier.received', date: '2026-02-28', value: 5 },
        { unitCode: '99999', metric: 'dossier.received', date: '2026-02-28', value: 5 },
        { unitCode: '00001', metric: 'dossier.unknown', date: '2026-02-28', value: 5 },
        { unitCode: '00001', metric: 'dossier.received', date: '2026-02-30', value: 5 },
        { unitCode: '00001', metric: 'dossier.received', date: '2026-03-05', value: 5 }
      ],
      lookups,
      window
    );
    expect(rows).toEqual([{ unitId: 1, metricId: 3, day: '2026-02-28', value: 5 }]);
    expect(rejected.map((r) => r.reason)).toEqual([
      'unknown unit code 99999',
      'unknown metric dossier.unknown',
      'date 2026-02-30 does not exist',
      'date 2026-03-05 is outside the requested 2026-02-26 – 2026-03-02'
    ]);
  });
});
