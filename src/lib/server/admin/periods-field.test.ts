import { describe, expect, it } from 'vitest';
import { sourceInputFromJson } from '../api/form-input.ts';
import { parsePeriodsField, sourceFormSchema } from './sources.ts';

/** A polled source's form, every field as the form posts it. */
const form = (more: Record<string, string>) => ({
  key: 'cong-ky', name: 'Nguồn theo kỳ', family: 'dossier', kind: 'json_http', produces: 'samples', granularity: 'day',
  urlTemplate: 'https://portal.example/api', method: 'POST', body: '{"timeType":"{timeType}"}', authKind: 'none', mapping: '$',
  intervalSeconds: '3600', timeoutMs: '20000', staleAfterSeconds: '86400', trailingDays: '3', ...more
});
const errorsOf = (input: Record<string, string>) => {
  const r = sourceFormSchema.safeParse(input);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe('the field «Kỳ công bố»', () => {
  it('reads the ticked boxes, a JSON list or words, in order month, quarter, year', () => {
    expect(parsePeriodsField('year,month')).toEqual({ periods: ['month', 'year'] });
    expect(parsePeriodsField('["quarter","month","quarter"]')).toEqual({ periods: ['month', 'quarter'] });
    expect(parsePeriodsField(['month', 'quarter', 'year'])).toEqual({ periods: ['month', 'quarter', 'year'] });
    expect(parsePeriodsField('tháng, quý; năm')).toEqual({ periods: ['month', 'quarter', 'year'] });
  });

  it('is empty for a source of a day\'s values', () => {
    for (const empty of ['', '  ', undefined, null, '[]']) expect(parsePeriodsField(empty)).toEqual({ periods: null });
  });

  it('names the field and the bad value in words', () => {
    expect(parsePeriodsField('month,week')).toEqual({ error: 'periods: kỳ công bố «week» không có; chọn tháng (month), quý (quarter), năm (year), hoặc để trống cho nguồn số liệu theo ngày' });
    expect(parsePeriodsField('[1')).toEqual({ error: 'periods: «[1» không phải danh sách kỳ hợp lệ (vd. month, quarter, year)' });
  });

  it('is saved through the form schema, from the form and from JSON', () => {
    expect(sourceFormSchema.parse(form({ periods: 'month,quarter,year' })).periods).toEqual(['month', 'quarter', 'year']);
    expect(sourceFormSchema.parse(form({})).periods).toBeNull();
    expect(sourceFormSchema.parse(sourceInputFromJson({ ...form({}), periods: ['year'] })).periods).toEqual(['year']);
    expect(errorsOf(form({ periods: 'ngày' }))).toEqual({ periods: expect.stringMatching(/^periods: kỳ công bố «ngày» không có/) });
  });

  it('lets a periodic source re-read more days than a daily one', () => {
    expect(errorsOf(form({ periods: 'month', trailingDays: '40' }))).toEqual({});
    expect(errorsOf(form({ trailingDays: '40' }))).toEqual({ trailingDays: 'trailingDays: nhiều nhất là 31 ngày với nguồn số liệu theo ngày (nguồn có kỳ công bố: 400 ngày)' });
    expect(errorsOf(form({ periods: 'month', trailingDays: '401' })).trailingDays).toMatch(/^trailingDays: nhiều nhất là 400/);
  });

  it('is refused on an upload and on a task list', () => {
    expect(errorsOf(form({ periods: 'month', kind: 'upload', urlTemplate: '' }))).toEqual({ periods: 'periods: nguồn tải tệp lên không có kỳ công bố; để trống ô «Kỳ công bố»' });
    expect(errorsOf(form({ periods: 'month', produces: 'tasks' })).periods).toMatch(/^periods: danh sách nhiệm vụ/);
  });
});
