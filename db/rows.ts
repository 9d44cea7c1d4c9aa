/**
 * The rows of raw statements, checked: a query module parses what PostgreSQL sent with a zod
 * schema built from these pieces, instead of asserting a row type it hopes for. The conversions
 * live here, once (style habit 6): numeric and bigint arrive as strings, timestamps as text (see
 * client.ts), dates as 'YYYY-MM-DD'.
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
