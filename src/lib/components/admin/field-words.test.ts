import { describe, expect, it } from 'vitest';
import { withoutFieldKeys } from './field-words.ts';

describe('withoutFieldKeys', () => {
  it('leaves out the field keys the server puts before its words', () => {
    expect(withoutFieldKeys('urlTemplate: địa chỉ 169.254.169.254 bị từ chối')).toBe('địa chỉ 169.254.169.254 bị từ chối');
    expect(withoutFieldKeys('key: trùng mã; intervalSeconds: từ 5 đến 86.400 giây')).toBe('trùng mã; từ 5 đến 86.400 giây');
  });
  it('keeps words that are no key', () => {
    expect(withoutFieldKeys('Nguồn đã có: {from:dd/MM/yyyy} sai')).toBe('Nguồn đã có: {from:dd/MM/yyyy} sai');
  });
});
