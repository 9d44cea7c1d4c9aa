import { describe, expect, it } from 'vitest';
import { otherErrors } from './form-errors.ts';

describe('otherErrors', () => {
  it("keeps only the errors of no field of the form's own, in one line", () => {
    expect(otherErrors({ username: 'taken', form: 'Không thể tự khóa tài khoản.', id: 'unknown' }, ['username'])).toBe('Không thể tự khóa tài khoản. id: unknown');
    expect(otherErrors({ username: 'taken' }, ['username'])).toBeNull();
    expect(otherErrors(undefined, [])).toBeNull();
  });
});
