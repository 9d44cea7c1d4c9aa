/** Signing in from the end-to-end tests, as a script would: POST /api/v1/auth/session. */
import { expect, type APIRequestContext } from '@playwright/test';

export const base = () => process.env.E2E_BASE_URL!;
export const simulator = () => process.env.E2E_SIMULATOR_URL!;

/** The demo's people (demo mode only), each with the password "demo". */
export type DemoUser = 'admin' | 'leader' | 'officer-thanh-oai' | 'officer-so-noi-vu';

export async function signIn(request: APIRequestContext, username: DemoUser): Promise<void> {
  const r = await request.post(`${base()}/api/v1/auth/session`, { data: { username, password: 'demo' } });
  expect(r.status(), `sign-in of ${username}`).toBe(200);
}
