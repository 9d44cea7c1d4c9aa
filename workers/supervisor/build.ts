/**
 * The web's production build (build/, `vite build`): whether it is missing or older than its sources,
 * for `npm start` (which builds while it seeds) and the tests that run the built web
 * (test/integration/cluster.test.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The build is stale when any source it is made from is newer than it (e.g. after a git pull). */
export function buildIsStale(root: string): boolean {
  const handler = path.join(root, 'build', 'handler.js');
  if (!existsSync(handler)) return true;
  const built = statSync(handler).mtimeMs;
  const inputs = ['svelte.config.js', 'vite.config.ts', 'package-lock.json'].map((f) => path.join(root, f));
  for (const dir of ['src', 'db', 'static']) {
    for (const entry of readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) inputs.push(path.join(entry.parentPath, entry.name));
    }
  }
  return inputs.some((f) => existsSync(f) && statSync(f).mtimeMs > built);
}

/** The arguments of `node` that build the web (Vite's own entry, so no npx or shell is needed). */
export function buildArgs(root: string): string[] {
  return [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'];
}

/** Builds the web in a child process; rejects with its output when the build fails. */
export function buildWeb(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, buildArgs(root), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`))));
  });
}
