/**
 * The request templates of a source form, checked on save and before a test: each field's
 * placeholders ({from:dd/MM/yyyy}, {page} …) through the engine's checkTemplate, an error naming
 * the field ("body: …"), so nothing with an unknown placeholder or format is ever sent.
 */
import { DateTime } from 'luxon';

// Until the engine's checkTemplate (src/lib/server/pipeline/request.ts) is merged: the same rules.
const NAMES = new Set(['from', 'to', 'fromMonth', 'toMonth', 'month', 'quarter', 'year', 'page', 'cursor']);
function checkTemplate(text: string): string[] {
  const out: string[] = [];
  for (const [token, name, format] of text.matchAll(/\{(\w+)(?::([^{}]*))?\}/g)) {
    if (!NAMES.has(name!)) out.push(`biến ${token} không có (các biến: ${[...NAMES].map((n) => `{${n}}`).join(' ')})`);
    else if (format !== undefined && (!format.trim() || DateTime.fromISO('2026-11-20').toFormat(format).includes('Invalid'))) out.push(`định dạng "${format}" của ${token} không hợp lệ`);
  }
  return out;
}

export interface TemplateFields {
  urlTemplate: string;
  headers: Record<string, string>;
  body: string | null;
  nextExpression?: string;
}

/** field → message, empty when every template is sound. */
export function templateErrors(f: TemplateFields): Record<string, string> {
  const errors: Record<string, string> = {};
  const check = (field: string, text: string, where = '') => {
    if (errors[field]) return;
    const problems = checkTemplate(text);
    if (problems.length) errors[field] = `${field}: ${where}${problems.join('; ')}`;
  };
  check('urlTemplate', f.urlTemplate);
  for (const [name, value] of Object.entries(f.headers)) check('headers', value, `${name}: `);
  if (f.body) check('body', f.body);
  return errors;
}
