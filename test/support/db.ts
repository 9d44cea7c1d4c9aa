import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectDb } from '../../db/client.ts';

/** A database of its own for one test file, cloned from the migrated template. */
export async function freshDatabase() {
  const server = inject('pgServerUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(`${server}/postgres`, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template cityops_template`);
  const url = `${server}/${name}`;
  const handle = await connectDb(url, { max: 6 });
  return {
    url,
    ...handle,
    async drop() {
      await handle.sql.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  };
}
