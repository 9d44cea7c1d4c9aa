import { describe, expect, it } from 'vitest';
import { formatTime } from './format.ts';

describe('formatTime', () => {
  it('shows an instant in ICT, from ISO 8601 or from PostgreSQL text', () => {
    expect(formatTime('2026-11-22T14:08:00.000Z')).toBe('21:08 22/11');
    expect(formatTime('2026-11-22 14:08:00.123+00')).toBe('21:08 22/11');
    expect(formatTime(null)).toBe('—');
    expect(formatTime('not a time')).toBe('—');
  });
});
