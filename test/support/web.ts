/**
 * The web app over real HTTP for integration tests: SvelteKit's own request handling (hooks,
 * routing, route rules, the handlers) served by Vite's dev server on a free port, on the test's
 * database — without a production build. Environment first: the web modules read it on first use.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer, type ViteDevServer } from 'vite';

export async function startWeb(env: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  Object.assign(process.env, env);
  const server: ViteDevServer = await createServer({
    configFile: path.resolve('vite.config.ts'),
    logLevel: 'error',
    clearScreen: false,
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null }
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      // What the production server does on shutdown: the job queue and live updates stop.
      process.emit('sveltekit:shutdown' as never, 'SIGTERM' as never);
      await server.close();
    }
  };
}
