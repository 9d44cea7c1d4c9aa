/**
 * The rows of raw statements, checked: a query module parses what PostgreSQL sent with a zod
 * schema built from these pieces, instead of asserting a row type it hopes for. The conversions
 * live here, once (style habit 6): numeric and bigint arrive as strings, timestamps as text (see
 * client.ts), dates as 'YYYY-MM-DD'.
 *
 * A bulk or hot result is checked by its columns instead (checkColumns): the PostgreSQL type of
 * every column, once per statement, and no null where none is allowed. zod on every row of the
 * 300,000 sums behind thirty day boards cost 0.4 s of a 3 s recompute; on a board's 30 rows and
 * their jsonb, 0.2 ms of a 1 ms read.
 */
import { z } from 'zod';
import type { StoredIndicator } from './schema/rankings.ts';

/** int2 / int4, or a count cast to int. */
export const int = z.number().int();

/** float8 as a number; numeric and bigint (which arrive as strings) converted to one. */
export const num = z.union([
  z.number(),
  z.string().regex(/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i, 'expected a numeric string').transform(Number)
]);

/** A calendar date as PostgreSQL prints it (to_char(…, 'YYYY-MM-DD') or a date column through client.ts). */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

/** A timestamptz (text through client.ts, or a Date from another client) as ISO 8601 UTC. */
export const isoTime = z.union([z.string(), z.date()]).transform((value, ctx) => {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: 'custom', message: `expected a timestamp, got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return at.toISOString();
});

/** One indicator's stored value (rankings.indicators → key). */
export const storedIndicator = z.object({
  numerator: z.number().nullable(),
  denominator: z.number().nullable(),
  ratio: z.number().nullable(),
  points: z.number().nullable(),
  rank: int.nullable()
}) satisfies z.ZodType<StoredIndicator>;

/** rankings.indicators: every indicator of the scheme version the row was computed with. */
export const storedIndicators = z.record(z.string(), storedIndicator);

/** A column of a bulk result: its PostgreSQL type, and the JavaScript value postgres.js makes of it. */
export interface Column<T> {
  readonly pgType: keyof typeof PG_TYPES;
  readonly nullable: boolean;
  /** Never set: carries T. */
  readonly value?: T;
}

// Type oids (pg_type.oid); these are the columns whose values postgres.js parses to the types below.
const PG_TYPES = { bool: 16, int2: 21, int4: 23, text: 25, float8: 701, timestamptz: 1184, jsonb: 3802 } as const;

export const column = {
  int2: { pgType: 'int2', nullable: false } as Column<number>,
  int4: { pgType: 'int4', nullable: false } as Column<number>,
  float8: { pgType: 'float8', nullable: false } as Column<number>,
  text: { pgType: 'text', nullable: false } as Column<string>,
  bool: { pgType: 'bool', nullable: false } as Column<boolean>,
  /** As text (client.ts), the way PostgreSQL prints it: '2026-11-20 19:00:00.123+07'. */
  timestamptz: { pgType: 'timestamptz', nullable: false } as Column<string>,
  /** Parsed JSON; see `schema`. */
  jsonb: { pgType: 'jsonb', nullable: false } as Column<unknown>,
  nullable: <T>(c: Column<T>): Column<T | null> => ({ pgType: c.pgType, nullable: true }),
  /**
   * A column as the Drizzle schema types it, narrower than its PostgreSQL type: a jsonb column's
   * `$type`, a text column's enum (held by its CHECK constraint). T is the schema's, e.g.
   * `(typeof rankings.$inferSelect)['indicators']`: the same type the query builder would give.
   */
  schema: <T>(c: Column<unknown>): Column<T> => ({ pgType: c.pgType, nullable: c.nullable })
};

type RowOf<S extends Record<string, Column<unknown>>> = { [K in keyof S]: S[K] extends Column<infer T> ? T : never };

/**
 * Checks a bulk result against `shape`: the statement returns exactly these columns, each of this
 * PostgreSQL type (so every value is the JavaScript type the shape says), and no null in a column
 * that allows none. The rows themselves are returned, not copied.
 */
export function checkColumns<S extends Record<string, Column<unknown>>>(
  query: string,
  shape: S,
  rows: readonly unknown[] & { columns?: readonly { name: string; type: number }[] }
): RowOf<S>[] {
  const reported = rows.columns ?? [];
  const expected = Object.entries(shape);
  const describe = () => reported.map((c) => `${c.name} (type ${c.type})`).join(', ') || 'none';
  if (reported.length !== expected.length) throw new Error(`${query}: expected the columns ${Object.keys(shape).join(', ')}; got ${describe()}`);
  for (const [name, c] of expected) {
    const got = reported.find((r) => r.name === name);
    if (!got) throw new Error(`${query}: no column ${name}; got ${describe()}`);
    if (got.type !== PG_TYPES[c.pgType]) throw new Error(`${query}: column ${name} is of type ${got.type}, expected ${c.pgType} (${PG_TYPES[c.pgType]})`);
  }
  const notNull = expected.filter(([, c]) => !c.nullable).map(([name]) => name);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Record<string, unknown>;
    for (const name of notNull) if (row[name] === null) throw new Error(`${query}: row ${i}, field ${name}: null where none is allowed`);
  }
  return rows as unknown as RowOf<S>[];
}

/**
 * Parses a statement's rows with `row`, or throws naming the query, the row and the field: a row
 * that is not what the code expects is a bug to see, not a value to pass along.
 */
export function parseRows<S extends z.ZodType>(query: string, row: S, rows: readonly unknown[]): z.output<S>[] {
  const out: z.output<S>[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const parsed = row.safeParse(rows[i]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${query}: row ${i}, field ${issue.path.join('.') || '(row)'}: ${issue.message}`);
    }
    out[i] = parsed.data;
  }
  return out;
}
