/**
 * The JSON admin API's answers: errors as `{ error: "<words>", fields: { <field>: "<message>" } }`
 * in the caller's language (the locale cookie, else `Accept-Language: en…`, else Vietnamese).
 */
import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { cookieName, isLocale, type Locale } from '$lib/paraglide/runtime';
export { issuesToFields, sourceInputFromJson, toFormInput } from './form-input.ts';

export interface ApiErrorBody {
  error: string;
  fields: Record<string, string>;
}

/** The caller's language: the site's locale cookie when set, else the first language of Accept-Language we have, else Vietnamese. */
export function apiLocale(request: Request): Locale {
  const cookie = request.headers.get('cookie') ?? '';
  const fromCookie = cookie.split(/;\s*/).find((c) => c.startsWith(`${cookieName}=`))?.slice(cookieName.length + 1);
  if (fromCookie && isLocale(fromCookie)) return fromCookie;
  const ranges = (request.headers.get('accept-language') ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { lang: tag.trim().toLowerCase().split('-')[0]!, q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((r) => r.lang && r.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const r of ranges) if (isLocale(r.lang)) return r.lang;
  return 'vi';
}


/** An error answer, `{ error, fields }`. */
export function apiError(status: number, error: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Response {
  return json({ error, fields } satisfies ApiErrorBody, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

/** Field errors: the words name the fields, each field keeps its own message. */
export function fieldsError(status: number, fields: Record<string, string>, locale: Locale): Response {
  return apiError(status, m.api_error_fields({ fields: Object.keys(fields).join(', ') }, { locale }), fields);
}

/** The JSON body as an object; an empty body is `{}` when `optional`. Null when it is not a JSON object. */
export async function readJsonObject(request: Request, { optional = false } = {}): Promise<Record<string, unknown> | null> {
  const text = await request.text();
  if (!text.trim()) return optional ? {} : null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
