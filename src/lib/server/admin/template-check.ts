/**
 * The request templates of a source form, checked on save and before a test: each field's
 * placeholders ({from:dd/MM/yyyy}, {page} …) through the engine's checkRequest, an error naming
 * the field ("body: …"), so nothing with an unknown placeholder or format is ever sent.
 */
import type { RequestSpec } from '#db/schema/sources';
import { checkRequest } from '#server/pipeline/request';

/** field → message (the field's problems joined), empty when every template is sound. */
export function templateErrors(urlTemplate: string, request: RequestSpec): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { field, message } of checkRequest(urlTemplate, request)) errors[field] = errors[field] ? `${errors[field]}; ${message}` : `${field}: ${message}`;
  return errors;
}
