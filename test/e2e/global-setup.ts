/**
 * Starts the whole product as `npm start` does (embedded PostgreSQL, simulator, workers, web) in a
 * temporary data directory on free ports, and stops it cleanly afterwards.
 */
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnProduct } from '../support/product.ts';
import { startSmtp } from '../support/mail.ts';

export default async function globalSetup() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-e2e-'));
  // A real SMTP server for the product's mail (the briefing's mailing, alerts); the specs read what it received from E2E_MAIL_DIR.
  const mailDir = path.resolve('test-results/mail');
  await rm(mailDir, { recursive: true, force: true });
  await mkdir(mailDir, { recursive: true });
  const smtp = await startSmtp({ saveTo: mailDir });
  process.env.E2E_MAIL_DIR = mailDir;
  const { proc, port, simulatorPort, pgPort } = await spawnProduct(dataDir, { backfillDays: 40, env: { SMTP_URL: smtp.url, ALERT_MAIL_FROM: 'City Ops <dieu-hanh@hanoi.test>' } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the product did not start within 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready: http://')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`the product exited (${code}) before it was ready:\n${output}`)));
  });
  process.env.E2E_BASE_URL = `http://127.0.0.1:${port}`;
  process.env.E2E_SIMULATOR_URL = `http://127.0.0.1:${simulatorPort}`;
  // The tests read the product's own database (e.g. to issue a wall screen's token) and its log.
  process.env.E2E_DATABASE_URL = `postgres://cityops:cityops@127.0.0.1:${pgPort}/cityops`;
  const logFile = path.resolve('test-results/product.log');
  await mkdir(path.dirname(logFile), { recursive: true });
  await writeFile(logFile, output);
  proc.stdout.on('data', (chunk: Buffer) => void appendFile(logFile, chunk));
  proc.stderr.on('data', (chunk: Buffer) => void appendFile(logFile, chunk));
  process.env.E2E_PRODUCT_LOG = logFile;

  return async () => {
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGTERM');
    await exited;
    await smtp.close();
    await rm(dataDir, { recursive: true, force: true });
  };
}
