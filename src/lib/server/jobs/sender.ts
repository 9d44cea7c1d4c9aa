/**
 * The web process's pg-boss: opened on first use, for sending and reading jobs only (no workers,
 * no supervision; see boss.ts), and stopped when the web process shuts down.
 */
import type { PgBoss } from 'pg-boss';
import { databaseUrl } from '#server/config';
import { createBoss } from './boss.ts';

let handle: Promise<PgBoss> | undefined;

export function jobQueue(): Promise<PgBoss> {
  if (!handle) {
    const opening = createBoss(databaseUrl(), { role: 'sender' });
    handle = opening;
    // Not started (the database or pg-boss's schema not there yet): the next request tries again.
    opening.catch(() => {
      if (handle === opening) handle = undefined;
    });
    opening.then(
      () => process.once('sveltekit:shutdown', () => void stopJobQueue()),
      () => {}
    );
  }
  return handle;
}

export async function stopJobQueue(): Promise<void> {
  const opened = handle;
  handle = undefined;
  if (opened) await (await opened.catch(() => null))?.stop({ graceful: true, timeout: 5000 });
}
