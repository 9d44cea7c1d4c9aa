import { describe, expect, it } from 'vitest';
import { mappingField, parseMappingField } from './sources.ts';

describe('the mapping field of a JSON source', () => {
  it('reads the each: and metrics: lines beside the expression, and shows them back', () => {
    const text = 'each: duLieu.xa\n{ "unitCode": maXa, "date": $date(ngay, "dd/MM/yyyy"), "values": { "dossier.received": $number(soHoSo) } }\nmetrics: dossier.received';
    const parsed = parseMappingField('json_http', 'dossier', text);
    expect(parsed).toEqual({
      mapping: { each: 'duLieu.xa', expression: '{ "unitCode": maXa, "date": $date(ngay, "dd/MM/yyyy"), "values": { "dossier.received": $number(soHoSo) } }', metrics: ['dossier.received'] }
    });
    expect(mappingField('json_http', (parsed as { mapping: unknown }).mapping)).toBe(text);
  });

  it('keeps a mapping without them as it was', () => {
    expect(parseMappingField('json_http', 'dossier', 'rows.{"a": 1}')).toEqual({ mapping: { expression: 'rows.{"a": 1}', metrics: [] } });
    expect(mappingField('json_http', { expression: 'x', metrics: ['a', 'b'] })).toBe('x\nmetrics: a, b');
  });

  it('names a broken each: line', () => {
    expect(parseMappingField('json_http', 'dossier', 'each: duLieu.{\nx')).toEqual({ error: expect.stringMatching(/^dòng each: không phải biểu thức JSONata hợp lệ/) });
  });
});
