/** The web process's database pool, opened on first use. */
import { connectDb, type Sql } from '#db/client';
import { databaseUrl } from '#server/config';

let handle: Promise<Awaited<ReturnType<typeof connectDb>>> | undefined;

export function database() {
  // A first connection that failed (the database down when the web started) is tried again next time.
  handle ??= connectDb(databaseUrl(), { max: 10, application: 'city-ops-web' }).catch((e) => {
    handle = undefined;
    throw e;
  });
  return handle;
}

export async function sql(): Promise<Sql> {
  return (await database()).sql;
}
