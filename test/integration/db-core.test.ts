/**
 * The database core on a real PostgreSQL: drizzle's query builder inside a postgres.js transaction
 * (`orm(tx)`), and the CHECK constraints of migration 0008 that refuse an unknown state.
 */
import { eq, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orm, schema } from '../../db/client.ts';
import { freshDatabase } from '../support/db.ts';

const { appMeta } = schema;

describe('orm(): the query builder over a postgres.js pool or transaction', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const stored = async (key: string) => (await orm(db.sql).select().from(appMeta).where(eq(appMeta.key, key))).map((r) => r.value);

  it('a builder insert inside sql.begin is part of the transaction: seen inside, not outside, and rolled back with it', async () => {
    await expect(
      db.sql.begin(async (tx) => {
        await orm(tx).insert(appMeta).values({ key: 'rolled-back', value: 'inside' });
        // The raw statements of the same transaction see it …
        const inside = await tx<{ value: string }[]>`select value from app_meta where key = 'rolled-back'`;
        expect(inside.map((r) => r.value)).toEqual(['inside']);
        // … another connection of the pool does not, before the commit.
        expect(await stored('rolled-back')).toEqual([]);
        throw new Error('roll back');
      })
    ).rejects.toThrow('roll back');
    expect(await stored('rolled-back')).toEqual([]);
  });

  it('a builder insert commits with the transaction, and builder and raw statements mix in either order', async () => {
    await db.sql.begin(async (tx) => {
      await tx`insert into app_meta (key, value) values ('committed', 'raw')`;
      await orm(tx).update(appMeta).set({ value: 'builder' }).where(eq(appMeta.key, 'committed'));
      const [row] = await orm(tx).select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, 'committed'));
      expect(row?.value).toBe('builder');
    });
    expect(await stored('committed')).toEqual(['builder']);
  });

  it('a failed builder statement throws PostgreSQL\'s own error (code, constraint), with no parameter in its message, in or out of a transaction', async () => {
    const person = (passwordHash: string) => ({ username: 'twice', displayName: 'T', passwordHash, role: 'leader' as const });
    await orm(db.sql).insert(schema.users).values(person('first-secret-hash'));
    const outside = await orm(db.sql).insert(schema.users).values(person('second-secret-hash')).then(() => null, (e: unknown) => e);
    expect(outside).toMatchObject({ code: '23505', constraint_name: 'users_username_unique' });
    expect((outside as Error).message).not.toContain('second-secret-hash');
    const inside = await db.sql
      .begin((tx) => orm(tx).insert(schema.users).values({ ...person('third-secret-hash'), username: 'other', role: 'root' as 'admin' }))
      .then(() => null, (e: unknown) => e);
    expect(inside).toMatchObject({ code: '23514', constraint_name: 'users_role_check' });
    expect((inside as Error).message).not.toContain('third-secret-hash');
  });

  it('one instance per handle: the pool keeps its own, each transaction gets its own', async () => {
    expect(orm(db.sql)).toBe(db.db);
    const [a, b] = await db.sql.begin(async (tx) => [orm(tx), orm(tx)]);
    expect(a).toBe(b);
    expect(a).not.toBe(db.db);
  });
});

describe('enumerated states: the database refuses a value the code does not know', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let sourceId: number;
  let unitId: number;
  beforeAll(async () => {
    db = await freshDatabase();
    const [unit] = await orm(db.sql).insert(schema.units).values({ gsoCode: '01', name: 'Hà Nội', level: 'province', type: 'Thành phố' }).returning();
    const [source] = await orm(db.sql).insert(schema.dataSources).values({ key: 's', name: 'S', family: 'dossier', kind: 'json_http', mapping: { expression: 'x' } }).returning();
    unitId = unit!.id;
    sourceId = source!.id;
    await db.sql`insert into metrics (key, family, aggregation, unit, name_vi, name_en) values ('m', 'dossier', 'flow', 'count', 'M', 'M')`;
    await db.sql`insert into indicator_schemes (key, version, name_vi, name_en) values ('operations', 1, 'V', 'E')`;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const refusal = async (statement: PromiseLike<unknown>) => {
    try {
      await statement;
    } catch (e) {
      const err = e as { code?: string; constraint_name?: string };
      return { code: err.code, constraint: err.constraint_name };
    }
    return null;
  };

  it('the checks the schema declares are those in the database, and each is tried below', async () => {
    const tables = (Object.values(schema) as unknown[]).filter((v): v is PgTable => is(v, PgTable));
    const declared = tables.flatMap((t) => getTableConfig(t).checks.map((c) => c.name)).sort();
    const inDb = (await db.sql<{ name: string }[]>`
      select conname as name from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace order by conname`).map((r) => r.name);
    expect(inDb).toEqual(declared);
    expect(cases.map(([name]) => name).sort()).toEqual(declared);
  });

  const cases: [string, string, () => PromiseLike<unknown>][] = [
    ['users_role_check', 'a role nobody knows', () => db.sql`insert into users (username, display_name, password_hash, role) values ('x', 'X', 'h', 'superuser')`],
    ['data_sources_kind_check', 'a source kind', () => db.sql`update data_sources set kind = 'ftp' where id = ${sourceId}`],
    ['data_sources_produces_check', 'what a source produces', () => db.sql`update data_sources set produces = 'rows' where id = ${sourceId}`],
    ['data_sources_granularity_check', 'a granularity', () => db.sql`update data_sources set granularity = 'week' where id = ${sourceId}`],
    ['data_sources_auth_kind_check', 'an auth kind', () => db.sql`update data_sources set auth_kind = 'oauth' where id = ${sourceId}`],
    ['data_sources_family_check', 'a source family', () => db.sql`update data_sources set family = 'water' where id = ${sourceId}`],
    ['data_sources_number_locale_check', 'a number locale', () => db.sql`update data_sources set number_locale = 'fr' where id = ${sourceId}`],
    ['data_sources_periods_check', 'a period a source cannot publish', () => db.sql`update data_sources set periods = array['month', 'week'] where id = ${sourceId}`],
    ['indicator_schemes_total_rule_check', 'a rule of totals', () => db.sql`update indicator_schemes set total_rule = 'average'`],
    ['indicators_zero_denominator_check', 'a zero-denominator rule', () => db.sql`
      insert into indicators (scheme_id, key, family, zero_denominator, name_vi, name_en, numerator, denominator, max_points, numerator_noun_vi)
      select id, 'i', 'dossier', 'half', 'I', 'I', '{m}', '{m}', 10, 'n' from indicator_schemes`],
    ['period_samples_period_kind_check', 'a period kind of a value', () => db.sql`
      insert into period_samples (unit_id, metric_id, period_kind, period_start, source_id, value, observed_at)
      values (${unitId}, 1, 'week', '2026-11-02', ${sourceId}, 1, now())`],
    ['poll_runs_error_stage_check', 'where a poll failed', () => db.sql`
      insert into poll_runs (source_id, started_at, outcome, error_stage, window_from, window_to) values (${sourceId}, now(), 'failed', 'network', '2026-11-01', '2026-11-01')`],
    ['source_health_last_error_stage_check', 'where the last poll failed', () => db.sql`
      insert into source_health (source_id, last_error_stage) values (${sourceId}, 'dns')`],
    ['poll_runs_outcome_check', 'a poll outcome that is never stored', () => db.sql`
      insert into poll_runs (source_id, started_at, outcome, window_from, window_to) values (${sourceId}, now(), 'skipped', '2026-11-01', '2026-11-01')`],
    ['poll_runs_trigger_check', 'a poll trigger', () => db.sql`
      insert into poll_runs (source_id, started_at, outcome, trigger, window_from, window_to) values (${sourceId}, now(), 'success', 'cron', '2026-11-01', '2026-11-01')`],
    ['pending_uploads_status_check', 'an upload review state', () => db.sql`
      insert into pending_uploads (source_id, window_from, window_to, rows, accepted, status) values (${sourceId}, '2026-11-01', '2026-11-01', '[]', 0, 'maybe')`],
    ['source_health_breaker_state_check', 'half_open, which is derived on read and never stored', () => db.sql`
      insert into source_health (source_id, breaker_state) values (${sourceId}, 'half_open')`],
    ['source_health_last_outcome_check', 'a last outcome', () => db.sql`insert into source_health (source_id, last_outcome) values (${sourceId}, 'ok')`],
    ['rankings_period_kind_check', 'a period kind', () => db.sql`
      insert into rankings (scope_unit_id, period_kind, period_start, period_end, unit_id, indicators, scheme_id)
      values (${unitId}, 'fortnight', '2026-11-01', '2026-11-14', ${unitId}, '{}', 1)`],
    ['rankings_not_ranked_reason_check', 'a reason not to rank that is not a code', () => db.sql`
      insert into rankings (scope_unit_id, period_kind, period_start, period_end, unit_id, not_ranked_reason, indicators, scheme_id)
      values (${unitId}, 'day', '2026-11-01', '2026-11-01', ${unitId}, 'no data for dossier.on_time', '{}', 1)`],
    ['metrics_family_check', 'a metric family', () => db.sql`update metrics set family = 'water'`],
    ['metrics_aggregation_check', 'an aggregation', () => db.sql`update metrics set aggregation = 'average'`],
    ['metrics_cadence_check', 'a cadence', () => db.sql`update metrics set cadence = 'week'`],
    ['metrics_unit_check', 'a unit of measure', () => db.sql`update metrics set unit = 'usd'`],
    ['indicators_family_check', 'an indicator family', () => db.sql`
      insert into indicators (scheme_id, key, family, name_vi, name_en, numerator, denominator, max_points, numerator_noun_vi)
      select id, 'i', 'water', 'I', 'I', '{m}', '{m}', 10, 'n' from indicator_schemes`],
    ['indicators_direction_check', 'a direction', () => db.sql`
      insert into indicators (scheme_id, key, family, direction, name_vi, name_en, numerator, denominator, max_points, numerator_noun_vi)
      select id, 'i', 'dossier', 'sideways', 'I', 'I', '{m}', '{m}', 10, 'n' from indicator_schemes`],
    ['alert_rules_kind_check', 'a kind of alert', () => db.sql`insert into alert_rules (name, kind, params) values ('x', 'flood', '{}')`],
    ['alert_rules_period_kind_check', 'a period kind of a rule', () => db.sql`insert into alert_rules (name, kind, period_kind, params) values ('x', 'band_drop', 'fortnight', '{}')`],
    // The check comes before the foreign key (checked at the statement's end): no rule or alert is needed.
    ['alerts_kind_check', 'a kind of alert raised', () => db.sql`
      insert into alerts (rule_id, condition_key, kind, title, body, link, raised_at) values (999999, 'k', 'flood', 't', 'b', '/', now())`],
    ['alert_deliveries_channel_check', 'a delivery channel', () => db.sql`
      insert into alert_deliveries (alert_id, channel, recipient, status) values (999999, 'sms', 'x', 'queued')`],
    ['alert_deliveries_status_check', 'a delivery status', () => db.sql`
      insert into alert_deliveries (alert_id, channel, recipient, status) values (999999, 'email', 'x', 'lost')`],
    ['targets_period_kind_check', 'a period kind of a target', () => db.sql`
      insert into targets (indicator_key, period_kind, period_start, min_ratio) values ('dossier.on_time', 'fortnight', '2026-11-01', 0.95)`],
    ['targets_period_both', 'a target period with a kind and no start', () => db.sql`
      insert into targets (indicator_key, period_kind, min_ratio) values ('dossier.on_time', 'month', 0.95)`],
    ['targets_min_ratio_range', 'a target over 100 %', () => db.sql`
      insert into targets (indicator_key, min_ratio) values ('dossier.on_time', 95)`],
    // Checks come before the foreign keys: no unit or schedule is needed.
    ['briefing_schedules_period_kind_check', 'a period kind of a briefing', () => db.sql`
      insert into briefing_schedules (name, scope_unit_id, period_kind, day_of_month, send_at) values ('x', 999999, 'fortnight', 15, '08:00')`],
    ['briefing_schedules_locale_check', 'a briefing language', () => db.sql`
      insert into briefing_schedules (name, scope_unit_id, day_of_month, send_at, locale) values ('x', 999999, 15, '08:00', 'fr')`],
    ['briefing_schedules_day_range', 'the 31st, which some months lack', () => db.sql`
      insert into briefing_schedules (name, scope_unit_id, day_of_month, send_at) values ('x', 999999, 31, '08:00')`],
    ['briefing_schedules_send_at_time', 'a send time not written HH:MM', () => db.sql`
      insert into briefing_schedules (name, scope_unit_id, day_of_month, send_at) values ('x', 999999, 15, '8h')`],
    ['briefing_mailings_period_kind_check', 'a period kind of a mailing', () => db.sql`
      insert into briefing_mailings (schedule_id, period_kind, period_start, recipient_key) values (999999, 'fortnight', '2026-11-15', 'mail:a@b.vn')`],
    ['briefing_mailings_status_check', 'a mailing status', () => db.sql`
      insert into briefing_mailings (schedule_id, period_kind, period_start, recipient_key, status) values (999999, 'report_month', '2026-11-15', 'mail:a@b.vn', 'lost')`]
  ];

  it.each(cases)('%s refuses %s', async (constraint, _what, statement) => {
    expect(await refusal(statement())).toEqual({ code: '23514', constraint });
  });

  it('accepts every known value, and null where the column allows it', async () => {
    for (const role of ['leader', 'officer', 'admin']) {
      await db.sql`insert into users (username, display_name, password_hash, role) values (${`u-${role}`}, 'U', 'h', ${role})`;
    }
    for (const trigger of ['schedule', 'manual', 'upload', 'gap', 'backfill']) {
      await db.sql`
        insert into poll_runs (source_id, started_at, outcome, trigger, window_from, window_to) values (${sourceId}, now(), 'partial', ${trigger}, '2026-11-01', '2026-11-01')`;
    }
    await db.sql`insert into source_health (source_id, breaker_state, last_outcome) values (${sourceId}, 'open', null)`;
    const [counts] = await db.sql<{ users: number; runs: number; health: number }[]>`
      select (select count(*)::int from users) as users, (select count(*)::int from poll_runs) as runs, (select count(*)::int from source_health) as health`;
    expect(counts).toEqual({ users: 3, runs: 5, health: 1 });
  });
});
