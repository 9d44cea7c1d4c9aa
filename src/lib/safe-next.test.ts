import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

describe('safeNext: where a sign-in may send the browser', () => {
  it('keeps a path on this site, with its query and fragment', () => {
    expect(safeNext('/units/278?period=month&date=2026-11-20')).toBe('/units/278?period=month&date=2026-11-20');
    expect(safeNext('/admin/sources#runs')).toBe('/admin/sources#runs');
    expect(safeNext('/')).toBe('/');
  });
  it('sends everything that could leave the site, or break the header, to /', () => {
    for (const bad of [
      '//evil.example', '/\\evil.example', '\\\\evil.example', '/\t/evil.example', '/\n/evil.example', '%0a', '/..//evil.example', '/.//evil.example', '/%2e%2e//evil.example', '/x\r\nset-cookie: a=b',
      'javascript:alert(1)', 'https://evil.example/', 'http:evil.example', 'evil.example', ' /units', '/\u0000', '', null, undefined
    ]) {
      expect(safeNext(bad), JSON.stringify(bad)).toBe('/');
    }
  });
  it('percent-encodes what a Location header cannot carry as it is', () => {
    expect(safeNext('/units/Hà Nội')).toBe('/units/H%C3%A0%20N%E1%BB%99i');
  });
});
