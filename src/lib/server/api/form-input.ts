/**
 * JSON read as the admin forms' fields, so the same zod schemas validate a form post, an API call
 * and a provisioning file. No paraglide here: the workers (provisioning) import it too.
 */

/**
 * A JSON object as the fields of a form post: numbers and booleans as their text, null as empty,
 * a JSON source's mapping given as `{expression, metrics, each}` as the form's lines, any other
 * `headers` given as `{name: value}` as the form's "Name: value" lines, any other object (a table
 * mapping, a JSON body template) as JSON text.
 */
export function toFormInput(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    if (key === 'mapping' && value && typeof value === 'object' && !Array.isArray(value) && 'expression' in value) {
      const { expression, metrics, each } = value as { expression?: unknown; metrics?: unknown; each?: unknown };
      const lines = [String(expression ?? '')];
      if (Array.isArray(metrics) && metrics.length) lines.push(`metrics: ${metrics.map(String).join(', ')}`);
      if (typeof each === 'string' && each.trim()) lines.push(`each: ${each}`);
      out[key] = lines.join('\n');
    } else if (key === 'headers' && value && typeof value === 'object' && !Array.isArray(value)) {
      // Header templates as the form has them: one "Name: value" a line.
      out[key] = Object.entries(value).map(([name, v]) => `${name}: ${String(v)}`).join('\n');
    } else if (value === null) out[key] = '';
    else if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') out[key] = String(value);
    else out[key] = JSON.stringify(value);
  }
  return out;
}

/** zod issues → { field: message }, the first message per field. */
export function issuesToFields(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[String(issue.path[0] ?? 'form')] ??= issue.message;
  return fields;
}

/**
 * A source given as JSON (the API's create and PUT, a provisioning file's entry) as form fields:
 * `enabled` left out means enabled — a declared source is meant to run (a form's unticked box
 * sends nothing, JSON says false).
 */
export function sourceInputFromJson(body: Record<string, unknown>): Record<string, string> {
  return { enabled: 'true', ...toFormInput(body) };
}
