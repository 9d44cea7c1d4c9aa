/**
 * The set-up most integration files share: a database of their own (cloned from the migrated
 * template) with the demo world on it (units, catalogue, the demo sources, a simulator), opened
 * before the block's tests and closed after them. `assign` hands both to the file's variables.
 */
import { afterAll, beforeAll } from 'vitest';
import { freshDatabase } from './db.ts';
import { demoWorld } from './fixtures.ts';

export type TestDb = Awaited<ReturnType<typeof freshDatabase>>;
export type TestWorld = Awaited<ReturnType<typeof demoWorld>>;

export function useDemoWorld(assign: (handles: { db: TestDb; world: TestWorld }) => void, options: { now?: () => Date; map?: '2024' | '2025' } = {}): void {
  let handles: { db: TestDb; world: TestWorld } | undefined;
  beforeAll(async () => {
    const db = await freshDatabase();
    handles = { db, world: await demoWorld(db.sql, options) };
    assign(handles);
  });
  afterAll(async () => {
    await handles?.world.simulator.close();
    await handles?.db.drop();
  });
}
