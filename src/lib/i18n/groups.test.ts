import { describe, expect, it } from 'vitest';
import { groupHeading, groupKind, groupLabel, groupNoun, notOnMapLine, overviewHeading, typesWords } from './groups.ts';

const communes = { level: 'commune', types: ['Xã', 'Phường'], count: 126 };
const departments = { level: 'department', types: ['Sở', 'Ban', 'Ngành'], count: 14 };
const districts = { level: 'district', types: ['Huyện', 'Quận', 'Thị xã'], count: 30 };

describe('words from the board’s groups', () => {
  it('name the children by the register’s types, lower-cased as a sentence writes them', () => {
    expect(typesWords(districts)).toBe('huyện, quận, thị xã');
    expect(groupNoun(communes, 'vi')).toBe('126 xã, phường');
    expect(groupHeading(communes, 0, 'vi')).toEqual({ title: 'Xếp hạng 126 xã, phường', sub: null });
    expect(groupHeading(departments, 1, 'vi')).toEqual({ title: 'Các sở, ban, ngành', sub: '14 đơn vị, xếp hạng riêng' });
    expect(groupHeading(districts, 0, 'vi').title).toBe('Xếp hạng 30 huyện, quận, thị xã');
    expect(groupLabel(communes, 'vi')).toBe('Xã, phường');
    expect(groupKind({ level: 'đặc biệt', types: ['Đặc khu'], count: 1 }, 'vi')).toBe('đặc khu');
  });

  it('in English, put the level in English before the register’s own words', () => {
    expect(groupNoun(communes, 'en')).toBe('126 communes (xã, phường)');
    expect(groupNoun({ ...departments, count: 1 }, 'en')).toBe('1 department (sở, ban, ngành)');
    expect(groupHeading(communes, 0, 'en').title).toBe('Ranking of 126 communes (xã, phường)');
    expect(groupHeading(departments, 1, 'en')).toEqual({ title: 'Departments (sở, ban, ngành)', sub: '14 units, ranked on their own' });
    expect(groupLabel(districts, 'en')).toBe('Districts (huyện, quận, thị xã)');
    // A level the messages do not know is "units", never a guess.
    expect(groupNoun({ level: 'special_zone', types: ['Đặc khu'], count: 3 }, 'en')).toBe('3 units (đặc khu)');
  });

  it('head the overview and say what is not on the map', () => {
    expect(overviewHeading('Thành phố Hà Nội', [communes, departments], 'vi')).toBe('Thành phố Hà Nội: xếp hạng 126 xã, phường và 14 sở, ban, ngành');
    expect(overviewHeading('Thành phố Hà Nội', [districts], 'vi')).toBe('Thành phố Hà Nội: xếp hạng 30 huyện, quận, thị xã');
    expect(overviewHeading('Thành phố Hà Nội', [communes, departments], 'en')).toBe('Thành phố Hà Nội: 126 communes (xã, phường) and 14 departments (sở, ban, ngành) ranked');
    expect(notOnMapLine([departments], 'vi')).toBe('14 sở, ban, ngành không có trên bản đồ: không có địa bàn riêng.');
    expect(notOnMapLine([departments], 'en')).toBe('The 14 departments (sở, ban, ngành) are not on the map: they have no territory of their own.');
    expect(notOnMapLine([], 'vi')).toBeNull();
  });
});
