import { describe, expect, it } from 'vitest';
import { bandOf, DEFAULT_BANDS } from './bands.ts';

describe('bandOf', () => {
  it('gives the best band whose minimum the total reaches, edges included', () => {
    expect(bandOf(90, DEFAULT_BANDS)).toBe('Xuất sắc');
    expect(bandOf(89.99, DEFAULT_BANDS)).toBe('Tốt');
    expect(bandOf(80, DEFAULT_BANDS)).toBe('Tốt');
    expect(bandOf(64.99, DEFAULT_BANDS)).toBe('Trung bình');
    expect(bandOf(0, DEFAULT_BANDS)).toBe('Yếu');
  });
  it('gives no band to a unit that is not ranked, and works whatever order the bands are stored in', () => {
    expect(bandOf(null, DEFAULT_BANDS)).toBeNull();
    expect(bandOf(70, [...DEFAULT_BANDS].reverse())).toBe('Khá');
  });
});
