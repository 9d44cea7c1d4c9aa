/**
 * Errors a form's action sent back that belong to none of its own fields (e.g. "you cannot
 * disable yourself"), in one line: shown above the form rather than under a field.
 */
export function otherErrors(errors: Record<string, string> | undefined, ownFields: readonly string[]): string | null {
  return (
    Object.entries(errors ?? {})
      .filter(([f]) => !ownFields.includes(f))
      .map(([f, message]) => (f === 'form' ? message : `${f}: ${message}`))
      .join(' ') || null
  );
}
