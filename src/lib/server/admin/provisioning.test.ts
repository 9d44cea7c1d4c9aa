import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sourceInputFromJson } from '../api/form-input.ts';
import { parseProvisioning } from './provisioning.ts';
import { sourceFormSchema } from './sources.ts';

describe('provisioning files', () => {
  it('read the example of docs/provisioning.md as a valid source', () => {
    const doc = readFileSync('docs/provisioning.md', 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const parsed = parseProvisioning(yaml, 'sources.yaml');
    expect('entries' in parsed && parsed.entries).toHaveLength(1);
    const entry = (parsed as { entries: Record<string, unknown>[] }).entries[0]!;
    expect(entry.password).toBe('${THANHOAI_PASSWORD}');
    const form = sourceFormSchema.safeParse(sourceInputFromJson({ ...entry, password: 'x' }));
    expect(form.error?.issues ?? []).toEqual([]);
    expect(form.data!.mapping).toMatch(/^\{ "unitCode": maXa[\s\S]*\$number\(tiepNhan\)/);
    expect(form.data!.mapping.split('\n')).toEqual(expect.arrayContaining(['each: duLieu', 'metrics: dossier.received']));
    expect(form.data!.numberLocale).toBe('vi');
    expect(form.data!.enabled).toBe(true);
  });

  it('take JSON, an empty file, and say what is wrong with the shape in words', () => {
    expect(parseProvisioning('{"sources": []}', 'a.json')).toEqual({ entries: [] });
    expect(parseProvisioning('', 'a.yaml')).toEqual({ entries: [] });
    expect(parseProvisioning('- key: a', 'a.yaml')).toEqual({ error: 'tệp phải có dạng { sources: [ … ] }' });
    expect(parseProvisioning('sources: {key: a}', 'a.yaml')).toEqual({ error: 'sources phải là một danh sách nguồn' });
    expect(parseProvisioning('{"sources": [', 'a.json')).toMatchObject({ error: expect.stringMatching(/^không đọc được tệp: /) });
  });
});
