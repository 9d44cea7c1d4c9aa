/**
 * Vitest global setup for the integration tests: one real embedded PostgreSQL for the run, with a
 * migrated template database; each test file clones its own database from it (test/support/db.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../db/embedded.ts';
import { runMigrations } from '../../db/migrate.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'cityops-it-'));
  const port = await freePort();
  const pg = await startEmbeddedPostgres({ dataDir, port, database: 'cityops_template' });
  await runMigrations(pg.url);
  // Close every connection to the template so that it can be cloned.
  const admin = postgres(pg.url.replace(/\/cityops_template$/, '/postgres'), { max: 1, onnotice: () => {} });
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = 'cityops_template' and pid <> pg_backend_pid()`;
  await admin.end();
  project.provide('pgServerUrl', pg.url.replace(/\/cityops_template$/, ''));
  return async () => {
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
