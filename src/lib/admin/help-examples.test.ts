import { describe, expect, it } from 'vitest';
import { mapBody } from '#server/pipeline/mapping/index';
import type { Lookups } from '#server/pipeline/mapping/validate';
import { checkTemplate } from '#server/pipeline/request';
import { parseMappingField } from '$lib/server/admin/sources';
import { CSV_EXAMPLE_BODY, CSV_EXAMPLE_MAPPING, EXAMPLE_RECORD, JSON_EXAMPLE_BODY, JSON_EXAMPLE_MAPPING, JSON_EXAMPLE_REQUEST_BODY } from './help-examples.ts';

// The units and metrics the examples name: Thị trấn Kim Bài (10114) under Huyện Thanh Oai (278).
const lookups: Lookups & { unitIdsUnder(): number[] } = {
  unitIdByCode: new Map([['278', 1], ['10114', 2]]),
  codeSystem: 'gso',
  metrics: new Map((['dossier.received', 'dossier.resolved', 'dossier.resolved_on_time'] as const).map((key, i) => [key, { id: i + 1, unit: 'count', partOf: null }])),
  unitIdsUnder: () => [1, 2]
};
const window = { from: '2026-11-18', to: '2026-11-20' };
const mappingOf = (kind: string, text: string) => {
  const parsed = parseMappingField(kind, 'dossier', text);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.mapping;
};
const values = (rows: { unitId: number; metricId: number; day: string; value: number }[]) => rows.map((r) => [r.unitId, r.metricId, r.day, r.value]);
const expected = (JSON.parse(EXAMPLE_RECORD) as { values: Record<string, number> }[])[0]!.values;

describe("the source form's worked examples, run through the engine", () => {
  it('the JSON example, typed as shown with the Vietnamese number locale, gives the record the help shows', async () => {
    const source = { kind: 'json_http', produces: 'samples', mapping: mappingOf('json_http', JSON_EXAMPLE_MAPPING), scopeUnitId: null, numberLocale: 'vi' as const };
    const mapped = await mapBody(source, { text: JSON_EXAMPLE_BODY }, lookups, window);
    expect(mapped.rejected).toEqual([]);
    expect(values(mapped.rows as never)).toEqual([[2, 1, '2026-11-20', expected['dossier.received']], [2, 2, '2026-11-20', expected['dossier.resolved']], [2, 3, '2026-11-20', 950]]);
    expect(checkTemplate(JSON_EXAMPLE_REQUEST_BODY)).toEqual([]);
  });

  it('without a declared number locale the same example rejects its row, quoting "1.234"', async () => {
    const source = { kind: 'json_http', produces: 'samples', mapping: mappingOf('json_http', JSON_EXAMPLE_MAPPING), scopeUnitId: null, numberLocale: null };
    const mapped = await mapBody(source, { text: JSON_EXAMPLE_BODY }, lookups, window);
    expect(mapped.rows).toEqual([]);
    expect(mapped.rejected[0]!.reason).toContain('1.234');
  });

  it('the CSV example gives the same figures', async () => {
    const source = { kind: 'csv_http', produces: 'samples', mapping: mappingOf('csv_http', CSV_EXAMPLE_MAPPING), scopeUnitId: null, numberLocale: 'vi' as const };
    const mapped = await mapBody(source, { text: CSV_EXAMPLE_BODY }, lookups, window);
    expect(mapped.rejected).toEqual([]);
    expect(values(mapped.rows as never)).toEqual([[2, 1, '2026-11-20', expected['dossier.received']], [2, 2, '2026-11-20', expected['dossier.resolved']]]);
  });
});
