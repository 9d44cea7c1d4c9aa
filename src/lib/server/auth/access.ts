/**
 * Who may open what — checked on the server for every route, API call, export and socket command,
 * never by hiding links. Every route id must have a rule here (a unit test walks src/routes), so
 * a new route cannot ship unguarded; a route without one is refused.
 */
import type { Queryable as Sql } from '#db/client';
import type { Principal } from './principal.ts';

export type Rule =
  /** anyone, signed in or not */
  | 'public'
  /** a signed-in person, any role */
  | 'users'
  /** a signed-in person, or a wall screen's display token (whose reads are limited to its scope) */
  | 'users_or_display'
  /** an administrator, or an officer (for their own unit's data) */
  | 'admin_or_officer'
  | 'admin'
  /** an administrator's session, or an administrator's API token (the JSON admin API under /api/v1/admin) */
  | 'admin_api'
  /** an administrator, or a scraper with the METRICS_TOKEN bearer */
  | 'metrics';

export const ROUTE_RULES: Record<string, Rule> = {
  '/login': 'public',
  '/healthz': 'public',
  '/api/v1/auth/session': 'public',
  // A wall screen: its page checks the display token itself and shows why it is refused, never a sign-in page.
  '/wall': 'public',
  '/wall/status': 'public',
  '/metrics': 'metrics',
  '/': 'users',
  '/logout': 'users',
  '/units/[code]': 'users',
  '/units/[code]/indicators/[key]': 'users',
  '/units/[code]/indicators/[key]/samples': 'users',
  // The briefing: its data-level check is canReadDetail (an officer their own unit and below), in the route.
  '/briefings/print': 'users',
  '/api/v1/briefings': 'users',
  '/api/v1/rankings': 'users_or_display',
  '/api/v1/series': 'users_or_display',
  '/api/v1/sources/health': 'users_or_display',
  '/api/v1/schemes': 'users_or_display',
  '/api/v1/templates/[family]': 'users',
  '/api/v1/sources/[key]/upload': 'admin_or_officer',
  // A person's own alerts (an officer's scoped to their unit's subtree by the read itself).
  '/alerts': 'users',
  '/api/v1/alerts': 'users',
  // The description of the API (no data in it): scripts read it before they have a token.
  '/api/v1/openapi.json': 'public'
};

/**
 * The rule of a route id; everything under /admin and /api/v1/admin is for administrators, and
 * an API token is an administrator under /api/v1/admin only.
 */
export function ruleFor(routeId: string | null): Rule | null {
  if (routeId === null) return 'public'; // no route matched: SvelteKit answers 404
  if (routeId.startsWith('/api/v1/admin/')) return 'admin_api';
  if (routeId === '/admin' || routeId.startsWith('/admin/')) return 'admin';
  return ROUTE_RULES[routeId] ?? null;
}

export type Decision = 'allow' | 'sign_in' | 'forbidden';

export function decide(rule: Rule | null, principal: Principal, metricsBearerOk = false): Decision {
  if (rule === null) return 'forbidden';
  if (rule === 'public') return 'allow';
  if (rule === 'metrics') {
    if (metricsBearerOk) return 'allow';
    if (principal.kind === 'anonymous') return 'sign_in';
    return principal.kind === 'user' && principal.user.role === 'admin' ? 'allow' : 'forbidden';
  }
  if (principal.kind === 'anonymous') return 'sign_in';
  if (principal.kind === 'display') return rule === 'users_or_display' ? 'allow' : 'forbidden';
  if (principal.kind === 'api_token') return rule === 'admin_api' ? 'allow' : 'forbidden';
  if (principal.kind === 'system') return 'forbidden'; // never a request's principal
  const role = principal.user.role;
  switch (rule) {
    case 'users':
    case 'users_or_display':
      return 'allow';
    case 'admin':
    case 'admin_api':
      return role === 'admin' ? 'allow' : 'forbidden';
    case 'admin_or_officer':
      return role === 'admin' || role === 'officer' ? 'allow' : 'forbidden';
  }
}

/**
 * Whether the unit of `unitCode` is `ancestorCode`'s or below it — through unit_rollup, so an officer of
 * a new commune also reads the history of the communes that went into it. Codes, not ids: a code reused
 * across a reform matches either holder (an old district's officer reads the new commune that kept the
 * code of one of its communes; written down in docs/units.md).
 */
async function within(sql: Sql, ancestorCode: string, unitCode: string): Promise<boolean> {
  const [row] = await sql`
    select 1 from unit_rollup c join units a on a.id = c.ancestor_id join units d on d.id = c.descendant_id
    where a.gso_code = ${ancestorCode} and d.gso_code = ${unitCode}`;
  return Boolean(row);
}

/** A board (a unit's children ranked): every person; a display token within its scope. */
export async function canReadBoard(sql: Sql, principal: Principal, scopeCode: string): Promise<boolean> {
  if (principal.kind === 'user') return true;
  if (principal.kind === 'display') return within(sql, principal.scopeCode, scopeCode);
  return false;
}

/**
 * Detail and raw data of a unit (its series, samples, polls): leaders and administrators any
 * unit; an officer their unit and its descendants; a display token within its scope.
 */
export async function canReadDetail(sql: Sql, principal: Principal, unitCode: string): Promise<boolean> {
  if (principal.kind === 'display') return within(sql, principal.scopeCode, unitCode);
  if (principal.kind !== 'user') return false;
  if (principal.user.role !== 'officer') return true;
  return principal.user.unitCode !== null && within(sql, principal.user.unitCode, unitCode);
}
