import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HTTP_METHODS, OPENAPI } from './openapi.ts';

const ROOT = path.resolve('src/routes');

/** Every "METHOD /path" a +server.ts under src/routes/api/v1/admin exports, in OpenAPI's spelling ([key] → {key}). */
function routeOperations(dir = path.join(ROOT, 'api/v1/admin')): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...routeOperations(full));
    else if (/^\+server\.(ts|js)$/.test(entry)) {
      const route = '/' + path.relative(ROOT, dir).split(path.sep).map((s) => s.replace(/^\[(\w+)\]$/, '{$1}')).join('/');
      const methods = [...readFileSync(full, 'utf8').matchAll(/export\s+(?:const|async function|function)\s+(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS)\b/g)].map((m) => m[1]!);
      for (const method of methods) out.push(`${method.toLowerCase()} ${route}`);
    }
  }
  return out;
}

function documentedOperations(): string[] {
  return Object.entries(OPENAPI.paths)
    .filter(([p]) => p.startsWith('/api/v1/admin/'))
    .flatMap(([p, item]) => Object.keys(item).filter((k) => (HTTP_METHODS as readonly string[]).includes(k)).map((k) => `${k} ${p}`));
}

describe('the OpenAPI document', () => {
  it('describes every route and method under /api/v1/admin, and nothing that is not there', () => {
    const routes = routeOperations().sort();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(documentedOperations().sort()).toEqual(routes);
  });

  it('names every path parameter of its path, and resolves every $ref', () => {
    const text = JSON.stringify(OPENAPI);
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) expect(OPENAPI.components.schemas).toHaveProperty(name!);
    for (const [p, item] of Object.entries(OPENAPI.paths)) {
      const declared = ((item.parameters ?? []) as { name: string; in: string }[]).filter((x) => x.in === 'path').map((x) => x.name).sort();
      expect(declared, p).toEqual([...p.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort());
    }
  });

  it('is OpenAPI 3.1 with the bearer scheme', () => {
    expect(OPENAPI.openapi).toBe('3.1.0');
    expect(OPENAPI.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
