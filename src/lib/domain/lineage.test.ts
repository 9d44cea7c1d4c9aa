import { describe, expect, it } from 'vitest';
import { classifyMergeNote, lineageShares } from './lineage.ts';

describe('classifyMergeNote', () => {
  it('reads the register’s notes, its misspellings and doubled spaces included', () => {
    expect(classifyMergeNote('Nhập toàn bộ')).toBe('whole');
    expect(classifyMergeNote('Giữ nguyên')).toBe('whole');
    expect(classifyMergeNote('Đổi loại hình')).toBe('whole');
    expect(classifyMergeNote('Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo')).toBe('whole');
    expect(classifyMergeNote('Nhập một  phần')).toBe('part');
    expect(classifyMergeNote('Nhâp một phần diện tích')).toBe('part_area');
    expect(classifyMergeNote('Nhập một phần diện tích, toàn bộ dân số')).toBe('part_whole_population');
    expect(classifyMergeNote('Đổi tên từ một phần Phường 15')).toBe('part');
    expect(classifyMergeNote('Phần còn lại sau khi tách một phần vào xã Canh Vinh')).toBe('part');
    expect(classifyMergeNote('ghi chú lạ')).toBe('part');
  });
});

describe('lineageShares', () => {
  it('counts a whole merge once, shares a split equally, follows the whole population, and always adds up to 1', () => {
    const shares = lineageShares([
      { oldCode: 'a', newCode: 'X', note: 'Nhập toàn bộ' },
      { oldCode: 'b', newCode: 'X', note: 'Nhập một phần' },
      { oldCode: 'b', newCode: 'Y', note: 'Nhập một phần' },
      { oldCode: 'b', newCode: 'Z', note: 'Nhập một phần' },
      { oldCode: 'c', newCode: 'Y', note: 'Nhập một phần diện tích' },
      { oldCode: 'c', newCode: 'Z', note: 'Nhập một phần diện tích, toàn bộ dân số' },
      { oldCode: 'd', newCode: 'Z', note: 'Nhập một phần' },
      { oldCode: 'a', newCode: 'X', note: 'Nhập toàn bộ' } // listed twice: once
    ]);
    const of = (o: string, n: string) => shares.find((s) => s.oldCode === o && s.newCode === n)!;
    expect(shares).toHaveLength(7);
    expect(of('a', 'X')).toMatchObject({ share: 1, estimated: false });
    expect(of('b', 'Y')).toMatchObject({ share: 1 / 3, estimated: true });
    expect(of('c', 'Y')).toMatchObject({ share: 0, estimated: true });
    expect(of('c', 'Z')).toMatchObject({ share: 1, estimated: true });
    expect(of('d', 'Z')).toMatchObject({ share: 1, estimated: true });
    for (const old of ['a', 'b', 'c', 'd']) {
      expect(shares.filter((s) => s.oldCode === old).reduce((t, s) => t + s.share, 0)).toBeCloseTo(1, 12);
    }
  });
});
