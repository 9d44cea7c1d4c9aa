import { describe, expect, it } from 'vitest';
import { parseTargetsSheet, TARGET_COLUMNS } from './targets.ts';

const known = {
  indicators: [{ key: 'dossier.on_time', nameVi: 'Hồ sơ đúng hạn' }, { key: 'eid.activation', nameVi: 'Kích hoạt định danh điện tử' }],
  unitCodes: new Set(['01', '00004', '10114'])
};
const header = TARGET_COLUMNS.map((c) => c.heading);

describe('parseTargetsSheet', () => {
  it('keeps the good lines and refuses each bad one with its line and reason in Vietnamese', () => {
    const { lines, problems } = parseTargetsSheet(
      [
        header,
        ['Hồ sơ đúng hạn', '', '', '', '95'],
        ['ho so dung han', '10114', 'Tháng', '15/11/2026', '90,5'],
        ['eid.activation', '99999', '', '', '80'],
        ['Chỉ số lạ', '', 'quý', '', '120'],
        [null, null, null, null, null],
        ['eid.activation', '00004', 'month', new Date(Date.UTC(2026, 10, 3)), 0.85],
        ['Hồ sơ đúng hạn', '', '', '', 96]
      ],
      known
    );
    expect(lines).toEqual([
      { line: 2, input: { indicatorKey: 'dossier.on_time', scopeCode: '', periodKind: '', periodDate: '', percent: '95' } },
      { line: 3, input: { indicatorKey: 'dossier.on_time', scopeCode: '10114', periodKind: 'month', periodDate: '2026-11-15', percent: '90.5' } },
      { line: 7, input: { indicatorKey: 'eid.activation', scopeCode: '00004', periodKind: 'month', periodDate: '2026-11-03', percent: '85' } }
    ]);
    expect(problems).toEqual([
      { line: 4, reason: 'không có đơn vị đang hiệu lực mã “99999”' },
      { line: 5, reason: 'không có chỉ số “Chỉ số lạ” trong bộ chỉ số đang dùng; có loại kỳ nhưng thiếu ngày trong kỳ; chỉ tiêu “120” không phải một tỷ lệ phần trăm lớn hơn 0 và tối đa 100' },
      { line: 8, reason: 'trùng với dòng 2 (cùng chỉ số, đơn vị và kỳ)' }
    ]);
  });

  it('names a missing column and takes nothing', () => {
    const { lines, problems } = parseTargetsSheet([header.slice(0, 4), ['Hồ sơ đúng hạn', '', '', '']], known);
    expect(lines).toEqual([]);
    expect(problems).toEqual([{ line: 1, reason: 'thiếu cột percent' }]);
  });

  it('refuses a bad date and a date without a kind', () => {
    const { problems } = parseTargetsSheet([header, ['Hồ sơ đúng hạn', '', 'tháng', '31/02/2026', '95'], ['Hồ sơ đúng hạn', '', '', '01/11/2026', '95']], known);
    expect(problems).toEqual([
      { line: 2, reason: 'ngày trong kỳ “31/02/2026” không phải một ngày dạng dd/mm/yyyy' },
      { line: 3, reason: 'có ngày trong kỳ nhưng thiếu loại kỳ' }
    ]);
  });
});
