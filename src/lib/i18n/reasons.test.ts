import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEME } from '#domain/catalogue';
import { notRankedLine, notRankedReason } from './reasons.ts';

const IND = DEFAULT_SCHEME.indicators;

describe('why a unit is not ranked', () => {
  it('names the indicators with no data in the reader’s language, as a list', () => {
    const one = { code: 'no_data' as const, indicators: ['eid.activation'] };
    expect(notRankedReason(one, IND, 'vi')).toBe('chưa có số liệu về Kích hoạt định danh điện tử');
    expect(notRankedReason(one, IND, 'en')).toBe('no data for e-ID activation');
    const three = { code: 'no_data' as const, indicators: ['dossier.on_time', 'eid.activation', 'task.on_time'] };
    expect(notRankedReason(three, IND, 'vi')).toBe('chưa có số liệu về Hồ sơ đúng hạn, Kích hoạt định danh điện tử và Nhiệm vụ đúng hạn');
    expect(notRankedReason(three, IND, 'en')).toBe('no data for Dossiers on time, e-ID activation and Tasks on time');
  });

  it('says it in one phrase when nothing of the scheme was reported, and shows an unknown key as it is', () => {
    const all = { code: 'no_data' as const, indicators: IND.map((i) => i.key) };
    expect(notRankedReason(all, IND, 'vi')).toBe('chưa có số liệu nào trong kỳ này');
    expect(notRankedReason(all, IND, 'en')).toBe('no data at all for this period');
    expect(notRankedReason({ code: 'no_data', indicators: ['old.indicator'] }, IND, 'en')).toBe('no data for old.indicator');
  });

  it('words the other codes, and the line a board shows', () => {
    expect(notRankedReason({ code: 'nothing_to_score', indicators: [] }, IND, 'vi')).toBe('không có chỉ số nào để chấm điểm trong kỳ này');
    expect(notRankedReason({ code: 'nothing_to_score', indicators: [] }, IND, 'en')).toBe('nothing to score in this period');
    expect(notRankedLine({ code: 'not_computed', indicators: [] }, IND, 'vi')).toBe('Chưa xếp hạng: chưa tính cho kỳ này');
    expect(notRankedLine({ code: 'not_computed', indicators: [] }, IND, 'en')).toBe('Not ranked: not computed for this period yet');
  });
});
