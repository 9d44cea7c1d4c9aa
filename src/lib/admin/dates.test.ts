import { describe, expect, it } from 'vitest';
import { parseDay } from './dates.ts';

describe('a day typed on an admin form', () => {
  it('reads dd/MM/yyyy as shown, d/M/yyyy and ISO, and nothing else', () => {
    expect(parseDay('02/11/2026')).toBe('2026-11-02');
    expect(parseDay(' 2/1/2026 ')).toBe('2026-01-02');
    expect(parseDay('2026-11-02')).toBe('2026-11-02');
    expect(parseDay('31/02/2026')).toBeNull();
    expect(parseDay('11/2026')).toBeNull();
    expect(parseDay('')).toBeNull();
  });
});
