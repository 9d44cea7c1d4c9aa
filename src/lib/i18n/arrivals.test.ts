import { describe, expect, it } from 'vitest';
import { lateAndCorrectedSentence } from './arrivals.ts';

describe('the late and corrected figures', () => {
  it('say late and corrected samples in Vietnamese, only the cases that are not zero', () => {
    expect(lateAndCorrectedSentence({ late: 12, corrected: 3 }, 'vi')).toBe('12 số liệu đến muộn, 3 số liệu được sửa sau');
    expect(lateAndCorrectedSentence({ late: 12, corrected: 0 }, 'vi')).toBe('12 số liệu đến muộn');
    expect(lateAndCorrectedSentence({ late: 0, corrected: 3 }, 'vi')).toBe('3 số liệu được sửa sau');
    expect(lateAndCorrectedSentence({ late: 0, corrected: 0 }, 'vi')).toBeNull();
    expect(lateAndCorrectedSentence({ late: 1234, corrected: 0 }, 'vi')).toBe('1.234 số liệu đến muộn'); // vi-VN thousands
  });

  it('say the same in English, singular or plural, with the vi-VN numbers', () => {
    expect(lateAndCorrectedSentence({ late: 0, corrected: 1_204 }, 'en')).toBe('1.204 figures corrected afterwards');
    expect(lateAndCorrectedSentence({ late: 12, corrected: 1 }, 'en')).toBe('12 figures arrived late, 1 figure corrected afterwards');
    expect(lateAndCorrectedSentence({ late: 1, corrected: 0 }, 'en')).toBe('1 figure arrived late');
    expect(lateAndCorrectedSentence({ late: 0, corrected: 0 }, 'en')).toBeNull();
  });
});
