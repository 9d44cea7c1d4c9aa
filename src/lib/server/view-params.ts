/**
 * A page whose board is browsed in the browser (filter, search, sort, page: src/lib/domain/board-view.ts)
 * loads only by the parameters its data depends on. SvelteKit reruns a server load when a search
 * parameter it read changes; reading them one by name (not all of them, as parseQuery does) keeps a
 * change of view from loading the page again — and the live board from being replaced by a snapshot.
 */

/**
 * Only `keys` of `url`'s parameters, each read by name, as a URL to parse (its origin and path are
 * not the page's: reading those would make SvelteKit load the page again on any change of URL).
 */
export function pickParams(url: URL, keys: readonly string[]): URL {
  const picked = new URL('http://localhost/');
  for (const key of keys) {
    const value = url.searchParams.get(key);
    if (value !== null) picked.searchParams.set(key, value);
  }
  return picked;
}
