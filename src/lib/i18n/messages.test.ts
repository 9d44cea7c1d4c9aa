import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bandName, familyName, indicatorName, metricName } from './names.ts';

const load = (locale: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./messages/${locale}.json`, import.meta.url), 'utf8'));
const vi = load('vi');
const en = load('en');

/** The placeholders a message shows ({name}), over all its variants. */
function placeholders(message: unknown): Set<string> {
  const texts = typeof message === 'string' ? [message] : (message as { match: Record<string, string> }[]).flatMap((v) => Object.values(v.match));
  return new Set(texts.flatMap((t) => [...t.matchAll(/\{(\w+)\}/g)].map((x) => x[1]!)));
}

describe('the message files', () => {
  it('have the same keys in Vietnamese and English, none left empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [key, value] of Object.entries({ ...vi, ...en })) expect(value, key).not.toBe('');
  });

  it('show what each message is given in both languages (a plural form may add the count it selects on)', () => {
    for (const key of Object.keys(vi)) {
      if (key === '$schema') continue;
      const shown = placeholders(en[key]);
      for (const p of placeholders(vi[key])) if (p !== 'minutes') expect(shown.has(p) || shown.has('n'), `${key}: {${p}}`).toBe(true);
    }
  });
});

describe('names', () => {
  it('are Vietnamese by default and English when asked', () => {
    expect(familyName('dossier')).toBe('Hồ sơ TTHC');
    expect(familyName('dossier', 'en')).toBe('Dossiers');
    expect(familyName('unknown', 'en')).toBe('unknown');
    expect(indicatorName({ nameVi: 'Hồ sơ đúng hạn', nameEn: 'Dossiers on time' })).toBe('Hồ sơ đúng hạn');
    expect(indicatorName({ nameVi: 'Hồ sơ đúng hạn', nameEn: 'Dossiers on time' }, 'en')).toBe('Dossiers on time');
    expect(indicatorName({ nameVi: 'Chỉ số riêng', nameEn: '' }, 'en')).toBe('Chỉ số riêng');
    expect(metricName('dossier.received', 'Hồ sơ tiếp nhận', 'en')).toBe('Dossiers received');
    expect(metricName('custom.metric', 'Chỉ tiêu riêng', 'en')).toBe('Chỉ tiêu riêng');
  });

  it('translate the default band names and leave a scheme’s own names as stored', () => {
    expect(bandName('Xuất sắc', 'en')).toBe('Excellent');
    expect(bandName('Trung bình', 'en')).toBe('Average');
    expect(bandName('Trung bình')).toBe('Trung bình');
    expect(bandName('Hạng A', 'en')).toBe('Hạng A');
    expect(bandName('toString', 'en')).toBe('toString');
  });
});
