import { createServer } from 'node:net';

/** Ports this process was already given: the kernel may hand a just-closed port out again. */
const given = new Set<number>();

/** A TCP port free on loopback right now, and not one this process was already given. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    if (!given.has(port)) {
      given.add(port);
      return port;
    }
  }
}
