/**
 * LISTEN that outlives the database going away. postgres.js's own `sql.listen` issues LISTEN again
 * once when its connection closes, and only once: when the server is still down at that moment,
 * the LISTEN is lost for good and no NOTIFY arrives again (seen with a SIGKILLed postmaster
 * restarted 15 s later: one run in two never heard another NOTIFY). Here one dedicated connection
 * per process carries every channel, a probe on it every `probeMs` notices a loss (and, through
 * the outage tracker, tells the process the database is gone or back), and LISTENs again as soon
 * as the server answers. NOTIFYs sent while nobody listened are gone: `onRestored` is the caller's
 * cue to re-read what they may have carried.
 */
import postgres from 'postgres';
import type { Sql } from '#db/client';
import type { DatabaseOutage } from './outage.ts';
import { logger } from './log.ts';

export interface DurableListener {
  /** Calls `fn` with each payload NOTIFYed on `channel`; LISTENs now when connected. Returns the unlisten. */
  listen(channel: string, fn: (payload: string) => void): Promise<() => void>;
  close(): Promise<void>;
}

export async function durableListener(
  sql: Sql,
  options: { outage?: DatabaseOutage; probeMs?: number; onRestored?: () => void; application?: string } = {}
): Promise<DurableListener> {
  const channels = new Map<string, Set<(payload: string) => void>>();
  /** LISTEN issued on the connection as it is now (false after it closed). */
  let listening = false;
  let lost = false;
  let closed = false;
  // The pool's own parsed options (postgres.js takes an object with `shared` as it is; its own
  // listen() builds its connection the same way), one connection, never idled or recycled.
  const conn = postgres({
    ...(sql.options as object),
    max: 1,
    idle_timeout: null,
    max_lifetime: null,
    fetch_types: false,
    connection: { ...sql.options.connection, application_name: options.application ?? `${sql.options.connection.application_name ?? 'city-ops'}-listen` },
    onnotify: (channel: string, payload: string) => {
      for (const fn of channels.get(channel) ?? []) fn(payload);
    },
    onclose: () => {
      if (listening) lost = true;
      listening = false;
    }
  } as unknown as postgres.Options<Record<string, postgres.PostgresType>>);

  const quoted = (name: string) => conn.unsafe(`"${name.replace(/"/g, '""')}"`);

  /** LISTENs on every channel (after a loss), or checks the connection (select 1). */
  async function check() {
    if (!listening) {
      for (const name of channels.keys()) await conn`listen ${quoted(name)}`;
      listening = true;
      options.outage?.ok();
      if (lost) {
        lost = false;
        options.onRestored?.();
      }
      return;
    }
    await conn`select 1`;
    options.outage?.ok();
  }

  let running = false;
  const probe = setInterval(() => {
    if (running || closed) return;
    running = true;
    check()
      .catch((e) => {
        // A closed connection sets `listening` false itself; anything else is a failure to say once.
        lost ||= channels.size > 0;
        listening = false;
        if (!options.outage?.fail('LISTEN connection', e)) logger('database').error({ err: e }, 'LISTEN check failed');
      })
      .finally(() => (running = false));
  }, options.probeMs ?? 2_000);
  probe.unref();

  // The database may be away right now (the web starting during an outage): the probe LISTENs once it answers.
  await check().catch((e) => {
    listening = false;
    if (!options.outage?.fail('LISTEN connection', e)) throw e;
  });
  return {
    async listen(channel, fn) {
      let set = channels.get(channel);
      if (!set) {
        set = new Set();
        channels.set(channel, set);
        if (listening) await conn`listen ${quoted(channel)}`;
      }
      set.add(fn);
      return () => {
        set.delete(fn);
        if (set.size === 0) {
          channels.delete(channel);
          if (listening) conn`unlisten ${quoted(channel)}`.catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      clearInterval(probe);
      await conn.end({ timeout: 5 });
    }
  };
}
