import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decide, ROUTE_RULES, ruleFor } from './access.ts';
import type { Principal } from './principal.ts';

/** Every route id under src/routes (a folder with a +page or +server file). */
function routeIds(dir = path.resolve('src/routes'), id = ''): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir);
  if (entries.some((e) => /^\+(page|server)\.(svelte|ts|js)$/.test(e))) out.push(id || '/');
  for (const e of entries) {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) out.push(...routeIds(full, `${id}/${e}`));
  }
  return out;
}

const user = (role: 'leader' | 'officer' | 'admin'): Principal => ({
  kind: 'user', sessionId: 's', user: { id: 1, username: role, displayName: role, role, unitCode: role === 'officer' ? '278' : null, unitName: null }
});
const display: Principal = { kind: 'display', tokenId: 1, name: 'wall', scopeCode: '278', playlist: { scenes: ['board'], dwellSeconds: 30 } };

describe('route rules', () => {
  it('give every route a rule, so that no route ships unguarded', () => {
    const ids = routeIds();
    expect(ids.length).toBeGreaterThan(15);
    expect(ids.filter((id) => ruleFor(id) === null)).toEqual([]);
    // and no rule is left for a route that no longer exists
    expect(Object.keys(ROUTE_RULES).filter((id) => !ids.includes(id))).toEqual([]);
  });
  it('refuse a route without a rule, and send nobody anywhere by default', () => {
    expect(decide(ruleFor('/something/new'), user('admin'))).toBe('forbidden');
  });
  it('keep /admin for administrators and let a display token only read', () => {
    expect(decide(ruleFor('/admin/users'), user('admin'))).toBe('allow');
    expect(decide(ruleFor('/admin/users'), user('leader'))).toBe('forbidden');
    expect(decide(ruleFor('/admin/users'), { kind: 'anonymous' })).toBe('sign_in');
    // The approval of uploads: an officer who uploads must not approve their own file.
    for (const who of [user('officer'), user('leader'), display]) expect(decide(ruleFor('/admin/uploads'), who)).toBe('forbidden');
    expect(decide(ruleFor('/admin/uploads'), user('admin'))).toBe('allow');
    expect(decide(ruleFor('/api/v1/rankings'), display)).toBe('allow');
    expect(decide(ruleFor('/'), display)).toBe('forbidden');
    expect(decide(ruleFor('/metrics'), { kind: 'anonymous' }, true)).toBe('allow');
  });

  it('let an API token act as an administrator on the admin API only', () => {
    const token: Principal = { kind: 'api_token', tokenId: 1, name: 'ci' };
    expect(decide(ruleFor('/api/v1/admin/sources'), token)).toBe('allow');
    expect(decide(ruleFor('/api/v1/admin/sources/[key]'), user('admin'))).toBe('allow');
    expect(decide(ruleFor('/api/v1/admin/sources'), user('leader'))).toBe('forbidden');
    for (const route of ['/admin/sources', '/admin/api-tokens', '/api/v1/rankings', '/', '/metrics', '/api/v1/sources/[key]/upload']) {
      expect(decide(ruleFor(route), token), route).toBe('forbidden');
    }
    expect(decide(ruleFor('/api/v1/admin/sources'), { kind: 'system', name: 'provisioning' })).toBe('forbidden');
  });
});
