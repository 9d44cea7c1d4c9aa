/**
 * The server's form errors name their field by its key ("urlTemplate: …", joined by "; " in the
 * form's message), for API callers. On the screen each error stands under its field, whose label
 * names it in words: the key is left out.
 */
export function withoutFieldKeys(message: string): string {
  return message.replace(/(^|;\s*)[a-z][A-Za-z0-9_.]*:\s+/g, '$1');
}
