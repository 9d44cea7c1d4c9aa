/**
 * POST /api/v1/admin/units/import: the units import of the admin screen (/admin/units) as JSON,
 * for an administrator's session or an API token. Multipart (files `register`, optionally `merges`,
 * and `effectiveFrom`) or JSON ({ register: "<CSV>", merges?: "<CSV>", effectiveFrom?: "01/07/2025" },
 * with `registerName` / `mergesName` to name them in the problems). All or nothing: 200 with what
 * changed and the recompute batch to follow; 400 when a field is missing or wrong (each named in
 * `fields`), 422 when the files are refused (every problem by file and line in `problems`).
 */
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { importUnits, importUnitsForm, readEffectiveFrom, type ImportFile } from '../admin/units-reform.ts';
import type { UnitsImportProblem, UnitsImportResult } from '../admin/units.ts';
import type { ApiContext } from './admin-sources.ts';
import { apiError, readJsonObject } from './respond.ts';

const noStore = { 'cache-control': 'no-store' };

export async function importUnitsApi(ctx: ApiContext): Promise<Response> {
  const options = { ip: ctx.ip, jobs: await ctx.jobs(), lang: ctx.locale };
  const type = (ctx.request.headers.get('content-type') ?? '').toLowerCase();
  let result: UnitsImportResult;
  if (type.startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await ctx.request.formData();
    } catch {
      return apiError(400, m.import_api_body({}, { locale: ctx.locale }));
    }
    result = await importUnitsForm(ctx.sql, { register: form.get('register'), merges: form.get('merges'), effectiveFrom: form.get('effectiveFrom') }, ctx.actor, options);
  } else {
    const body = await readJsonObject(ctx.request);
    if (!body) return apiError(400, m.import_api_body({}, { locale: ctx.locale }));
    const fields: Record<string, string> = {};
    const text = (key: 'register' | 'merges', nameKey: 'registerName' | 'mergesName'): ImportFile | null => {
      const value = body[key];
      if (value === undefined || value === null || value === '') return null;
      if (typeof value !== 'string') {
        fields[key] = m.import_api_not_text({ field: key }, { locale: ctx.locale });
        return null;
      }
      const name = body[nameKey];
      return { text: value, name: typeof name === 'string' && name.trim() ? name.trim() : null };
    };
    const register = text('register', 'registerName');
    const merges = text('merges', 'mergesName');
    if (!register && !fields.register) fields.register = m.import_api_no_register({}, { locale: ctx.locale });
    const day = readEffectiveFrom(body.effectiveFrom, undefined, ctx.locale);
    if ('problem' in day) fields.effectiveFrom = day.problem.message;
    if (Object.keys(fields).length) return apiError(400, m.api_error_fields({ fields: Object.keys(fields).join(', ') }, { locale: ctx.locale }), fields);
    result = await importUnits(ctx.sql, { register: register!, merges, effectiveFrom: (day as { day: string | null }).day }, ctx.actor, options);
  }
  if (!result.ok) return refused(result.problems, ctx);
  const recompute = result.recompute ? { ...result.recompute, status: `/api/v1/admin/jobs/recompute/${result.recompute.batch}` } : null;
  return json({ ...result, recompute }, { headers: noStore });
}

/** 400 when only the fields were wrong (no file was read), else 422 with every problem of the files. */
function refused(problems: UnitsImportProblem[], ctx: ApiContext): Response {
  const fields: Record<string, string> = {};
  for (const p of problems) if (p.field) fields[p.field] ??= p.message;
  const read = problems.some((p) => p.file);
  const error = read
    ? m.import_api_refused({ n: problems.length }, { locale: ctx.locale })
    : m.api_error_fields({ fields: Object.keys(fields).join(', ') }, { locale: ctx.locale });
  return json({ error, fields, problems: problems.map(({ file, line, field, message }) => ({ file: file ?? null, line, field: field ?? null, message })) }, {
    status: read ? 422 : 400,
    headers: noStore
  });
}
