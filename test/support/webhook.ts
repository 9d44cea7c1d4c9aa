/** A local HTTP server that takes webhook calls: it answers each with the next status of a script (then 200) and keeps what came. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookCall {
  body: string;
  signature: string | undefined;
  contentType: string | undefined;
  status: number;
}

export async function startWebhook(statuses: number[]) {
  const calls: WebhookCall[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = statuses[calls.length] ?? 200;
      calls.push({ body: Buffer.concat(chunks).toString('utf8'), signature: req.headers['x-cityops-signature'] as string | undefined, contentType: req.headers['content-type'], status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'lỗi');
      for (const w of waiters.filter((w) => calls.length >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    calls,
    /** Resolves once n calls came. */
    calledTimes: (n: number) => (calls.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  };
}
