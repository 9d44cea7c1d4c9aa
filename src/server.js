/**
 * The production web process (`npm run web`): one HTTP server for SvelteKit's handler (adapter-node)
 * and Socket.IO. The server is left on globalThis before the handler loads, so the `init` hook
 * in hooks.server.ts can attach Socket.IO to it.
 */
import { createServer } from 'node:http';
import { config } from '#server/config';
import { logger } from '#server/log';

const HTTP_SERVER_KEY = Symbol.for('city-ops.http-server');
const cfg = config(); // a bad variable stops the start here, with its name
const log = logger('web');

// adapter-node reads these from the environment when the handler loads (config.ts checked them).
// Uploads (filled templates) may be up to 10 MB: BODY_SIZE_LIMIT's default says 11 MB.
process.env.BODY_SIZE_LIMIT = cfg.BODY_SIZE_LIMIT;
// This process speaks plain HTTP. Unless told otherwise (ORIGIN, or PROTOCOL_HEADER behind a TLS
// proxy), the origin it derives must say http, or SvelteKit's CSRF check refuses every form post.
const plainHttp = !cfg.ORIGIN && !cfg.PROTOCOL_HEADER;
if (plainHttp) process.env.PROTOCOL_HEADER = 'x-cityops-protocol';

const server = createServer();
/** @type {Record<symbol, unknown>} */ (globalThis)[HTTP_SERVER_KEY] = server;
// A path in a variable: the type checker must not walk into the generated build.
const handlerModule = '../build/handler.js';
const { handler } = await import(handlerModule);
server.on('request', (/** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res) => {
  // Socket.IO answers its own path; everything else is SvelteKit's.
  if (req.url?.startsWith('/socket.io/')) return;
  if (plainHttp) req.headers['x-cityops-protocol'] = 'http'; // overwritten, never taken from the client
  handler(req, res);
});
server.listen(cfg.PORT, cfg.HOST, () => log.info(`web: http://localhost:${cfg.PORT}`));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    /** @type {(event: string, reason: string) => void} */ (process.emit)('sveltekit:shutdown', signal);
    server.closeIdleConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
