import { error } from '@sveltejs/kit';
import type { z } from 'zod';

/** Parses query parameters; a bad one is a 400 that names the parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, url: URL, defaults: Record<string, string> = {}): z.infer<T> {
  const raw = { ...defaults, ...Object.fromEntries(url.searchParams) };
  const result = schema.safeParse(raw);
  if (!result.success) {
    error(400, result.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  }
  return result.data;
}
