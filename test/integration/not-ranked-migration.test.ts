/**
 * Migration 0010 on the real PostgreSQL: the English reasons stored before it become codes with the
 * indicators' keys, and the column then takes nothing but a code.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db.ts';

const MIGRATION = readFileSync(new URL('../../db/migrations/0010_not_ranked_codes.sql', import.meta.url), 'utf8');

describe('migration 0010: not-ranked reasons as codes', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
    // The table as it was before the migration, with what the workers used to write.
    await db.sql`alter table rankings drop constraint rankings_not_ranked_reason_check`;
    await db.sql`alter table rankings drop column not_ranked_indicators`;
    const [scope] = await db.sql<{ id: number }[]>`insert into units (gso_code, name, level, type) values ('01', 'Thành phố Hà Nội', 'province', 'Thành phố') returning id`;
    const children = await db.sql<{ id: number; gso_code: string }[]>`
      insert into units (gso_code, name, level, type, parent_id)
      values ('001', 'Quận Ba Đình', 'district', 'Quận', ${scope!.id}), ('002', 'Quận Hoàn Kiếm', 'district', 'Quận', ${scope!.id}),
             ('003', 'Quận Tây Hồ', 'district', 'Quận', ${scope!.id}), ('004', 'Quận Long Biên', 'district', 'Quận', ${scope!.id})
      returning id, gso_code`;
    const id = (code: string) => children.find((c) => c.gso_code === code)!.id;
    const row = (code: string, rank: number | null, reason: string | null, indicators: Record<string, unknown>) => ({
      scope_unit_id: scope!.id, period_kind: 'day', period_start: '2026-11-19', period_end: '2026-11-19', unit_id: id(code),
      rank, total: rank === null ? null : 80, not_ranked_reason: reason, indicators: JSON.stringify(indicators), scheme_id: 1
    });
    const none = { numerator: null, denominator: null, ratio: null, points: null, rank: null };
    const some = { numerator: 5, denominator: 10, ratio: 0.5, points: 10, rank: 1 };
    await db.sql`insert into rankings ${db.sql([
      row('001', 1, null, { 'dossier.on_time': some }),
      row('002', null, 'no data for dossier.on_time, eid.activation', { 'dossier.on_time': none, 'eid.activation': none }),
      row('003', null, 'nothing to score in this period', { 'dossier.on_time': { ...none, numerator: 0, denominator: 0 } }),
      row('004', null, 'some older words', { 'dossier.on_time': some, 'task.on_time': none })
    ])}`;
    await db.sql.unsafe(MIGRATION);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('turns each stored text into its code and the indicators with no data', async () => {
    const rows = await db.sql<{ code: string; reason: string | null; indicators: string[] | null }[]>`
      select u.gso_code as code, r.not_ranked_reason as reason, r.not_ranked_indicators as indicators
      from rankings r join units u on u.id = r.unit_id order by u.gso_code`;
    expect(rows).toEqual([
      { code: '001', reason: null, indicators: null },
      { code: '002', reason: 'no_data', indicators: ['dossier.on_time', 'eid.activation'] },
      { code: '003', reason: 'nothing_to_score', indicators: null },
      // Words it does not know: no data, for the indicators the row has no figures for.
      { code: '004', reason: 'no_data', indicators: ['task.on_time'] }
    ]);
  });

  it('takes nothing but a code afterwards', async () => {
    await expect(db.sql`update rankings set not_ranked_reason = 'no data for dossier.on_time' where not_ranked_reason = 'no_data'`).rejects.toThrow(
      /rankings_not_ranked_reason_check/
    );
  });
});
