import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { orm } from '#db/client';
import { appMeta, workerHeartbeats } from '#db/schema/index';
import { freshDatabase } from '../support/db.ts';

describe('orm(): the query builder on the handle the caller holds', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('runs inside the caller\'s transaction: it reads its uncommitted row, and rolls back with it', async () => {
    const rollback = new Error('roll back');
    await expect(
      db.sql.begin(async (tx) => {
        await tx`insert into app_meta (key, value) values ('orm-test', 'inside')`;
        // A builder on the pool would not see this row: only the transaction's own connection does.
        expect(await orm(tx).select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, 'orm-test'))).toEqual([{ value: 'inside' }]);
        await orm(tx).update(appMeta).set({ value: 'changed by the builder' }).where(eq(appMeta.key, 'orm-test'));
        expect(await tx`select value from app_meta where key = 'orm-test'`).toEqual([{ value: 'changed by the builder' }]);
        throw rollback;
      })
    ).rejects.toBe(rollback);
    expect(await orm(db.sql).select().from(appMeta).where(eq(appMeta.key, 'orm-test'))).toEqual([]);
  });

  it('nests a transaction as a savepoint of the caller\'s, and hands timestamps back as Dates', async () => {
    const at = new Date('2026-11-20T12:00:00.123Z');
    await db.sql.begin(async (tx) => {
      await orm(tx).insert(workerHeartbeats).values({ id: 'kept', pid: 1, startedAt: at, lastSeenAt: at });
      await orm(tx)
        .transaction(async (inner) => {
          await inner.insert(workerHeartbeats).values({ id: 'dropped', pid: 2, startedAt: at, lastSeenAt: at });
          inner.rollback();
        })
        .catch(() => {});
    });
    const rows = await orm(db.sql).select().from(workerHeartbeats);
    expect(rows).toEqual([{ id: 'kept', pid: 1, startedAt: at, lastSeenAt: at }]);
    expect(orm(db.sql)).toBe(orm(db.sql));
  });
});
