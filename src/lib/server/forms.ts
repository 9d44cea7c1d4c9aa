/**
 * Form posts, validated on the server with zod: a bad field is named, with its message, and what
 * the person typed is handed back (never a password or secret) so the form keeps it.
 */
import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';

export interface FormFailure {
  /** What was typed, to refill the form (secret fields removed). */
  values: Record<string, string>;
  /** field name → message in words */
  errors: Record<string, string>;
  message: string;
}

const SECRET_FIELD = /password|secret|token|credential|key$/i;

export function formValues(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Parses a form with a zod schema; on failure, an ActionFailure (400) naming each bad field. */
export function parseForm<T extends z.ZodType>(schema: T, form: FormData): { data: z.infer<T> } | { failure: ActionFailure<FormFailure> } {
  const values = formValues(form);
  const result = schema.safeParse(values);
  if (result.success) return { data: result.data };
  const errors: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return { failure: failWith(values, errors) };
}

export function failWith(values: Record<string, string>, errors: Record<string, string>, status = 400): ActionFailure<FormFailure> {
  const safe = Object.fromEntries(Object.entries(values).filter(([k]) => !SECRET_FIELD.test(k)));
  // A message that already names its field ("key: …") is not named twice.
  const message = Object.entries(errors).map(([f, m]) => (m.startsWith(`${f}:`) ? m : `${f}: ${m}`)).join('; ');
  return fail(status, { values: safe, errors, message });
}
