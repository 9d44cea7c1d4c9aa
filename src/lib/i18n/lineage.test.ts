import { describe, expect, it } from 'vitest';
import { dayOf, linkWords } from './lineage.ts';

describe('a reform in words', () => {
  it('says whole or in part, the share when it is an estimate, and quotes the register', () => {
    expect(linkWords({ kind: 'whole', share: 1, estimated: false, note: 'Nhập toàn bộ' }, 'vi')).toBe('toàn bộ · danh mục ghi “Nhập toàn bộ”');
    expect(linkWords({ kind: 'part', share: 0.5, estimated: true, note: 'Nhập một phần' }, 'vi')).toBe('một phần · tính 50% số liệu trước ngày sắp xếp, ước tính · danh mục ghi “Nhập một phần”');
    expect(linkWords({ kind: 'part', share: 0, estimated: true, note: 'Nhập một phần diện tích' }, 'en')).toBe('in part · its figures before the reorganisation not counted here · the register says “Nhập một phần diện tích”');
    expect(linkWords({ kind: 'part', share: 1 / 3, estimated: true, note: 'Nhập một phần' }, 'en')).toBe('in part · 33,3% of its figures before the reorganisation counted, estimated · the register says “Nhập một phần”');
  });

  it('writes days as dd/MM/yyyy, the day after the last in force when asked', () => {
    expect(dayOf('2025-06-30', 1)).toBe('01/07/2025');
    expect(dayOf('2025-07-01')).toBe('01/07/2025');
  });
});
