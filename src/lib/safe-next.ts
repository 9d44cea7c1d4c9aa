/** Redirect targets built from input (browser-safe: the language switch imports it too). */
const PROBE_ORIGIN = 'http://same-origin.invalid';

/**
 * Where a sign-in (or any redirect built from input) may send the browser: a path on this site,
 * or `/`. Browsers strip tabs and newlines from a URL and read `\` as `/`, so `/\t/evil.example`
 * or `/\\evil.example` would leave the site: any control character or backslash refuses the whole
 * value. What is kept is re-serialised by the URL parser (percent-encoded), so it is always a
 * valid Location header.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return '/';
  }
  // `/..//evil.example` normalises to `//evil.example`: a protocol-relative URL once it is a Location.
  if (url.origin !== PROBE_ORIGIN || url.pathname.startsWith('//')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
