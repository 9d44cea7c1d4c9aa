import { describe, expect, it } from 'vitest';
import { sourceInputFromJson, toFormInput } from './form-input.ts';

describe('JSON as form fields', () => {
  it('writes numbers, booleans and null as a form does, and objects in the form’s own shapes', () => {
    expect(
      toFormInput({
        intervalSeconds: 900, enabled: false, priority: null, name: 'Một cửa', skipped: undefined,
        mapping: { expression: 'duLieu.{ "unitCode": ma }', metrics: ['dossier.received', 'dossier.resolved'], each: 'huyen.xa' },
        headers: { 'X-Don-Vi': '{year}', Accept: 'application/json' },
        body: { tuNgay: '{from:dd/MM/yyyy}' }
      })
    ).toEqual({
      intervalSeconds: '900', enabled: 'false', priority: '', name: 'Một cửa',
      mapping: 'duLieu.{ "unitCode": ma }\nmetrics: dossier.received, dossier.resolved\neach: huyen.xa',
      headers: 'X-Don-Vi: {year}\nAccept: application/json',
      body: '{"tuNgay":"{from:dd/MM/yyyy}"}'
    });
    expect(toFormInput({ mapping: { unitColumn: 'ma', columns: { a: 'b' } } })).toEqual({ mapping: '{"unitColumn":"ma","columns":{"a":"b"}}' });
  });

  it('takes a source left without `enabled` as enabled, and keeps an explicit false', () => {
    expect(sourceInputFromJson({ key: 'a' })).toEqual({ enabled: 'true', key: 'a' });
    expect(sourceInputFromJson({ key: 'a', enabled: false }).enabled).toBe('false');
  });
});
