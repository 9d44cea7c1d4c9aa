/**
 * An administrator's API token on the test's database, and a JSON caller of the web with it: what the
 * admin-API tests over real HTTP (alerts, targets) set up alike.
 */
import type { Sql } from '#db/client';
import { createApiToken } from '../../src/lib/server/admin/api-tokens.ts';
import { createUserIfMissing } from '#server/seed/users';

/** The token of a new API token named `ci` of the administrator `quantri` (created when missing). */
export async function adminApiToken(sql: Sql): Promise<string> {
  await createUserIfMissing(sql, { username: 'quantri', displayName: 'Quản trị', password: 'a long password', role: 'admin' });
  const [u] = await sql<{ id: number }[]>`select id from users where username = 'quantri'`;
  const created = await createApiToken(sql, { name: 'ci' }, { kind: 'user', sessionId: 's', user: { id: u!.id, username: 'quantri', displayName: 'Quản trị', role: 'admin', unitCode: null, unitName: null } });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return created.token;
}

/** `method path [body]` against `baseUrl()` with the bearer `token()` (or other headers), JSON in. */
export function jsonCaller(baseUrl: () => string, token: () => string) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${token()}` }) =>
    fetch(`${baseUrl()}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
}
