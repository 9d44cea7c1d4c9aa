/**
 * The language switch of the header, without JavaScript: a link to the same URL with `?lang=en`
 * (or `vi`). The server hook answers it with Paraglide's cookie and a redirect back to the URL
 * without the parameter, so every URL of the product stays as it is and the choice sticks for
 * every page after it (Paraglide's cookie strategy reads it on the server and in the browser).
 */
import { redirect, type RequestEvent } from '@sveltejs/kit';
import { cookieMaxAge, cookieName, isLocale } from '../paraglide/runtime.js';
import { safeNext } from '../safe-next.ts';

export const LOCALE_PARAM = 'lang';

/**
 * A request that asks for a language (`?lang=`, a GET of a page) stores it in Paraglide's cookie and
 * is redirected (thrown, so SvelteKit adds the cookie) to the same URL without the parameter.
 * Does nothing for any other request.
 */
export function switchLocale(event: Pick<RequestEvent, 'url' | 'request' | 'cookies'>): void {
  const asked = event.url.searchParams.get(LOCALE_PARAM);
  if (asked === null || event.request.method !== 'GET' || event.url.pathname.startsWith('/api/')) return;
  if (isLocale(asked)) {
    // Read by Paraglide's runtime in the browser too, so not httpOnly.
    event.cookies.set(cookieName, asked, { path: '/', maxAge: cookieMaxAge, httpOnly: false, sameSite: 'lax', secure: event.url.protocol === 'https:' });
  }
  const back = new URL(event.url);
  back.searchParams.delete(LOCALE_PARAM);
  // safeNext: a path such as `//evil.example` must not come back as a protocol-relative Location.
  redirect(303, safeNext(`${back.pathname}${back.search}`));
}
